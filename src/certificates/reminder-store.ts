import { Schema, type Connection } from 'mongoose';

/** Where a reminder is in its delivery: queued, delivered, failing (retried with backoff), or abandoned for staff to see. */
export type ReminderState = 'pending' | 'sent' | 'failed' | 'given_up';

/** One entry of the reminder ledger and outbox: inserted once per key, then only its delivery fields change. */
export interface ReminderRecord {
  key: string;
  certificateNumber: string;
  validUntil: string;
  leadDays: number;
  /** Days left when it was queued (a certificate found late gets the nearest window's reminder). */
  daysLeft: number;
  itemCode: string;
  jurisdiction: string;
  holderName: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  queuedAt: Date;
  state: ReminderState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  smtpMessageId: string | null;
  /** Attempts staff granted after it was given up (重新发送), on top of the usual limit. */
  extraAttempts?: number;
}

/** One try at delivering a reminder; only the process that inserted it writes its outcome. */
export interface ReminderAttempt {
  key: string;
  n: number;
  startedAt: Date;
  leaseUntil: Date;
  outcome: 'running' | 'done' | 'failed';
  error: string | null;
  smtpMessageId: string | null;
  nextAttemptAt: Date | null;
}

const reminderSchema = new Schema(
  {
    _id: String,
    certificateNumber: { type: String, required: true },
    validUntil: String,
    leadDays: Number,
    daysLeft: Number,
    itemCode: String,
    jurisdiction: String,
    holderName: String,
    to: String,
    subject: String,
    text: String,
    messageId: String,
    queuedAt: Date,
    state: String,
    attempts: Number,
    nextAttemptAt: Date,
    lastError: String,
    sentAt: Date,
    smtpMessageId: String,
    extraAttempts: Number,
  },
  { versionKey: false, autoIndex: false },
);
reminderSchema.index({ state: 1, nextAttemptAt: 1 });
reminderSchema.index({ certificateNumber: 1, queuedAt: 1 });
reminderSchema.index({ jurisdiction: 1, state: 1, queuedAt: -1 });

const attemptSchema = new Schema(
  { _id: String, key: { type: String, required: true }, n: Number, startedAt: Date, leaseUntil: Date, outcome: String, error: String, smtpMessageId: String, nextAttemptAt: Date },
  { versionKey: false, autoIndex: false },
);
attemptSchema.index({ key: 1, n: -1 });

const isDuplicateKey = (e: unknown) => (e as { code?: number }).code === 11000;

export type ReminderStore = ReturnType<typeof createReminderStore>;

/**
 * The reminder ledger and outbox (`certificate_reminders`, _id = ledger key) and its delivery attempts
 * (`certificate_reminder_attempts`, _id = `<key>:<n>`). Both are claimed by insert, the one write that is
 * atomic on every store, so concurrent runs and instances queue and send each reminder once.
 */
export function createReminderStore(conn: Connection) {
  const Reminders = conn.models.CertificateReminder ?? conn.model('CertificateReminder', reminderSchema, 'certificate_reminders');
  const Attempts = conn.models.CertificateReminderAttempt ?? conn.model('CertificateReminderAttempt', attemptSchema, 'certificate_reminder_attempts');
  const toRecord = ({ _id, ...rest }: Record<string, unknown>) => ({ key: String(_id), ...rest }) as ReminderRecord;
  const stripAttempt = ({ _id: _ignored, ...rest }: Record<string, unknown>) => rest as unknown as ReminderAttempt;

  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Reminders.createIndexes(), Attempts.createIndexes()]);
    },
    /** Queues a reminder; false when its key is already in the ledger (queued by an earlier or concurrent run). */
    async queueOnce(record: ReminderRecord): Promise<boolean> {
      const { key, ...rest } = record;
      try {
        await Reminders.collection.insertOne({ _id: key, ...rest } as never);
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    /** Which of these ledger keys exist. */
    async existingKeys(keys: string[]): Promise<Set<string>> {
      if (!keys.length) return new Set();
      const docs = await Reminders.collection.find({ _id: { $in: keys } } as never, { projection: { _id: 1 } }).toArray();
      return new Set(docs.map((d) => String(d._id)));
    },
    async get(key: string): Promise<ReminderRecord | null> {
      const doc = await Reminders.findById(key).lean<Record<string, unknown>>();
      return doc ? toRecord(doc) : null;
    },
    /** Reminders waiting for a (next) delivery attempt at `now`, oldest due first. */
    async due(now: Date, limit: number): Promise<ReminderRecord[]> {
      const docs = await Reminders.find({ state: { $in: ['pending', 'failed'] }, nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(limit).lean<Record<string, unknown>[]>();
      return docs.map(toRecord);
    },
    async forCertificate(certificateNumber: string): Promise<ReminderRecord[]> {
      const docs = await Reminders.find({ certificateNumber }).sort({ queuedAt: 1, _id: 1 }).lean<Record<string, unknown>[]>();
      return docs.map(toRecord);
    },
    /** Reminders in these states within the reader's jurisdictions, newest first (e.g. given up, for staff to follow up). */
    async list(states: ReminderState[], jurisdictions: string[], page: { offset: number; limit: number }): Promise<{ items: ReminderRecord[]; total: number }> {
      const query = { jurisdiction: { $in: jurisdictions }, state: { $in: states } };
      const [docs, total] = await Promise.all([
        Reminders.find(query).sort({ queuedAt: -1, _id: 1 }).skip(page.offset).limit(page.limit).lean<Record<string, unknown>[]>(),
        Reminders.countDocuments(query),
      ]);
      return { items: docs.map(toRecord), total };
    },
    /** Grants a given-up reminder one more attempt, due now (a double click grants one or two; each attempt is still claimed once). */
    async grantAttempt(key: string, now: Date): Promise<void> {
      await Reminders.collection.updateOne({ _id: key } as never, { $set: { state: 'failed', nextAttemptAt: now }, $inc: { extraAttempts: 1 } });
    },
    /** Records a delivery outcome; written only by the holder of the attempt that produced it. */
    async recordDelivery(key: string, fields: Partial<Pick<ReminderRecord, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'smtpMessageId'>>): Promise<void> {
      // A late writer of an older attempt never turns a sent reminder back into a failed one.
      await Reminders.collection.updateOne({ _id: key, state: { $ne: 'sent' } } as never, { $set: fields });
    },
    async latestAttempt(key: string): Promise<ReminderAttempt | null> {
      const doc = await Attempts.findOne({ key }).sort({ n: -1 }).lean<Record<string, unknown>>();
      return doc ? stripAttempt(doc) : null;
    },
    async attemptsFor(key: string): Promise<ReminderAttempt[]> {
      const docs = await Attempts.find({ key }).sort({ n: 1 }).lean<Record<string, unknown>[]>();
      return docs.map(stripAttempt);
    },
    /** Claims attempt n; false when another runner claimed it first. */
    async claimAttempt(attempt: ReminderAttempt): Promise<boolean> {
      try {
        await Attempts.collection.insertOne({ _id: `${attempt.key}:${attempt.n}`, ...attempt } as never);
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    async finishAttempt(attempt: ReminderAttempt, fields: Pick<ReminderAttempt, 'outcome' | 'error' | 'smtpMessageId' | 'nextAttemptAt'>): Promise<void> {
      await Attempts.collection.updateOne({ _id: `${attempt.key}:${attempt.n}` } as never, { $set: fields });
    },
  };
}

import { Schema, type Connection, type mongo } from 'mongoose';
import { createKeyedLog } from '../store/keyed-log';
import { ignoreDuplicateWrites, isDuplicateKey, pushesDownOnlyIdFilters, readByIds } from '../store/store-traits';

/**
 * Where a reminder is in its delivery: queued, delivered, failing (retried with backoff), abandoned for staff to see,
 * or dropped unsent because its certificate was cancelled (注销).
 */
export type ReminderState = 'pending' | 'sent' | 'failed' | 'given_up' | 'dropped';

/** One entry of the reminder ledger and outbox: inserted once per key, then only its delivery fields change. */
export interface ReminderRecord {
  key: string;
  /** An expiry reminder (absent in entries written before notices shared the ledger) or the notice of a cancellation. */
  kind?: 'expiry' | 'cancellation';
  certificateNumber: string;
  /** Null only for the cancellation notice of a certificate without a validity period. */
  validUntil: string | null;
  /** Null for a cancellation notice. */
  leadDays: number | null;
  /** Days left when it was queued (a certificate found late gets the nearest window's reminder); null for a cancellation notice. */
  daysLeft: number | null;
  itemCode: string;
  jurisdiction: string;
  holderName: string;
  /** An e-mail address, or the mobile number of an SMS entry. */
  to: string;
  /** `sms`: the entry is the SMS beside the mail of the same notice (its own key, attempts and state); absent: a mail. */
  channel?: 'sms';
  /** An SMS entry's template and its values, sent to the gateway with the text. */
  template?: string;
  params?: Record<string, string>;
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
    kind: String,
    certificateNumber: { type: String, required: true },
    validUntil: String,
    leadDays: Number,
    daysLeft: Number,
    itemCode: String,
    jurisdiction: String,
    holderName: String,
    to: String,
    channel: String,
    template: String,
    params: Schema.Types.Mixed,
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

// Entries not yet sent, one small document each: what delivery and the staff's follow-up list read instead of the ledger.
const queueSchema = new Schema({ _id: String, state: String, nextAttemptAt: Date, jurisdiction: String, queuedAt: Date }, { versionKey: false, autoIndex: false });
queueSchema.index({ state: 1, nextAttemptAt: 1 });
queueSchema.index({ jurisdiction: 1, state: 1 });

const UNSENT: ReminderState[] = ['pending', 'failed', 'given_up'];
// States no later write changes: a late writer never turns a sent or dropped reminder back into a failed one.
const FINAL: ReminderState[] = ['sent', 'dropped'];
// Attempts read at once when following a reminder's attempts by `_id`.
const ATTEMPT_BATCH = 4;

export type ReminderStore = ReturnType<typeof createReminderStore>;

/**
 * The reminder ledger and outbox (`certificate_reminders`, _id = ledger key) and its delivery attempts
 * (`certificate_reminder_attempts`, _id = `<key>:<n>`). Both are claimed by insert, the one write that is
 * atomic on every store, so concurrent runs and instances queue and send each reminder once.
 */
export function createReminderStore(conn: Connection) {
  const Reminders = conn.models.CertificateReminder ?? conn.model('CertificateReminder', reminderSchema, 'certificate_reminders');
  const Attempts = conn.models.CertificateReminderAttempt ?? conn.model('CertificateReminderAttempt', attemptSchema, 'certificate_reminder_attempts');
  const Queue = conn.models.CertificateReminderQueue ?? conn.model('CertificateReminderQueue', queueSchema, 'certificate_reminder_queue');
  const Index = conn.models.CertificateReminderIndex ?? conn.model('CertificateReminderIndex', new Schema({ _id: String }, { strict: false, versionKey: false }), 'certificate_reminder_index');
  const logs = createKeyedLog(Index.collection);
  const toRecord = ({ _id, ...rest }: Record<string, unknown>) => ({ key: String(_id), ...rest }) as ReminderRecord;
  const stripAttempt = ({ _id: _ignored, ...rest }: Record<string, unknown>) => rest as unknown as ReminderAttempt;
  const ledger = async (keys: string[]) => (await readByIds(Reminders.collection, keys)).map(toRecord);

  /** Attempts of a reminder, 1, 2, 3… without gaps (n is claimed only after n - 1), read by `_id`. */
  async function attemptsOf(key: string): Promise<ReminderAttempt[]> {
    const found: ReminderAttempt[] = [];
    for (let from = 1; ; from += ATTEMPT_BATCH) {
      const docs = await readByIds(Attempts.collection, Array.from({ length: ATTEMPT_BATCH }, (_, i) => `${key}:${from + i}`));
      found.push(...docs.map(stripAttempt));
      if (docs.length < ATTEMPT_BATCH) return found;
    }
  }

  /** Sets fields of a ledger entry unless it was sent or dropped: atomic on MongoDB; FerretDB 1.x checks and writes by `_id`, as it would anyway. */
  async function updateUnlessSent(key: string, update: mongo.UpdateFilter<mongo.Document>): Promise<ReminderRecord | null> {
    if (!(await pushesDownOnlyIdFilters(Reminders.collection))) {
      const doc = await Reminders.collection.findOneAndUpdate({ _id: key, state: { $nin: FINAL } } as never, update, { returnDocument: 'after' });
      return doc ? toRecord(doc) : null;
    }
    const current = await Reminders.collection.findOne({ _id: key as never });
    if (!current || FINAL.includes(current.state as ReminderState)) return null;
    await Reminders.collection.updateOne({ _id: key as never }, update);
    return toRecord((await Reminders.collection.findOne({ _id: key as never }))!);
  }

  /** The queue follows the ledger: a sent entry leaves it, any other keeps its state and next attempt there. */
  async function follow(record: ReminderRecord): Promise<void> {
    if (record.state === 'dropped') {
      await Queue.collection.deleteOne({ _id: record.key } as never);
      return;
    }
    if (record.state === 'sent') {
      await Queue.collection.deleteOne({ _id: record.key } as never);
      await logs.append(`sent:${record.jurisdiction}`, record.key, record.sentAt ?? new Date());
      return;
    }
    const entry = { state: record.state, nextAttemptAt: record.nextAttemptAt, jurisdiction: record.jurisdiction, queuedAt: record.queuedAt };
    await Queue.collection.replaceOne({ _id: record.key } as never, entry, { upsert: true }).catch((e) => {
      if (!isDuplicateKey(e)) throw e;
    });
  }

  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Reminders.createIndexes(), Attempts.createIndexes(), Queue.createIndexes(), Index.createIndexes()]);
    },
    /** Queues a reminder; false when its key is already in the ledger (queued by an earlier or concurrent run). */
    async queueOnce(record: ReminderRecord): Promise<boolean> {
      const { key, ...rest } = record;
      // What points to the entry comes first (see keyed-log.ts): a crash leaves at most a pointer to nothing.
      await follow(record);
      await logs.append(`c:${record.certificateNumber}`, key, record.queuedAt);
      try {
        await Reminders.collection.insertOne({ _id: key, ...rest } as never);
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    /** Queues many reminders at once (seeding and imports), with their queue entries and certificate logs. */
    async queueMany(records: ReminderRecord[]): Promise<void> {
      if (!records.length) return;
      const unsent = records.filter((r) => r.state !== 'sent');
      if (unsent.length) {
        await Queue.collection.insertMany(unsent.map((r) => ({ _id: r.key, state: r.state, nextAttemptAt: r.nextAttemptAt, jurisdiction: r.jurisdiction, queuedAt: r.queuedAt })) as never[], { ordered: false }).catch(ignoreDuplicateWrites);
      }
      await logs.appendMany([
        ...records.map((r) => ({ key: `c:${r.certificateNumber}`, ref: r.key, at: r.queuedAt })),
        ...records.filter((r) => r.state === 'sent').map((r) => ({ key: `sent:${r.jurisdiction}`, ref: r.key, at: r.sentAt ?? r.queuedAt })),
      ]);
      await Reminders.collection.insertMany(records.map(({ key, ...rest }) => ({ _id: key, ...rest })) as never[], { ordered: false }).catch(ignoreDuplicateWrites);
    },
    /** Which of these ledger keys exist. */
    async existingKeys(keys: string[]): Promise<Set<string>> {
      return new Set((await readByIds(Reminders.collection, keys, { _id: 1 })).map((d) => String(d._id)));
    },
    async get(key: string): Promise<ReminderRecord | null> {
      const doc = await Reminders.collection.findOne({ _id: key as never });
      return doc ? toRecord(doc) : null;
    },
    /** Reminders waiting for a (next) delivery attempt at `now`, oldest due first: the queue holds only unsent ones. */
    async due(now: Date, limit: number): Promise<ReminderRecord[]> {
      const queued = await Queue.collection.find({ state: { $in: ['pending', 'failed'] }, nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1, _id: 1 }).limit(limit).toArray();
      const records = await ledger(queued.map((q) => String(q._id)));
      // A queue entry behind its ledger entry (a writer stopped in between) is made to follow it.
      for (const r of records) if (r.state === 'sent' || r.state === 'given_up' || r.state === 'dropped') await follow(r);
      return records.filter((r) => r.state === 'pending' || r.state === 'failed');
    },
    async forCertificate(certificateNumber: string): Promise<ReminderRecord[]> {
      const keys = (await logs.newest(`c:${certificateNumber}`, 1000)).map((e) => e.ref);
      const records = await ledger([...new Set(keys)]);
      return records.sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime() || (a.key < b.key ? -1 : 1));
    },
    /** Reminders in these states within the reader's jurisdictions, newest first (e.g. given up, for staff to follow up). */
    async list(states: ReminderState[], jurisdictions: string[], page: { offset: number; limit: number }): Promise<{ items: ReminderRecord[]; total: number }> {
      const unsent = states.filter((st) => UNSENT.includes(st));
      const queued = unsent.length ? await Queue.collection.find({ jurisdiction: { $in: jurisdictions }, state: { $in: unsent } }).toArray() : [];
      const rows = queued.map((q) => ({ key: String(q._id), at: q.queuedAt as Date }));
      let total = rows.length;
      if (states.includes('sent')) {
        const want = page.offset + page.limit;
        const sent = await Promise.all(jurisdictions.map((j) => logs.newest(`sent:${j}`, want)));
        rows.push(...sent.flat().map((e) => ({ key: e.ref, at: e.at })));
        total += (await Promise.all(jurisdictions.map((j) => logs.count(`sent:${j}`)))).reduce((a, b) => a + b, 0);
      }
      rows.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.key < b.key ? -1 : 1));
      const items = await ledger([...new Set(rows.slice(page.offset, page.offset + page.limit).map((r) => r.key))]);
      return { items, total };
    },
    /** Grants a given-up reminder one more attempt, due now (a double click grants one or two; each attempt is still claimed once). */
    async grantAttempt(key: string, now: Date): Promise<void> {
      const record = await updateUnlessSent(key, { $set: { state: 'failed', nextAttemptAt: now }, $inc: { extraAttempts: 1 } });
      if (record) await follow(record);
    },
    /** Drops an unsent reminder (its certificate was cancelled): it leaves the queue and is never sent; false when it was sent or dropped already. */
    async drop(key: string, reason: string): Promise<boolean> {
      const record = await updateUnlessSent(key, { $set: { state: 'dropped', nextAttemptAt: null, lastError: reason } });
      if (record) await follow(record);
      return record?.state === 'dropped';
    },
    /** Records a delivery outcome; written only by the holder of the attempt that produced it. */
    async recordDelivery(key: string, fields: Partial<Pick<ReminderRecord, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'smtpMessageId'>>): Promise<void> {
      // A late writer of an older attempt never turns a sent reminder back into a failed one.
      const record = await updateUnlessSent(key, { $set: fields });
      if (record) await follow(record);
    },
    async latestAttempt(key: string): Promise<ReminderAttempt | null> {
      return (await attemptsOf(key)).at(-1) ?? null;
    },
    attemptsFor: attemptsOf,
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

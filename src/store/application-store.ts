import { Schema, type Connection } from 'mongoose';
import type { ApplicationRecord, EffectRecord, TimelineEntry } from '../engine/application-record';
import { createEffectQueue } from './effect-queue';
import { isDuplicateKey, nextInSequence, versionedUpdate } from './versioned-update';

const Mixed = Schema.Types.Mixed;

const applicationSchema = new Schema(
  {
    _id: { type: String, required: true },
    applicationNo: { type: String, required: true, unique: true },
    queryCodeHash: { type: String, required: true },
    itemCode: { type: String, required: true, index: true },
    processId: { type: String, required: true },
    machineVersion: { type: Number, required: true },
    snapshot: { type: Mixed, required: true },
    state: { type: String, required: true },
    status: { type: String, required: true },
    version: { type: Number, required: true },
    applicant: { type: Mixed, required: true },
    materials: { type: Mixed, required: true },
    channel: { type: String, required: true },
    routing: { type: Mixed, required: true },
    intake: { type: Mixed, required: true },
    clocks: { type: Mixed, default: {} },
    timers: { type: Mixed, default: [] },
    nextTimerAt: { type: Date, default: null, index: true },
    timeline: { type: Mixed, default: [] },
    outbox: { type: Mixed, default: [] },
    details: { type: Mixed, default: {} },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false, strict: true, autoIndex: false },
);
applicationSchema.index({ 'routing.jurisdiction': 1, createdAt: -1 });
applicationSchema.index({ 'intake.jurisdiction': 1, createdAt: -1 });
applicationSchema.index({ status: 1, createdAt: -1 });
applicationSchema.index({ 'applicant.uscc': 1 });
applicationSchema.index({ 'details.renewalOf': 1 });

const journalSchema = new Schema(
  {
    _id: String,
    entity: { type: String, required: true },
    version: { type: Number, required: true },
    at: Date,
    change: Schema.Types.Mixed,
    effects: { type: Schema.Types.Mixed, default: [] },
    hasPendingEffects: { type: Boolean, default: false },
  },
  { versionKey: false, autoIndex: false },
);
journalSchema.index({ hasPendingEffects: 1, at: 1 });
journalSchema.index({ entity: 1, version: 1 });

// Application number → id, so a status lookup is two `_id` reads (FerretDB 1.x scans a collection for any other filter).
const numberSchema = new Schema({ _id: String, applicationId: String }, { versionKey: false, autoIndex: false });

const sequenceSchema = new Schema({ _id: String, key: String, n: Number, at: Date }, { versionKey: false, autoIndex: false });
sequenceSchema.index({ key: 1, n: -1 });

/** The fields a state change writes, plus what it appends to the timeline and outbox. */
export interface ApplicationChange {
  set: Partial<Omit<ApplicationRecord, 'id' | 'version' | 'timeline' | 'outbox'>>;
  timeline: TimelineEntry[];
  outbox: EffectRecord[];
}

export interface ListFilter {
  status?: string[];
  itemCode?: string;
  /** Jurisdictions the reader may see; an application matches by its routed or its intake jurisdiction. */
  jurisdictions?: string[];
  uscc?: string;
}

export type ApplicationStore = ReturnType<typeof createApplicationStore>;

/** Persistence of application aggregates: every state change is one compare-and-set on `version`. */
export function createApplicationStore(conn: Connection) {
  const Applications = conn.models.Application ?? conn.model('Application', applicationSchema, 'applications');
  const Journal = conn.models.ApplicationJournal ?? conn.model('ApplicationJournal', journalSchema, 'application_journal');
  const Sequences = conn.models.Sequence ?? conn.model('Sequence', sequenceSchema, 'sequences');
  const Numbers = conn.models.ApplicationNumber ?? conn.model('ApplicationNumber', numberSchema, 'application_numbers');
  const effectQueue = createEffectQueue(conn, Journal.collection);

  const toRecord = (doc: Record<string, unknown> | null): ApplicationRecord | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { id: String(_id), ...rest } as unknown as ApplicationRecord;
  };

  async function addNumber(applicationNo: string, id: string): Promise<void> {
    try {
      await Numbers.collection.insertOne({ _id: applicationNo, applicationId: id } as never);
    } catch (e) {
      // Numbers come from an insert-claimed sequence; the only repeat is the same application's own entry.
      if (!isDuplicateKey(e)) throw e;
    }
  }

  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Applications.createIndexes(), Journal.createIndexes(), Sequences.createIndexes(), effectQueue.ensureIndexes()]);
      // Applications stored before the number index existed get their entries once.
      if ((await Numbers.estimatedDocumentCount()) < (await Applications.estimatedDocumentCount())) {
        for await (const doc of Applications.collection.find({}, { projection: { applicationNo: 1 } })) await addNumber(doc.applicationNo, String(doc._id));
      }
    },

    /** Stores a new application; its number and journal entry (version 1) come first, so it is never without them. */
    async insert(record: ApplicationRecord): Promise<void> {
      const { id, ...rest } = record;
      await addNumber(record.applicationNo, id);
      if (record.outbox.length) await effectQueue.mark(id, 1);
      await Journal.collection.insertOne({
        _id: `${id}:1`, entity: id, version: 1, at: record.createdAt, change: null, effects: record.outbox, hasPendingEffects: record.outbox.length > 0,
      } as never);
      await Applications.collection.insertOne({ _id: id, ...rest } as never);
    },

    async get(id: string): Promise<ApplicationRecord | null> {
      return toRecord(await Applications.findById(id).lean<Record<string, unknown>>());
    },

    async findByNumber(applicationNo: string): Promise<ApplicationRecord | null> {
      const entry = await Numbers.findById(applicationNo).lean<{ applicationId: string }>();
      const app = entry ? await this.get(entry.applicationId) : null;
      return app?.applicationNo === applicationNo ? app : null;
    },

    /** Saves a change only if nobody else changed the application since `expectedVersion` was read; returns the new version. */
    async compareAndSet(id: string, expectedVersion: number, change: ApplicationChange): Promise<number> {
      if (change.outbox.length) await effectQueue.mark(id, expectedVersion + 1);
      return versionedUpdate(
        Applications.collection,
        Journal.collection,
        id,
        expectedVersion,
        { set: change.set, push: { timeline: change.timeline, outbox: change.outbox } },
        { effects: change.outbox, hasPendingEffects: change.outbox.length > 0 },
        (change.set.updatedAt as Date | undefined) ?? new Date(),
      );
    },

    async list(filter: ListFilter, page: { offset: number; limit: number }): Promise<{ items: ApplicationRecord[]; total: number }> {
      const query: Record<string, unknown> = {};
      if (filter.status?.length) query.status = { $in: filter.status };
      if (filter.itemCode) query.itemCode = filter.itemCode;
      if (filter.uscc) query['applicant.uscc'] = filter.uscc;
      if (filter.jurisdictions) {
        query.$or = [{ 'routing.jurisdiction': { $in: filter.jurisdictions } }, { 'intake.jurisdiction': { $in: filter.jurisdictions } }];
      }
      const [docs, total] = await Promise.all([
        Applications.find(query).sort({ createdAt: -1, _id: -1 }).skip(page.offset).limit(page.limit).lean<Record<string, unknown>[]>(),
        Applications.countDocuments(query),
      ]);
      return { items: docs.map((d) => toRecord(d)!), total };
    },

    /** Applications with a timer due at or before `now`. */
    async withDueTimers(now: Date, limit: number): Promise<string[]> {
      const docs = await Applications.find({ nextTimerAt: { $ne: null, $lte: now } }).select({ _id: 1 }).sort({ nextTimerAt: 1 }).limit(limit).lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    /** Applications with journal entries whose effects have not all finished. */
    withPendingEffects: (limit: number): Promise<string[]> => effectQueue.entities(limit),

    /** Ids of applications not yet in a final status. */
    // placeholder: replaced by the open-applications view
    async openApplicationIds(): Promise<string[]> {
      const docs = await Applications.find({ status: { $nin: ['completed', 'denied', 'not_accepted', 'withdrawn', 'terminated', 'revoked'] } }, { _id: 1 }).lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    /** Journal entries of one application that still have effects to run, oldest first. */
    pendingEffectEntries: (id: string): Promise<{ version: number; effects: EffectRecord[] }[]> => effectQueue.pendingEntries(id),

    /** Marks a journal entry settled: every effect done or given up (an idempotent write: it only ever sets false). */
    async settleEffects(id: string, version: number): Promise<void> {
      await Journal.collection.updateOne({ _id: `${id}:${version}` } as never, { $set: { hasPendingEffects: false } });
      await effectQueue.unmark(id, version);
    },

    /** Renewal (延续) applications of these certificates, any status. */
    async renewalsOf(certificateNumbers: string[]): Promise<Pick<ApplicationRecord, 'id' | 'applicationNo' | 'status' | 'details'>[]> {
      if (!certificateNumbers.length) return [];
      const docs = await Applications.find({ 'details.renewalOf': { $in: certificateNumbers } })
        .select({ applicationNo: 1, status: 1, details: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean<Record<string, unknown>[]>();
      return docs.map((d) => toRecord(d)!);
    },

    /** Next number in a per-jurisdiction, per-day sequence. */
    nextSequence: (key: string) => nextInSequence(Sequences.collection, key),

    model: Applications,
  };
}


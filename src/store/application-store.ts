import mongoose, { Schema, type Connection } from 'mongoose';
import { AppError } from '../errors';
import type { ApplicationRecord, EffectRecord, TimelineEntry } from '../engine/application-record';

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
    effectAttempts: { type: Mixed, default: {} },
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
applicationSchema.index({ 'outbox.id': 1 });

const counterSchema = new Schema({ _id: String, seq: Number }, { versionKey: false });

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
  const Counters = conn.models.Counter ?? conn.model('Counter', counterSchema, 'counters');

  const toRecord = (doc: Record<string, unknown> | null): ApplicationRecord | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { id: String(_id), ...rest } as unknown as ApplicationRecord;
  };

  return {
    async ensureIndexes(): Promise<void> {
      await Applications.createIndexes();
    },

    async insert(record: ApplicationRecord): Promise<void> {
      const { id, ...rest } = record;
      await Applications.collection.insertOne({ _id: id, ...rest } as never);
    },

    async get(id: string): Promise<ApplicationRecord | null> {
      return toRecord(await Applications.findById(id).lean<Record<string, unknown>>());
    },

    async findByNumber(applicationNo: string): Promise<ApplicationRecord | null> {
      return toRecord(await Applications.findOne({ applicationNo }).lean<Record<string, unknown>>());
    },

    /** Saves a change only if nobody else changed the application since `expectedVersion` was read. */
    async compareAndSet(id: string, expectedVersion: number, change: ApplicationChange): Promise<number> {
      const next = expectedVersion + 1;
      const update: Record<string, unknown> = { $set: { ...change.set, version: next } };
      const push: Record<string, unknown> = {};
      if (change.timeline.length) push.timeline = { $each: change.timeline };
      if (change.outbox.length) push.outbox = { $each: change.outbox };
      if (Object.keys(push).length) update.$push = push;
      const result = await Applications.collection.updateOne({ _id: id, version: expectedVersion } as never, update);
      if (result.matchedCount === 1) return next;
      const current = await Applications.findById(id).select({ version: 1, status: 1 }).lean<{ version: number; status: string }>();
      if (!current) throw new AppError('NOT_FOUND', `申请不存在 / Application ${id} not found`);
      throw new AppError(
        'VERSION_CONFLICT',
        `申请已被他人更新，请刷新后重试 / Application ${id} was changed by someone else (expected version ${expectedVersion}, now ${current.version}); reload and retry`,
        { expectedVersion, currentVersion: current.version },
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

    /** Applications whose outbox still holds effects to run. */
    async withPendingEffects(limit: number): Promise<string[]> {
      const docs = await Applications.find({ 'outbox.id': { $exists: true } }).select({ _id: 1 }).limit(limit).lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    /** Removes a finished effect; it does not touch `version`, so it never conflicts with a state change. */
    async completeEffect(id: string, effectId: string): Promise<void> {
      await Applications.collection.updateOne({ _id: id } as never, {
        $pull: { outbox: { id: effectId } },
        $unset: { [`effectAttempts.${effectId}`]: '' },
      } as never);
    },

    async recordEffectFailure(id: string, effectId: string, attempt: { attempts: number; lastError: string; nextAttemptAt: Date }): Promise<void> {
      await Applications.collection.updateOne({ _id: id } as never, { $set: { [`effectAttempts.${effectId}`]: attempt } });
    },

    /** Next number in a per-jurisdiction, per-day sequence (a unique index backs the final number). */
    async nextSequence(key: string): Promise<number> {
      const doc = await Counters.findOneAndUpdate({ _id: key }, { $inc: { seq: 1 } }, { upsert: true, new: true }).lean<{ seq: number }>();
      return doc!.seq;
    },

    model: Applications,
  };
}

export { mongoose };

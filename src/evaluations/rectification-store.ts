import { Schema, type Connection } from 'mongoose';
import { createKeyedLog } from '../store/keyed-log';
import { isDuplicateKey, readByIds } from '../store/store-traits';
import type { Stage } from './evaluation-rules';

export type RectificationStatus = 'open' | 'replied' | 'closed';

/** A step of a rectification, claimed once: the office's reply, then the call back (回访) that closes it. */
export type RectificationStep = 'reply' | 'follow-up';

export interface StaffSignature {
  username: string;
  name: string;
}

/** 整改: a task for the office a 不满意/非常不满意 rating was about, with its deadline in working days. */
export interface RectificationRecord {
  /** The rating's id, `<applicationId>:<stage>`: one task per low rating. */
  id: string;
  applicationId: string;
  applicationNo: string;
  applicantName: string;
  itemCode: string;
  stage: Stage;
  level: number;
  reasons: string[];
  comment: string;
  /** The responsible office: the application's routing. */
  jurisdiction: string;
  jurisdictionName: string;
  department: string;
  openedAt: Date;
  openedOn: string;
  workingDays: number;
  dueDate: string;
  status: RectificationStatus;
  reply?: { text: string; by: StaffSignature; at: Date; on: string };
  followUp?: { reached: boolean; satisfied: boolean | null; note: string; by: StaffSignature; at: Date; on: string };
  closedOn?: string;
}

export type RectificationStore = ReturnType<typeof createRectificationStore>;

/**
 * Rectifications by `_id` (`rectifications`, the record), the open ones copied into a small collection the work list
 * reads whole (`open_rectifications`, removed once closed), and the closed ones in a keyed log per jurisdiction, newest first.
 * Each step is claimed by inserting `<id>:<step>` (`rectification_steps`), atomic on every store, so two replies never both land.
 */
export function createRectificationStore(conn: Connection) {
  const model = (name: string, collection: string) => conn.models[name] ?? conn.model(name, new Schema({ _id: String }, { strict: false, versionKey: false }), collection);
  const Records = model('Rectification', 'rectifications');
  const Open = model('OpenRectification', 'open_rectifications');
  const Steps = model('RectificationStep', 'rectification_steps');
  const closedLog = createKeyedLog(model('RectificationLog', 'rectification_log').collection);
  const fromDoc = ({ _id, ...rest }: Record<string, unknown>) => ({ id: String(_id), ...rest }) as RectificationRecord;
  const toDoc = ({ id, ...rest }: RectificationRecord) => ({ _id: id as never, ...rest });

  /** Keeps the open view in step with the record: the task while open, nothing once closed. */
  const follow = async (record: RectificationRecord) => {
    if (record.status === 'closed') await Open.collection.deleteOne({ _id: record.id as never });
    else await Open.collection.replaceOne({ _id: record.id as never }, toDoc(record), { upsert: true });
  };

  const store = {
    /** Opens the task; false when it exists already (the rating was recorded before, e.g. by a request that stopped midway). */
    async open(record: RectificationRecord): Promise<boolean> {
      try {
        await Records.collection.insertOne(toDoc(record));
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const existing = await store.get(record.id);
        if (existing && existing.status !== 'closed') await follow(existing);
        return false;
      }
      await follow(record);
      return true;
    },
    async get(id: string): Promise<RectificationRecord | null> {
      const doc = await Records.collection.findOne({ _id: id as never });
      return doc ? fromDoc(doc) : null;
    },
    /** Claims a step with what it records; false when it was claimed before (its data is then `claimed`). */
    async claim(id: string, step: RectificationStep, data: Record<string, unknown>): Promise<boolean> {
      try {
        await Steps.collection.insertOne({ _id: `${id}:${step}` as never, ...data });
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    /** What a step's claim recorded, to finish a step whose writer stopped after claiming it. */
    async claimed(id: string, step: RectificationStep): Promise<Record<string, unknown> | null> {
      const doc = await Steps.collection.findOne({ _id: `${id}:${step}` as never });
      if (!doc) return null;
      const { _id, ...data } = doc;
      return data;
    },
    /** Writes the record after a claimed step, then the open view, and once closed the jurisdiction's log of closed tasks. */
    async save(record: RectificationRecord): Promise<void> {
      await Records.collection.replaceOne({ _id: record.id as never }, toDoc(record));
      if (record.status === 'closed') await closedLog.append(record.jurisdiction, record.id, record.followUp?.at ?? new Date());
      await follow(record);
    },
    /** Derives the open view again from the records (`npm run job -- rebuild-views`); the closed log is append-only and kept. */
    async rebuildViews(): Promise<number> {
      await Open.collection.deleteMany({});
      let open = 0;
      for await (const doc of Records.collection.find({})) {
        const record = fromDoc(doc);
        if (record.status === 'closed') continue;
        await follow(record);
        open++;
      }
      return open;
    },
    /** Every open task (a small collection: only what is in hand). */
    async listOpen(): Promise<RectificationRecord[]> {
      return (await Open.collection.find({}).toArray()).map(fromDoc);
    },
    /** A jurisdiction's closed tasks, newest closed first, at most `limit`. */
    async closedNewest(jurisdiction: string, limit: number): Promise<RectificationRecord[]> {
      const entries = await closedLog.newest(jurisdiction, limit);
      // A retried close may have appended twice: each task once.
      const ids = [...new Set(entries.map((e) => e.ref))];
      return (await readByIds<Record<string, unknown>>(Records.collection, ids)).map(fromDoc);
    },
  };
  return store;
}

import { Schema, type Connection, type mongo } from 'mongoose';
import type { Actor, Applicant, ClockRecord } from '../engine/application-record';
import { createKeyedLog } from '../store/keyed-log';
import { isDuplicateKey, readByIds } from '../store/store-traits';
import { versionedUpdate, type VersionedChange } from '../store/versioned-update';
import type { MaterialFinding, PreReviewVerdict } from './pre-review-labels';

export type { MaterialFinding, PreReviewVerdict };
/** submitted: waits for a reviewer; answered: findings given (may be answered again); converted: a formal application was made from it. */
export type PreReviewStatus = 'submitted' | 'answered' | 'converted';

/** A reviewer's answer to a pre-review: per material, and overall. */
export interface PreReviewAnswer {
  verdict: PreReviewVerdict;
  findings: { material: string; finding: MaterialFinding; note: string }[];
  note: string;
  by: { username: string; name: string };
  on: string;
  at: Date;
}

/** 容缺预审: a major project's materials, reviewed before the formal application; one document per pre-review. */
export interface PreReviewRecord {
  id: string;
  preReviewNo: string;
  queryCodeHash: string;
  itemCode: string;
  project: { name: string; location: string; description: string };
  applicant: Applicant;
  materials: { code: string; provided: boolean }[];
  channel: 'window' | 'online';
  routing: { jurisdiction: string; jurisdictionName: string; department: string };
  intake: { jurisdiction: string; by: Actor };
  /** The service target (working days, not a legal limit): started on receipt, stopped by the first answer. */
  clock: ClockRecord;
  status: PreReviewStatus;
  /** The latest answer; earlier ones are in `answers`. */
  answer: PreReviewAnswer | null;
  answers: PreReviewAnswer[];
  application: { id: string; applicationNo: string } | null;
  timeline: { at: Date; event: string; by: { kind: string; name: string } }[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One row of the reviewers' pre-review work list: a pre-review still waiting for its answer. */
export interface OpenPreReview {
  id: string;
  preReviewNo: string;
  itemCode: string;
  jurisdiction: string;
  intakeJurisdiction: string;
  projectName: string;
  applicantName: string;
  clock: ClockRecord;
  createdAt: Date;
}

/** The one conversion of a pre-review into an application, claimed before the application is created. */
export interface ConversionClaim {
  preReviewId: string;
  applicationId: string | null;
  by: Actor;
  at: Date;
}

const loose = (name: string) => new Schema({ _id: String }, { strict: false, versionKey: false, autoIndex: false, collection: name });
const logKey = (jurisdiction: string) => `pre-reviews:${jurisdiction}`;

export type PreReviewStore = ReturnType<typeof createPreReviewStore>;

/**
 * Pre-reviews, read by `_id` only: a pre-review by its id, by its number (`pre_review_numbers`, number → id), a
 * jurisdiction's pre-reviews newest first through a keyed log, and the ones awaiting an answer from a small view
 * (`open_pre_reviews`, one entry per pre-review in hand, removed when answered). Changes are versioned writes.
 */
export function createPreReviewStore(conn: Connection) {
  const model = (name: string, collection: string) => conn.models[name] ?? conn.model(name, loose(collection), collection);
  const PreReviews = model('PreReview', 'pre_reviews').collection;
  const Journal = model('PreReviewJournal', 'pre_review_journal').collection;
  const Numbers = model('PreReviewNumber', 'pre_review_numbers').collection;
  const Open = model('OpenPreReview', 'open_pre_reviews').collection;
  const Conversions = model('PreReviewConversion', 'pre_review_conversions').collection;
  const Pending = model('PreReviewConversionPending', 'pre_review_conversions_pending').collection;
  const Logs = model('PreReviewLog', 'pre_review_log').collection;
  const log = createKeyedLog(Logs);

  const toRecord = ({ _id, ...rest }: mongo.Document) => ({ id: String(_id), ...rest }) as PreReviewRecord;
  const openEntry = (p: PreReviewRecord): mongo.Document => ({
    preReviewNo: p.preReviewNo, itemCode: p.itemCode, jurisdiction: p.routing.jurisdiction, intakeJurisdiction: p.intake.jurisdiction,
    projectName: p.project.name, applicantName: p.applicant.name, clock: p.clock, createdAt: p.createdAt,
  });

  return {
    /** Stores a new pre-review: its number first (unique), then the jurisdiction's log, the document and its work-list entry. */
    async create(record: PreReviewRecord): Promise<PreReviewRecord> {
      await Numbers.insertOne({ _id: record.preReviewNo as never, preReviewId: record.id });
      await log.append(logKey(record.routing.jurisdiction), record.id, record.createdAt);
      const { id, ...fields } = record;
      await PreReviews.insertOne({ _id: id as never, ...fields });
      await Open.insertOne({ _id: id as never, ...openEntry(record) });
      return record;
    },

    async get(id: string): Promise<PreReviewRecord | null> {
      const doc = await PreReviews.findOne({ _id: id as never });
      return doc ? toRecord(doc) : null;
    },

    async findByNumber(preReviewNo: string): Promise<PreReviewRecord | null> {
      const entry = await Numbers.findOne({ _id: preReviewNo as never });
      const found = entry ? await this.get(String(entry.preReviewId)) : null;
      return found?.preReviewNo === preReviewNo ? found : null;
    },

    /** Writes a change at `expectedVersion` + 1 (journal claim first; a conflict is a 409), then moves the work-list entry. */
    async update(current: PreReviewRecord, change: VersionedChange, now: Date): Promise<PreReviewRecord> {
      await versionedUpdate(PreReviews, Journal, current.id, current.version, change, { entity: current.id }, now);
      const next = (await this.get(current.id))!;
      // Only what waits for an answer is on the work list.
      if (next.status === 'submitted') await Open.replaceOne({ _id: next.id as never }, openEntry(next), { upsert: true });
      else await Open.deleteOne({ _id: next.id as never });
      return next;
    },

    /** The pre-reviews waiting for an answer (a small view: a handful per office at any time). */
    async open(): Promise<OpenPreReview[]> {
      return (await Open.find({}).toArray()).map(({ _id, ...rest }) => ({ id: String(_id), ...rest }) as OpenPreReview);
    },

    /** A jurisdiction's latest pre-reviews of every status, newest first, at most `limit`. */
    async recent(jurisdiction: string, limit: number): Promise<PreReviewRecord[]> {
      const entries = await log.newest(logKey(jurisdiction), limit);
      const docs = await readByIds<mongo.Document>(PreReviews, [...new Set(entries.map((e) => e.ref))]);
      return docs.map(toRecord);
    },

    /**
     * Claims the one conversion of a pre-review into the application `applicationId` (an insert of the pre-review's
     * id, atomic on every store); false when it was claimed before. A marker for the attempt goes first, so a writer
     * that stops before finishing leaves something small for the sweep to find.
     */
    async claimConversion(id: string, by: Actor, at: Date, applicationId: string): Promise<boolean> {
      await Pending.insertOne({ _id: `${id}:${applicationId}` as never, preReviewId: id, applicationId, at });
      try {
        await Conversions.insertOne({ _id: id as never, by, at, applicationId });
        return true;
      } catch (e) {
        await Pending.deleteOne({ _id: `${id}:${applicationId}` as never });
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },

    /** Gives a claimed conversion up (the application was not created), so it can be tried again. */
    async releaseConversion(id: string, applicationId: string): Promise<void> {
      await Conversions.deleteOne({ _id: id as never, applicationId } as never);
      await Pending.deleteOne({ _id: `${id}:${applicationId}` as never });
    },

    /** The conversion claimed for a pre-review: who claimed it and the application it makes (which may not exist yet). */
    async conversionOf(id: string): Promise<ConversionClaim | null> {
      const doc = await Conversions.findOne({ _id: id as never });
      if (!doc) return null;
      // Claims written before the application's id was chosen up front noted the application afterwards.
      const applicationId = (doc.applicationId as string | undefined) ?? (doc.application as { id: string } | undefined)?.id ?? null;
      return { preReviewId: id, applicationId, by: doc.by as Actor, at: doc.at as Date };
    },

    /** A conversion is finished (the pre-review links to its application): its marker goes. */
    conversionDone: async (id: string, applicationId: string): Promise<void> => void (await Pending.deleteOne({ _id: `${id}:${applicationId}` as never })),

    /** The conversions begun and not finished: a handful at most (each is removed as its writer finishes). */
    async unfinishedConversions(): Promise<{ preReviewId: string; applicationId: string; at: Date }[]> {
      return (await Pending.find({}).toArray()).map((d) => ({ preReviewId: String(d.preReviewId), applicationId: String(d.applicationId), at: d.at as Date }));
    },

    /**
     * Derives the number index, the jurisdictions' logs and the work list again from the pre-review documents
     * (after a restore, or a repair by hand); returns how many pre-reviews it read.
     */
    async rebuildViews(): Promise<number> {
      await Promise.all([Open.deleteMany({}), Logs.deleteMany({})]);
      let done = 0;
      for await (const doc of PreReviews.find({}).sort({ createdAt: 1 })) {
        const p = toRecord(doc);
        await Numbers.replaceOne({ _id: p.preReviewNo as never }, { preReviewId: p.id }, { upsert: true });
        await log.append(logKey(p.routing.jurisdiction), p.id, p.createdAt);
        if (p.status === 'submitted') await Open.replaceOne({ _id: p.id as never }, openEntry(p), { upsert: true });
        done++;
      }
      return done;
    },
  };
}

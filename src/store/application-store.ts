import { Schema, type Connection, type mongo } from 'mongoose';
import type { ApplicationRecord, EffectRecord } from '../engine/application-record';
import type { ApplicationChange, ApplicationRepository } from '../engine/application-repository';
import { isAppError } from '../errors';
import { createEffectQueue } from './effect-queue';
import { createKeyedLog } from './keyed-log';
import { createOpenApplicationsView, REPAIR_AFTER_MS, type OpenApplication } from './open-applications';
import { ignoreDuplicateWrites, readByIds } from './store-traits';
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
// No secondary index: the journal is read by `_id` alone (`<id>:<version>`), and every index would cost each claim.

// Application number → id, so a status lookup is two `_id` reads (FerretDB 1.x scans a collection for any other filter).
const numberSchema = new Schema({ _id: String, applicationId: String }, { versionKey: false, autoIndex: false });

const sequenceSchema = new Schema({ _id: String, key: String, n: Number, at: Date }, { versionKey: false, autoIndex: false });
sequenceSchema.index({ key: 1, n: -1 });

// Keyed logs over the applications (see keyed-log.ts): an enterprise's, a name's, and each jurisdiction's finished ones by status.
const logKey = {
  uscc: (uscc: string) => `uscc:${uscc}`,
  name: (name: string) => `name:${normalizeName(name)}`,
  finished: (jurisdiction: string, status: string, itemCode?: string) => `done:${jurisdiction}:${status}${itemCode ? `:${itemCode}` : ''}`,
};

/** Applicant names are matched whole, ignoring case and spaces (全角 and 半角 alike). */
export const normalizeName = (name: string) => name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

const isDone = (app: Pick<ApplicationRecord, 'snapshot'>) => (app.snapshot as { status?: string } | null)?.status === 'done';
const jurisdictionsOf = (app: Pick<ApplicationRecord, 'routing' | 'intake'>) => [...new Set([app.routing.jurisdiction, app.intake.jurisdiction])];

export type ApplicationStore = ReturnType<typeof createApplicationStore>;

/** Persistence of application aggregates: every state change is one compare-and-set on `version`. */
export function createApplicationStore(conn: Connection) {
  const Applications = conn.models.Application ?? conn.model('Application', applicationSchema, 'applications');
  const Journal = conn.models.ApplicationJournal ?? conn.model('ApplicationJournal', journalSchema, 'application_journal');
  const Sequences = conn.models.Sequence ?? conn.model('Sequence', sequenceSchema, 'sequences');
  const Numbers = conn.models.ApplicationNumber ?? conn.model('ApplicationNumber', numberSchema, 'application_numbers');
  const effectQueue = createEffectQueue(conn, Journal.collection);
  const Index = conn.models.ApplicationIndex ?? conn.model('ApplicationIndex', new Schema({ _id: String }, { strict: false, versionKey: false }), 'application_index');
  const logs = createKeyedLog(Index.collection);
  const get = async (id: string) => toRecord(await Applications.collection.findOne({ _id: id as never }));
  const open = createOpenApplicationsView(conn, get, repaired);
  // Versions (`<id>:<version>`) whose open-work entry this process put and logged, until their effects settle here (see viewFollows).
  const followedHere = new Set<string>();
  const FOLLOWED_HERE_AT_MOST = 10_000;

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

  /** After a saved change whose entry was put and logged: a process that just finished joins its finished logs, then the writer's marker goes. */
  async function followed(after: ApplicationRecord, before: ApplicationRecord | null, marker: string | null): Promise<void> {
    if (isDone(after) && !(before && isDone(before))) await joinFinishedLogs(after);
    if (marker) await open.unmark(marker);
    // No open-work marker: the change had effects, and its effect marker waits for viewFollows.
    else {
      followedHere.add(`${after.id}:${after.version}`);
      if (followedHere.size > FOLLOWED_HERE_AT_MOST) followedHere.delete(followedHere.values().next().value!);
    }
  }

  const joinFinishedLogs = async (app: ApplicationRecord) => {
    for (const j of jurisdictionsOf(app)) {
      await logs.append(logKey.finished(j, app.status), app.id, app.updatedAt);
      await logs.append(logKey.finished(j, app.status, app.itemCode), app.id, app.updatedAt);
    }
  };

  /** A writer died after marking version `v`: if its claim finished the process, the finished logs may lack it (an entry may then appear twice, which readers drop). */
  async function repaired(app: ApplicationRecord, markedVersion: number): Promise<void> {
    const claim = await Journal.collection.findOne({ _id: `${app.id}:${markedVersion}` } as never, { projection: { 'change.set.snapshot.status': 1 } });
    if ((claim?.change as { set?: { snapshot?: { status?: string } } } | null)?.set?.snapshot?.status === 'done') await joinFinishedLogs(app);
    await open.write(app);
  }

  /**
   * Makes sure the open-work view follows version `version` of the application: a change with effects leaves no
   * open-work marker, its effect marker stands for it, so this runs before that marker goes (and for old ones, in the repair).
   * A version this process put and logged needs nothing; any other is made to follow and logged again (its writer may have died).
   */
  async function viewFollows(id: string, version: number): Promise<void> {
    if (followedHere.delete(`${id}:${version}`)) return;
    const [entry, app] = await Promise.all([open.entryVersion(id), get(id)]);
    // A later change's entry: its own writer logs it, or its marker repairs it.
    if (!app || (entry !== null && entry > version)) return;
    await repaired(app, version);
  }

  /** A claim about to be rolled forward may lack its writer's marker (sent with it): marked again, so its effects run and the view follows. */
  const remark = (claim: mongo.Document) => (claim.hasPendingEffects ? effectQueue.mark(claim.entity, claim.version) : open.mark(claim.entity, claim.version));

  const store = {
    async ensureIndexes(): Promise<void> {
      await Promise.all([
        Applications.createIndexes(), Journal.createIndexes(), Sequences.createIndexes(), Numbers.createIndexes(), Index.createIndexes(),
        effectQueue.ensureIndexes(), open.ensureIndexes(),
      ]);
    },

    /**
     * Stores a new application. What points to it (number, enterprise and name logs, the open-work marker,
     * the journal entry) comes first, so it is never without them; the open-work view follows it.
     */
    async insert(record: ApplicationRecord): Promise<void> {
      const { id, ...rest } = record;
      await addNumber(record.applicationNo, id);
      await logs.append(logKey.uscc(record.applicant.uscc), id, record.createdAt);
      await logs.append(logKey.name(record.applicant.name), id, record.createdAt);
      // Together: a journal entry left without its markers has no document, which lands only once all three did.
      const [marker] = await Promise.all([
        open.mark(id, 1),
        record.outbox.length ? effectQueue.mark(id, 1) : null,
        Journal.collection.insertOne({
          _id: `${id}:1`, entity: id, version: 1, at: record.createdAt, change: null, effects: record.outbox, hasPendingEffects: record.outbox.length > 0,
        } as never),
      ]);
      // Its entry before the document, as for every change (open-applications.ts); a writer that dies here leaves its marker.
      await open.put(record);
      await Applications.collection.insertOne({ _id: id, ...rest } as never);
      await open.log(id);
      await open.unmark(marker);
    },

    /**
     * Stores many applications at once, with everything `insert` and later changes write beside them (number,
     * logs, a journal entry per version, the open-work entry): the bulk path for seeding and imports.
     */
    async insertMany(records: ApplicationRecord[]): Promise<void> {
      if (!records.length) return;
      const unordered = { ordered: false } as const;
      await Numbers.collection.insertMany(records.map((r) => ({ _id: r.applicationNo, applicationId: r.id })) as never[], unordered).catch(ignoreDuplicateWrites);
      await logs.appendMany(records.flatMap((r) => [
        { key: logKey.uscc(r.applicant.uscc), ref: r.id, at: r.createdAt },
        { key: logKey.name(r.applicant.name), ref: r.id, at: r.createdAt },
        ...(isDone(r) ? jurisdictionsOf(r).flatMap((j) => [
          { key: logKey.finished(j, r.status), ref: r.id, at: r.updatedAt },
          { key: logKey.finished(j, r.status, r.itemCode), ref: r.id, at: r.updatedAt },
        ]) : []),
      ]));
      const journal = records.flatMap((r) => Array.from({ length: r.version }, (_, i) => ({
        _id: `${r.id}:${i + 1}`, entity: r.id, version: i + 1, at: r.timeline[i]?.at ?? r.createdAt,
        change: i === 0 ? null : { set: {}, push: { timeline: r.timeline[i] ? [r.timeline[i]] : [] } }, effects: [], hasPendingEffects: false,
      })));
      for (let i = 0; i < journal.length; i += 1000) await Journal.collection.insertMany(journal.slice(i, i + 1000) as never[], unordered).catch(ignoreDuplicateWrites);
      await Applications.collection.insertMany(records.map(({ id, ...rest }) => ({ _id: id, ...rest })) as never[], unordered).catch(ignoreDuplicateWrites);
      await open.writeMany(records);
    },

    get,

    /** Applications by id, in the order given (missing ones left out). */
    async getMany(ids: string[]): Promise<ApplicationRecord[]> {
      return (await readByIds(Applications.collection, ids)).map((d) => toRecord(d)!);
    },

    async findByNumber(applicationNo: string): Promise<ApplicationRecord | null> {
      const entry = await Numbers.findById(applicationNo).lean<{ applicationId: string }>();
      const app = entry ? await this.get(entry.applicationId) : null;
      return app?.applicationNo === applicationNo ? app : null;
    },

    /**
     * Saves a change only if nobody else changed the application since `expectedVersion` was read; returns
     * the new version. `base` is the application as read at that version (read again when not given).
     */
    async compareAndSet(id: string, expectedVersion: number, change: ApplicationChange, base?: ApplicationRecord): Promise<number> {
      // A fact (a document recorded, engine.record) changes no status, timer or deadline: the open-work view does not follow it, and readers know it by factVersions.
      if (change.set.factVersions?.includes(expectedVersion + 1) && !change.outbox.length) {
        return versionedUpdate(Applications.collection, Journal.collection, id, expectedVersion, { set: change.set, push: { timeline: change.timeline, outbox: [] } },
          { effects: [], hasPendingEffects: false }, (change.set.updatedAt as Date | undefined) ?? new Date(), { beforeRollForward: remark });
      }
      const before = base ?? (await get(id));
      // One marker, sent with the claim and landed before the document, for a crash after the claim: the effect marker, which
      // also stands for the open-work view (see viewFollows), or an open-work marker for a change without effects.
      const marking = change.outbox.length ? effectQueue.mark(id, expectedVersion + 1).then(() => null) : open.mark(id, expectedVersion + 1);
      // Known only from a base at expectedVersion (any other cannot be written over); without it the marker's repair puts the entry.
      const after = before?.version === expectedVersion ? ({ ...before, ...change.set, version: expectedVersion + 1 } as ApplicationRecord) : null;
      // The entry goes between the claim and the document (open-applications.ts), and its change is logged while the document is
      // written; a failure of either is left to the marker's repair.
      let logging = Promise.resolve(false);
      const putEntry = async () => {
        if (after && (await open.put(after).then(() => true, () => false))) logging = open.log(after.id).then(() => true, () => false);
      };
      const version = await versionedUpdate(
        Applications.collection,
        Journal.collection,
        id,
        expectedVersion,
        { set: change.set, push: { timeline: change.timeline, outbox: change.outbox } },
        { effects: change.outbox, hasPendingEffects: change.outbox.length > 0 },
        (change.set.updatedAt as Date | undefined) ?? new Date(),
        { markers: marking, readAtExpected: base?.version === expectedVersion, afterClaim: putEntry, beforeRollForward: remark },
      ).catch(async (e) => {
        // A refused claim (conflict, not found) changed nothing; any other failure may have landed and is left to repair.
        if (isAppError(e)) await marking.then((m) => m && open.unmark(m), () => {});
        throw e;
      });
      const marker = await marking;
      if (after && (await logging)) await followed(after, before, marker);
      return version;
    },

    /** Open work (the few thousand applications in hand), filtered; never reads history. */
    openApplications: (filter: { jurisdictions?: string[]; status?: string[]; itemCode?: string; uscc?: string }): Promise<OpenApplication[]> => open.find(filter),

    /** Re-syncs the open-work entry of an application a reader found it behind. */
    resyncOpen: (app: ApplicationRecord) => open.resync(app),

    /** Ids of every open application. */
    openApplicationIds: () => open.ids(),

    /** Repairs the open-work view after writers that died between saving an application and updating it. */
    async repairViews(olderThanMs?: number): Promise<number> {
      const repaired = await open.repair(olderThanMs);
      // Effect markers stay until their effects settle (a mail server down for hours): their view is checked once, when they are as old.
      const unchecked = await effectQueue.viewUnchecked(olderThanMs ?? REPAIR_AFTER_MS);
      for (const marker of unchecked) {
        await viewFollows(marker.entity, marker.version);
        await effectQueue.viewChecked(marker.entity, marker.version);
      }
      return repaired + unchecked.length;
    },

    /** An enterprise's applications, newest first, all statuses (bounded by that enterprise's history). */
    async byUscc(uscc: string, limit: number): Promise<ApplicationRecord[]> {
      return this.getMany(dedupe(await logs.newest(logKey.uscc(uscc), limit)));
    },

    /** Applications whose applicant has this name (matched whole), newest first. */
    async byApplicantName(name: string, limit: number): Promise<ApplicationRecord[]> {
      const apps = await this.getMany(dedupe(await logs.newest(logKey.name(name), limit)));
      return apps.filter((a) => normalizeName(a.applicant.name) === normalizeName(name));
    },

    /**
     * Finished applications of these jurisdictions and statuses (and item), newest finished first, a page and
     * the total: each (jurisdiction, status) and (jurisdiction, status, item) keeps a log, so a page reads
     * about `offset + limit` entries of each and the total is the sum of their counts.
     */
    async finished(jurisdictions: string[], statuses: string[], itemCode: string | undefined, page: { offset: number; limit: number }): Promise<{ items: ApplicationRecord[]; total: number }> {
      const keys = jurisdictions.flatMap((j) => statuses.map((st) => logKey.finished(j, st, itemCode)));
      const want = page.offset + page.limit;
      const [counts, heads] = await Promise.all([
        Promise.all(keys.map((k) => logs.count(k))),
        Promise.all(keys.map((k) => logs.newest(k, want))),
      ]);
      const entries = heads.flat().sort((a, b) => b.at.getTime() - a.at.getTime() || (b.ref < a.ref ? -1 : 1));
      const items = await this.getMany(dedupe(entries).slice(page.offset, want));
      return { items, total: counts.reduce((a, b) => a + b, 0) };
    },

    /** Applications with a timer due at or before `now` (found in the open-work view: only open work has timers). */
    withDueTimers: (now: Date, limit: number, noneDueBefore?: Date): Promise<string[]> => open.dueAt(now, limit, noneDueBefore),

    /** Applications with journal entries whose effects have not all finished. */
    withPendingEffects: (limit: number): Promise<string[]> => effectQueue.entities(limit),

    /** Journal entries of one application that still have effects to run, oldest first. */
    pendingEffectEntries: (id: string): Promise<{ version: number; effects: EffectRecord[] }[]> => effectQueue.pendingEntries(id),

    /** Marks a journal entry settled: every effect done or given up (an idempotent write: it only ever sets false). */
    async settleEffects(id: string, version: number): Promise<void> {
      // The view first: once the entry is settled its marker may be dropped by anyone (effect-queue.ts, pendingEntries).
      await viewFollows(id, version);
      // Together: both say the same (every effect is done or given up, as the attempts ledger records), so either alone is harmless.
      await Promise.all([Journal.collection.updateOne({ _id: `${id}:${version}` } as never, { $set: { hasPendingEffects: false } }), effectQueue.unmark(id, version)]);
    },

    /** Open renewal (延续) applications of these certificates (a renewal still waiting is open work). */
    async renewalsOf(certificateNumbers: string[]): Promise<Pick<OpenApplication, 'id' | 'applicationNo' | 'status' | 'renewalOf'>[]> {
      if (!certificateNumbers.length) return [];
      const wanted = new Set(certificateNumbers);
      return (await open.renewals()).filter((r) => wanted.has(r.renewalOf!));
    },

    /** Open change (变更) applications of these certificates. */
    async changesOf(certificateNumbers: string[]): Promise<Pick<OpenApplication, 'id' | 'applicationNo' | 'status' | 'changeOf'>[]> {
      if (!certificateNumbers.length) return [];
      const wanted = new Set(certificateNumbers);
      return (await open.changes()).filter((r) => wanted.has(r.changeOf!));
    },

    /**
     * Rebuilds every derived view from the applications themselves (after a restore, or to repair by hand):
     * the number index, the enterprise and name logs, the finished logs and the open-work view. Reads the
     * whole collection once: a maintenance command, never run at start.
     */
    async rebuildViews(progress: (done: number) => void = () => {}): Promise<number> {
      await Promise.all([Index.collection.deleteMany({}), open.clear()]);
      let done = 0;
      for await (const doc of Applications.collection.find({}).sort({ createdAt: 1 })) {
        const app = toRecord(doc)!;
        await addNumber(app.applicationNo, app.id);
        await logs.append(logKey.uscc(app.applicant.uscc), app.id, app.createdAt);
        await logs.append(logKey.name(app.applicant.name), app.id, app.createdAt);
        if (isDone(app)) await joinFinishedLogs(app);
        await open.write(app);
        if (++done % 1000 === 0) progress(done);
      }
      return done;
    },

    /** Next number in a per-jurisdiction, per-day sequence. */
    nextSequence: (key: string) => nextInSequence(Sequences.collection, key),

    model: Applications,
  };
  // Checked here, where the engine's port and its implementation meet.
  return store satisfies ApplicationRepository;
}

/** Refs in order, each once (a log may hold a reference twice after a retried write). */
function dedupe(entries: { ref: string }[]): string[] {
  return [...new Set(entries.map((e) => e.ref))];
}

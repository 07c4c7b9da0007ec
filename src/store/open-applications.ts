import { randomBytes } from 'node:crypto';
import { Schema, type Connection, type mongo } from 'mongoose';
import type { ChainStep } from '../../machines/process-types';
import { chainEntryOf } from '../auth/review-chain';
import { lastChangeVersion, type ApplicationRecord, type ClockRecord } from '../engine/application-record';
import { createKeyedLog } from './keyed-log';
import { ignoreDuplicateWrites, isDuplicateKey, readByIds } from './store-traits';

/** A sync marker whose writer has not finished after this long is repaired from the application itself. */
export const REPAIR_AFTER_MS = 30_000;

/** What the work list and the timer tick need of one open application: enough to filter, sort and find what is due. */
export interface OpenApplication {
  id: string;
  applicationNo: string;
  itemCode: string;
  status: string;
  /** Routed and intake jurisdictions: a reader who covers either sees it. */
  jurisdictions: string[];
  uscc: string;
  createdAt: Date;
  version: number;
  decisionClock: ClockRecord | null;
  deadlines: { name: string; dueDate: string }[];
  nextTimerAt: Date | null;
  /** 延续: the certificate a renewal application renews. */
  renewalOf: string | null;
  /** 变更: the certificate a change application changes (absent from entries written before). */
  changeOf?: string | null;
  /** The review chain's step in hand, its clock and the assigned handler's username (absent from entries written before: none). */
  chainStep?: ChainStep | null;
  stepClock?: ClockRecord | null;
  assignee?: string | null;
}

const viewSchema = new Schema(
  {
    _id: String, applicationNo: String, itemCode: String, status: String, jurisdictions: [String], uscc: String,
    createdAt: Date, version: Number, decisionClock: Schema.Types.Mixed, deadlines: Schema.Types.Mixed, nextTimerAt: Date, renewalOf: String, changeOf: String,
    chainStep: String, stepClock: Schema.Types.Mixed, assignee: String,
  },
  { versionKey: false, autoIndex: false },
);

// Past this many changes since a process last looked, it reads the whole view again rather than each change.
const RELOAD_AFTER_CHANGES = 2000;
const CHANGES = 'changes';

const markerSchema = new Schema({ _id: String, entity: String, version: Number, at: Date }, { versionKey: false, autoIndex: false });
markerSchema.index({ at: 1 });

/** Open work stays in the view until its process is done and no deadline is left to fire. */
export const isOpen = (app: Pick<ApplicationRecord, 'snapshot' | 'nextTimerAt'>) =>
  (app.snapshot as { status?: string } | null)?.status !== 'done' || app.nextTimerAt !== null;

function entryOf(app: ApplicationRecord): Omit<OpenApplication, 'id'> & { _id: string } {
  return {
    _id: app.id,
    applicationNo: app.applicationNo,
    itemCode: app.itemCode,
    status: app.status,
    jurisdictions: [...new Set([app.routing.jurisdiction, app.intake.jurisdiction])],
    uscc: app.applicant.uscc,
    createdAt: app.createdAt,
    // The last change the entry follows: facts recorded since (documents) do not move it, whoever writes the entry.
    version: lastChangeVersion(app),
    decisionClock: app.clocks.decision ?? null,
    deadlines: app.timers.filter((t) => t.status === 'pending').map((t) => ({ name: t.name, dueDate: t.dueDate })),
    nextTimerAt: app.nextTimerAt,
    renewalOf: app.details.renewalOf ?? null,
    changeOf: app.details.changeOf ?? null,
    ...chainEntryOf(app),
  };
}

export type OpenApplicationsView = ReturnType<typeof createOpenApplicationsView>;

/**
 * The applications still in hand (an office's open work is a few thousand at any time, however many years
 * of history are stored), one small document each keyed by the application's `_id`. The applications
 * stay the truth: a writer puts the entry after claiming its version and before writing the application,
 * so entries follow the claims in order (no put of an older version lands after a newer one). A marker
 * written before each change is removed once the change is written and logged, so a writer that died in between is
 * repaired from the application by `repair()`; a reader that finds the view behind an application re-syncs it.
 */
export function createOpenApplicationsView(
  conn: Connection,
  read: (id: string) => Promise<ApplicationRecord | null>,
  repaired: (app: ApplicationRecord, markedVersion: number) => Promise<void>,
) {
  const View = conn.models.OpenApplication ?? conn.model('OpenApplication', viewSchema, 'open_applications');
  const Markers = conn.models.OpenApplicationMarker ?? conn.model('OpenApplicationMarker', markerSchema, 'open_applications_pending');
  const toEntry = ({ _id, ...rest }: mongo.Document) => ({ id: String(_id), ...rest }) as OpenApplication;
  // Every write of the view is logged (which application changed), so each process keeps a copy of the open
  // work and follows the log by `_id` reads instead of querying the view: FerretDB 1.x filters each document of
  // a query in Go (about 0.15 ms each), too slow for thousands on every work-list page.
  const Changes = conn.models.OpenApplicationChange ?? conn.model('OpenApplicationChange', new Schema({ _id: String }, { strict: false, versionKey: false }), 'open_applications_changes');
  const changes = createKeyedLog(Changes.collection);
  const mirror = { entries: new Map<string, OpenApplication>(), seen: -1 };

  /** Brings this process's copy of the open work up to date: the changes since it last looked, or everything once. */
  async function current(): Promise<Map<string, OpenApplication>> {
    const top = await changes.count(CHANGES, Math.max(0, mirror.seen));
    if (mirror.seen < 0 || top - mirror.seen > RELOAD_AFTER_CHANGES || top < mirror.seen) {
      // Changes logged from here on are read next time, so nothing written during the read is missed.
      const entries = new Map((await View.collection.find({}).toArray()).map((d) => [String(d._id), toEntry(d)]));
      Object.assign(mirror, { entries, seen: top });
      return entries;
    }
    if (top > mirror.seen) {
      const changed = [...new Set((await changes.newest(CHANGES, top - mirror.seen, top + 1)).map((c) => c.ref))];
      const docs = new Map((await readByIds(View.collection, changed)).map((d) => [String(d._id), toEntry(d)]));
      for (const id of changed) {
        if (docs.has(id)) mirror.entries.set(id, docs.get(id)!);
        else mirror.entries.delete(id);
      }
      mirror.seen = top;
    }
    return mirror.entries;
  }

  // After a look at `from` found nothing due, nothing is due before `until` but what this process writes itself
  // (a deadline set elsewhere ends no earlier than the end of the day it was set): the ticks until then read nothing.
  let quiet: { from: number; until: number } | null = null;

  const noteDeadline = (app: ApplicationRecord) => {
    if (quiet && app.nextTimerAt && app.nextTimerAt.getTime() < quiet.until) quiet = null;
  };

  async function putEntry(app: ApplicationRecord): Promise<void> {
    noteDeadline(app);
    if (isOpen(app)) await View.collection.replaceOne({ _id: app.id } as never, entryOf(app), { upsert: true }).catch(ignoreRacingUpsert);
    else await View.collection.deleteOne({ _id: app.id } as never);
  }

  // Logged after the entry is written, so a process that reads the log finds the entry as changed. Every change is
  // logged, this process's concurrent ones in one insert; the hint moves every 8th, since readers start from the last number they saw.
  const appendChange = changes.grouped(CHANGES, 8);
  const logChange = async (id: string) => void (await appendChange(id));

  async function write(app: ApplicationRecord): Promise<void> {
    await putEntry(app);
    await logChange(app.id);
  }

  return {
    ensureIndexes: () => Promise.all([View.createIndexes(), Markers.createIndexes(), Changes.createIndexes()]),

    /** Written by each writer as it claims a version (landed before the document, so no change lands without one); returns the marker. */
    async mark(id: string, version: number): Promise<string> {
      const marker = `${id}:${version}:${randomBytes(4).toString('hex')}`;
      await Markers.collection.insertOne({ _id: marker, entity: id, version, at: new Date() } as never);
      return marker;
    },

    /** A writer drops its marker once its change is logged, or when it lost its claim (its change never landed). */
    unmark: async (marker: string) => void (await Markers.collection.deleteOne({ _id: marker } as never)),

    /** The entry of one application, written as the application is now. */
    write,

    /** Entries of many applications at once (seeding, imports): one bulk write and one batch of changes. */
    async writeMany(apps: ApplicationRecord[]): Promise<void> {
      const open = apps.filter(isOpen);
      open.forEach(noteDeadline);
      if (open.length) await View.collection.insertMany(open.map(entryOf) as never[], { ordered: false }).catch(ignoreDuplicateWrites);
      await changes.appendMany(open.map((a) => ({ key: CHANGES, ref: a.id, at: new Date() })));
    },

    /**
     * The entry of an application about to be written at a version its writer has claimed (before the document:
     * the next version is claimed only once this one's document is read, so puts land in the order of the claims).
     */
    put: putEntry,

    /** Logs a change whose entry was put, for the other processes' copies. */
    log: logChange,

    /** The version the entry of one application was written at, or null when it has none (closed, or never open). */
    async entryVersion(id: string): Promise<number | null> {
      const entry = await View.collection.findOne({ _id: id } as never, { projection: { version: 1 } });
      return entry ? (entry.version as number) : null;
    },

    /** A marker whose writer died or lost its claim: the view is made to follow the application as it is. */
    async repair(olderThanMs = REPAIR_AFTER_MS): Promise<number> {
      const stale = await Markers.find({ at: { $lt: new Date(Date.now() - olderThanMs) } }).limit(500).lean<{ _id: string; entity: string; version: number }[]>();
      for (const marker of stale) {
        const app = await read(marker.entity);
        if (app) await repaired(app, marker.version);
        // A new application whose writer died after putting its entry and before writing it: the entry goes.
        else await View.collection.deleteOne({ _id: marker.entity } as never).then(() => logChange(marker.entity));
        await Markers.collection.deleteOne({ _id: marker._id } as never);
      }
      return stale.length;
    },

    /** Open applications a reader covers, with optional filters; bounded by open work, never by history. */
    async find(filter: { jurisdictions?: string[]; status?: string[]; itemCode?: string; uscc?: string }): Promise<OpenApplication[]> {
      const within = filter.jurisdictions && new Set(filter.jurisdictions);
      return [...(await current()).values()].filter((e) =>
        (!within || e.jurisdictions.some((j) => within.has(j))) &&
        (!filter.status?.length || filter.status.includes(e.status)) &&
        (!filter.itemCode || e.itemCode === filter.itemCode) &&
        (!filter.uscc || e.uscc === filter.uscc));
    },

    /**
     * Ids of open applications with a deadline due at `now`, soonest first. `noneDueBefore` is what the
     * caller knows of deadlines: none set from `now` on can be due before it, so until then (and unless this
     * process sets an earlier one) an empty answer is remembered instead of asked again.
     */
    async dueAt(now: Date, limit: number, noneDueBefore?: Date): Promise<string[]> {
      const t = now.getTime();
      if (quiet && t >= quiet.from && t < quiet.until) return [];
      const due = [...(await current()).values()].filter((e) => e.nextTimerAt && e.nextTimerAt.getTime() <= t)
        .sort((a, b) => a.nextTimerAt!.getTime() - b.nextTimerAt!.getTime()).slice(0, limit);
      quiet = !due.length && noneDueBefore ? { from: t, until: noneDueBefore.getTime() } : null;
      return due.map((e) => e.id);
    },

    /** Open renewal applications, with the certificate each renews. */
    async renewals(): Promise<OpenApplication[]> {
      return [...(await current()).values()].filter((e) => e.renewalOf);
    },

    /** Open change (变更) applications, with the certificate each changes. */
    async changes(): Promise<OpenApplication[]> {
      return [...(await current()).values()].filter((e) => e.changeOf);
    },

    /** Every open application's id (e.g. to recompute provisional deadlines). */
    async ids(): Promise<string[]> {
      return [...(await current()).keys()];
    },

    /** Re-derives the entry of one application from the truth (a reader found it behind). */
    resync: (app: ApplicationRecord) => write(app),

    /** Drops the whole view before a rebuild. */
    // The change log goes on: the rebuild logs every application again, which other processes follow.
    clear: () => Promise.all([View.collection.deleteMany({}), Markers.collection.deleteMany({})]),
  };
}

// Two first upserts of one entry at once: the other one inserted it; the later sync re-reads the truth anyway.
function ignoreRacingUpsert(e: unknown): void {
  if (!isDuplicateKey(e)) throw e;
}

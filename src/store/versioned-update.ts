import type { mongo } from 'mongoose';
import { AppError } from '../errors';
import { claimNext } from './keyed-log';
import { isDuplicateKey, pushesDownOnlyIdFilters } from './store-traits';

/** A change to a versioned document: fields to set and arrays to append to. */
export interface VersionedChange {
  set: Record<string, unknown>;
  push?: Record<string, unknown[]>;
}

/** How long a claimed but unwritten version may wait before another writer completes it from the journal. */
export const ROLL_FORWARD_AFTER_MS = 60_000;

// A claim's age is on the machine's clock (claimedAt): a writer run as of another day (job --now) must not look alive, or dead, to everyone else.
const abandoned = (entry: mongo.Document, wallNow: number) => wallNow - new Date(entry.claimedAt ?? entry.at).getTime() >= ROLL_FORWARD_AFTER_MS;

export { isDuplicateKey } from './store-traits';

function toUpdate(change: VersionedChange, version: number): mongo.Document {
  const update: mongo.Document = { $set: { ...change.set, version } };
  const push = Object.entries(change.push ?? {}).filter(([, items]) => items.length);
  if (push.length) update.$push = Object.fromEntries(push.map(([field, items]) => [field, { $each: items }]));
  return update;
}

/** What a writer adds around its claim; every part may be left out. */
export interface ClaimHooks {
  /**
   * Markers a crash after the claim must find (the repair reads them instead of the journal). Sent with the claim
   * (after the version read where the store needs one), and the document is written only once both landed, so a
   * document never lands without them. A claim can land without them (its writer died, or they failed): its
   * roll-forward marks it first.
   */
  markers?: Promise<unknown>;
  /** The caller read the document at `expectedVersion`, so it need not be read again. */
  readAtExpected?: boolean;
  /** What the claimant writes between its claim and the document (it must not throw). */
  afterClaim?: () => Promise<void>;
  /** What a roller writes before it completes an abandoned claim: the markers its writer may not have left. */
  beforeRollForward?: (claim: mongo.Document) => Promise<unknown>;
}

/**
 * Compare-and-set that holds on stores whose conditional updates are not atomic (FerretDB 1.x reads,
 * then writes). Writing version v+1 first claims it by inserting journal entry `<id>:<v+1>`, which a
 * unique _id makes atomic everywhere; only the claimant writes the document. The journal keeps the
 * change, so a writer that died after claiming is completed by the next one (roll-forward).
 */
export async function versionedUpdate(
  target: mongo.Collection<mongo.Document>,
  journal: mongo.Collection<mongo.Document>,
  id: string,
  expectedVersion: number,
  change: VersionedChange,
  journalFields: mongo.Document = {},
  now: Date = new Date(),
  hooks: ClaimHooks = {},
): Promise<number> {
  const version = expectedVersion + 1;
  const byIdOnly = await pushesDownOnlyIdFilters(target);
  const markers = hooks.markers ?? Promise.resolve();
  const claim = () => journal.insertOne({ _id: `${id}:${version}` as never, entity: id, version, at: now, claimedAt: new Date(), change, ...journalFields });
  // FerretDB cannot check the version in its update: it is read here, alongside the markers, unless the caller read the
  // document at expectedVersion itself (it can only have moved on since by claiming expectedVersion + 1 first).
  if (byIdOnly && !hooks.readAtExpected) {
    const [marked, read] = await Promise.allSettled([markers, target.findOne({ _id: id as never }, { projection: { version: 1 } })]);
    if (marked.status === 'rejected') throw marked.reason;
    if (read.status === 'rejected') throw read.reason;
    if (!read.value) throw notFound(id);
    // Read before the claim and still true after it: nobody moves the document past v without claiming v+1 first.
    if (read.value.version !== expectedVersion) throw conflict(id, expectedVersion);
  }
  const [marked, claimed] = await Promise.allSettled([markers, claim()]);
  if (claimed.status === 'rejected') {
    if (!isDuplicateKey(claimed.reason)) throw claimed.reason;
    await rollForwardIfAbandoned(target, journal, id, expectedVersion, hooks.beforeRollForward);
    throw conflict(id, expectedVersion);
  }
  // The claim stands without its markers: it is left for a roll-forward, which marks it first.
  if (marked.status === 'rejected') throw marked.reason;
  await hooks.afterClaim?.();
  const update = toUpdate(change, version);
  const matched = (await target.updateOne(byIdOnly ? { _id: id as never } : { _id: id as never, version: expectedVersion }, update)).matchedCount === 1;
  if (!matched) {
    // Only possible when the document itself was never at expectedVersion: the claim stays as an orphan record.
    const exists = await target.countDocuments({ _id: id as never }, { limit: 1 });
    if (!exists) throw notFound(id);
    throw conflict(id, expectedVersion);
  }
  return version;
}

/** Completes a version whose claimant stopped between claiming and writing. */
async function rollForwardIfAbandoned(
  target: mongo.Collection<mongo.Document>, journal: mongo.Collection<mongo.Document>, id: string, expectedVersion: number, beforeRollForward?: ClaimHooks['beforeRollForward'],
): Promise<void> {
  const current = await target.findOne({ _id: id as never }, { projection: { version: 1 } });
  if (!current || current.version !== expectedVersion) return;
  const claim = await journal.findOne({ _id: `${id}:${expectedVersion + 1}` as never });
  if (!claim || !abandoned(claim, Date.now())) return;
  // On FerretDB the version check and the write are two steps, so two rollers at once would both append the change.
  if (!(await claimRollForward(journal, `${id}:${expectedVersion + 1}`))) return;
  await beforeRollForward?.(claim);
  await updateAtVersion(target, id, expectedVersion, toUpdate(claim.change as VersionedChange, expectedVersion + 1));
}

/**
 * Lets one roller complete an abandoned version, by the same insert-claim as a write (`<key>:roll-forward:<n>`).
 * A roller that died after claiming is replaced by generation n+1 once its claim is as old as an abandoned version.
 */
async function claimRollForward(journal: mongo.Collection<mongo.Document>, key: string): Promise<boolean> {
  for (let generation = 1; generation <= 100; generation++) {
    const _id = `${key}:roll-forward:${generation}`;
    try {
      await journal.insertOne({ _id: _id as never, rollForwardOf: key, claimedAt: new Date() });
      return true;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const held = await journal.findOne({ _id: _id as never });
      if (held && !abandoned(held, Date.now())) return false;
    }
  }
  return false;
}

/**
 * Writes the document only if it is at `expectedVersion`. MongoDB checks and writes atomically. FerretDB 1.x
 * would read the whole collection for a filter on `_id` and `version`, then write by `_id` without an atomic
 * check anyway; so there the same check and write are done with two `_id` filters it hands to its backend.
 */
async function updateAtVersion(target: mongo.Collection<mongo.Document>, id: string, expectedVersion: number, update: mongo.Document): Promise<boolean> {
  if (!(await pushesDownOnlyIdFilters(target))) {
    return (await target.updateOne({ _id: id as never, version: expectedVersion }, update)).matchedCount === 1;
  }
  const current = await target.findOne({ _id: id as never }, { projection: { version: 1 } });
  if (current?.version !== expectedVersion) return false;
  return (await target.updateOne({ _id: id as never }, update)).matchedCount === 1;
}

const notFound = (id: string) => new AppError('NOT_FOUND', `记录不存在 / ${id} not found`);

function conflict(id: string, expectedVersion: number): AppError {
  return new AppError(
    'VERSION_CONFLICT',
    `记录已被他人更新，请刷新后重试 / ${id} was changed by someone else since version ${expectedVersion}; reload and retry`,
    { expectedVersion },
  );
}

// The last number each sequence handed out in this process: the next claim tries the number after it first.
const lastClaimed = new WeakMap<mongo.Collection<mongo.Document>, Map<string, number>>();

/**
 * The next number of a named sequence, claimed by inserting `<key>:<n>` (atomic on every store, unlike an
 * upserted counter with $inc on FerretDB 1.x). The number after this process's last claim is tried first;
 * otherwise the sequence's hint and `_id` probes find the highest (no query that scans, see keyed-log.ts).
 */
export async function nextInSequence(claims: mongo.Collection<mongo.Document>, key: string, now: Date = new Date()): Promise<number> {
  const last = lastClaimed.get(claims) ?? new Map<string, number>();
  lastClaimed.set(claims, last);
  const n = await claimNext(claims, key, ':', (k) => ({ key, n: k, at: now }), last.get(key));
  last.set(key, n);
  return n;
}

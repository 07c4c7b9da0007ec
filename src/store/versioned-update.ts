import type { mongo } from 'mongoose';
import { AppError } from '../errors';

/** A change to a versioned document: fields to set and arrays to append to. */
export interface VersionedChange {
  set: Record<string, unknown>;
  push?: Record<string, unknown[]>;
}

/** How long a claimed but unwritten version may wait before another writer completes it from the journal. */
export const ROLL_FORWARD_AFTER_MS = 60_000;

const isDuplicateKey = (e: unknown) => (e as { code?: number }).code === 11000;

function toUpdate(change: VersionedChange, version: number): mongo.Document {
  const update: mongo.Document = { $set: { ...change.set, version } };
  const push = Object.entries(change.push ?? {}).filter(([, items]) => items.length);
  if (push.length) update.$push = Object.fromEntries(push.map(([field, items]) => [field, { $each: items }]));
  return update;
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
): Promise<number> {
  const version = expectedVersion + 1;
  try {
    await journal.insertOne({ _id: `${id}:${version}` as never, entity: id, version, at: now, change, ...journalFields });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await rollForwardIfAbandoned(target, journal, id, expectedVersion, now);
    throw conflict(id, expectedVersion);
  }
  const result = await target.updateOne({ _id: id as never, version: expectedVersion }, toUpdate(change, version));
  if (result.matchedCount !== 1) {
    // Only possible when the document itself was never at expectedVersion: the claim stays as an orphan record.
    const exists = await target.countDocuments({ _id: id as never }, { limit: 1 });
    if (!exists) throw new AppError('NOT_FOUND', `记录不存在 / ${id} not found`);
    throw conflict(id, expectedVersion);
  }
  return version;
}

/** Completes a version whose claimant stopped between claiming and writing. */
async function rollForwardIfAbandoned(target: mongo.Collection<mongo.Document>, journal: mongo.Collection<mongo.Document>, id: string, expectedVersion: number, now: Date): Promise<void> {
  const current = await target.findOne({ _id: id as never }, { projection: { version: 1 } });
  if (!current || current.version !== expectedVersion) return;
  const claim = await journal.findOne({ _id: `${id}:${expectedVersion + 1}` as never });
  if (!claim || now.getTime() - new Date(claim.at).getTime() < ROLL_FORWARD_AFTER_MS) return;
  await target.updateOne({ _id: id as never, version: expectedVersion }, toUpdate(claim.change as VersionedChange, expectedVersion + 1));
}

function conflict(id: string, expectedVersion: number): AppError {
  return new AppError(
    'VERSION_CONFLICT',
    `记录已被他人更新，请刷新后重试 / ${id} was changed by someone else since version ${expectedVersion}; reload and retry`,
    { expectedVersion },
  );
}

/**
 * The next number of a named sequence, claimed by inserting `<key>:<n>` (atomic on every store,
 * unlike an upserted counter with $inc on FerretDB 1.x).
 */
export async function nextInSequence(claims: mongo.Collection<mongo.Document>, key: string, now: Date = new Date()): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const last = await claims.find({ key }).sort({ n: -1 }).limit(1).project<{ n: number }>({ n: 1 }).next();
    const n = (last?.n ?? 0) + 1;
    try {
      await claims.insertOne({ _id: `${key}:${n}` as never, key, n, at: now });
      return n;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
  throw new Error(`sequence ${key}: too many concurrent claims`);
}

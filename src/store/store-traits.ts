import type { mongo } from 'mongoose';

/** True for the store's duplicate-key error, the answer to an insert-claim someone else made first. */
export const isDuplicateKey = (e: unknown) => (e as { code?: number }).code === 11000;

/** For a bulk insert that met documents already there (the same records written again): keeps them, rethrows anything else. */
export function ignoreDuplicateWrites(e: unknown): void {
  const errors = (e as { writeErrors?: { code: number }[] }).writeErrors;
  if (!errors || errors.some((w) => w.code !== 11000)) throw e;
}

const filtersOnlyById = new WeakMap<mongo.Db, Promise<boolean>>();

/**
 * True on FerretDB 1.x, which hands only a filter of exactly `{_id}` to its backend and evaluates any
 * other filter in Go over every document of the collection (it reports `ferretdbVersion` in buildInfo).
 */
export function pushesDownOnlyIdFilters(collection: mongo.Collection<mongo.Document>): Promise<boolean> {
  const db = dbOf(collection);
  let known = filtersOnlyById.get(db);
  if (!known) {
    known = db.admin().command({ buildInfo: 1 }).then((info) => typeof info.ferretdbVersion === 'string');
    // A failed probe is asked again next time rather than remembered.
    known.catch(() => filtersOnlyById.delete(db));
    filtersOnlyById.set(db, known);
  }
  return known;
}

/** The database of a driver collection, or of a mongoose collection (which proxies the driver's methods but not `db`). */
function dbOf(collection: mongo.Collection<mongo.Document>): mongo.Db {
  const viaMongoose = (collection as unknown as { conn?: { db?: mongo.Db } }).conn?.db;
  return viaMongoose ?? collection.db;
}

/**
 * Reads documents by `_id`, in the order given, skipping missing ones: one `$in` query where the store plans
 * it with the `_id` index, else point reads side by side (FerretDB 1.x scans a collection for `$in`).
 */
export async function readByIds<T extends mongo.Document>(collection: mongo.Collection<mongo.Document>, ids: string[], projection?: mongo.Document): Promise<T[]> {
  if (!ids.length) return [];
  let docs: mongo.Document[];
  if (await pushesDownOnlyIdFilters(collection)) {
    const found = await Promise.all(ids.map((id) => collection.findOne({ _id: id as never }, { projection })));
    docs = found.filter((d) => d !== null);
  } else {
    docs = await collection.find({ _id: { $in: ids as never[] } }, { projection }).toArray();
  }
  const byId = new Map(docs.map((d) => [String(d._id), d as T]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

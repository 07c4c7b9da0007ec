import type { mongo } from 'mongoose';

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

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * FerretDB 1.24 (SQLite) looks documents up with `_ferretdb_sjson->'$._id'` but indexes `_id` as
 * `_ferretdb_sjson->"_id"`, and SQLite uses an expression index only for the identical expression: every
 * `_id` read, update and delete scans its table. This gives each collection table an index on the
 * expression FerretDB really queries with, which turns those scans into index searches.
 */
const ID_EXPRESSION = `_ferretdb_sjson->'$._id'`;
const indexName = (table: string) => `${table}__id_path`;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Adds the `_id` index to every collection table of every database file in `dir` that lacks it; returns how many it created. */
export function ensureIdIndexes(dir: string): number {
  let created = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sqlite'))) created += ensureInFile(join(dir, file));
  return created;
}

function ensureInFile(path: string): number {
  let db: Database.Database;
  try {
    // FerretDB holds the write lock while it writes; wait for it rather than fail.
    db = new Database(path, { fileMustExist: true, timeout: 10_000 });
  } catch {
    return 0; // dropped between the listing and the open
  }
  try {
    const hasMetadata = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_ferretdb_collections'`).get();
    if (!hasMetadata) return 0;
    const tables = db.prepare('SELECT table_name FROM _ferretdb_collections').pluck().all() as string[];
    const existing = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all() as string[]);
    let created = 0;
    for (const table of tables.filter((t) => !existing.has(indexName(t)))) {
      try {
        db.exec(`CREATE INDEX IF NOT EXISTS ${quote(indexName(table))} ON ${quote(table)} (${ID_EXPRESSION})`);
        created++;
      } catch (e) {
        // A collection dropped since the metadata was read has no table left to index.
        if (!/no such table/.test((e as Error).message)) throw e;
      }
    }
    return created;
  } finally {
    db.close();
  }
}

/**
 * Keeps the `_id` indexes in place for collections and databases created after start (a new database
 * per test file, a collection first written later): checks every `intervalMs`, which reads only
 * FerretDB's small metadata tables. Returns a function that stops it.
 */
export function keepIdIndexes(dir: string, intervalMs: number, log: (msg: string) => void): () => void {
  const run = () => {
    try {
      const created = ensureIdIndexes(dir);
      if (created) log(`FerretDB SQLite: created ${created} _id index(es) on the expression FerretDB queries with`);
    } catch (e) {
      log(`FerretDB SQLite: could not check the _id indexes: ${(e as Error).message}`);
    }
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

import pg from 'pg';

/**
 * FerretDB 1.24 (PostgreSQL) pushes an `_id` equality down as `_jsonb->'_id' @> '"<id>"'`, which its own
 * btree index on `(_jsonb->'_id')` cannot serve (FerretDB issue 4646): every `_id` read, update and delete
 * scans its table. A GIN index on that expression serves it; this gives every collection table one.
 */
const indexName = (table: string) => `${table}__id_gin`;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Adds the GIN `_id` index to every FerretDB collection table in the database that lacks it; returns how many it created. */
export async function ensurePostgresIdIndexes(client: pg.ClientBase): Promise<number> {
  // Each FerretDB database is a schema with a metadata table naming its collections' tables.
  const schemas = (await client.query<{ schema: string }>(`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'`)).rows;
  let created = 0;
  for (const { schema } of schemas) {
    const tables = (await client.query<{ table: string }>(`SELECT _jsonb->>'table' AS table FROM ${quote(schema)}._ferretdb_database_metadata`)).rows.map((r) => r.table);
    const existing = new Set((await client.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [schema])).rows.map((r) => r.indexname));
    for (const table of tables.filter((t) => t && !existing.has(indexName(t)))) {
      try {
        // fastupdate off: a GIN index otherwise queues new entries in a pending list every lookup reads through
        // (44 ms per `_id` miss on 180,000 log entries under bulk inserts, 0.04 ms without it).
        await client.query(`CREATE INDEX IF NOT EXISTS ${quote(indexName(table))} ON ${quote(schema)}.${quote(table)} USING gin ((_jsonb->'_id') jsonb_path_ops) WITH (fastupdate = off)`);
        created++;
      } catch (e) {
        // A collection (or database) dropped since its metadata was read has no table left to index.
        if ((e as { code?: string }).code !== '42P01' && (e as { code?: string }).code !== '3F000') throw e;
      }
    }
  }
  return created;
}

/**
 * Keeps the indexes in place for collections and databases created after start, checking every
 * `intervalMs` (it reads only FerretDB's small metadata tables and the catalog). Returns a function that stops it.
 */
export function keepPostgresIdIndexes(url: string, intervalMs: number, log: (msg: string) => void): () => void {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  // A failed connection is reported by the next check, never thrown at the process.
  pool.on('error', () => {});
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const client = await pool.connect();
      try {
        const created = await ensurePostgresIdIndexes(client);
        if (created) log(`FerretDB PostgreSQL: created ${created} GIN _id index(es) on the expression FerretDB queries with`);
      } finally {
        client.release();
      }
    } catch (e) {
      log(`FerretDB PostgreSQL: could not check the _id indexes: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  // Stopped both when the server exits and when it is stopped: the pool ends once.
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    void pool.end().catch(() => {});
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../src/store/embedded-server';

// The machine's PostgreSQL (README: FerretDB over PostgreSQL); each run gets its own database.
const ADMIN_URL = process.env.TEST_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('the embedded store on PostgreSQL (FERRETDB_POSTGRESQL_URL)', function () {
  this.timeout(180_000);
  const database = `permit_test_${process.pid}_${Date.now()}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'permit-pg-'));
  const databaseUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
  let server: EmbeddedServer;
  let sql: pg.Client;
  before(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    server = await startEmbeddedServer({ dataDir, postgresqlUrl: databaseUrl, log: () => {} });
    sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await server?.stop();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a collection is created after start, then the launcher gives its table the GIN _id index and an _id read is an index scan, not a table scan', async () => {
    const client = await MongoClient.connect(server.uri);
    try {
      const apps = client.db('permits').collection('applications');
      await apps.insertMany(Array.from({ length: 3000 }, (_, i) => ({ _id: `app-${i}` as never, status: 'completed', pad: 'x'.repeat(200) })));
      const table = (await sql.query<{ t: string }>(`SELECT _jsonb->>'table' AS t FROM permits._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'applications'`)).rows[0].t;
      let indexed = false;
      for (const until = Date.now() + 20_000; !indexed && Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
        indexed = (await sql.query(`SELECT 1 FROM pg_indexes WHERE schemaname = 'permits' AND tablename = $1 AND indexdef LIKE '%USING gin%fastupdate=off%'`, [table])).rowCount === 1;
      }
      expect(indexed, `no GIN _id index without a pending list on ${table}`).to.equal(true);
      await sql.query(`ANALYZE permits."${table}"`);
      // The filter exactly as FerretDB pushes an _id equality down (internal/backends/postgresql/query.go filterEqual).
      const plan = (await sql.query(`EXPLAIN SELECT _jsonb FROM permits."${table}" WHERE _jsonb->'_id' @> '"app-1234"'`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).to.match(/Index Scan/).and.not.match(/Seq Scan/);
      expect(await apps.findOne({ _id: 'app-1234' as never })).to.include({ status: 'completed' });
    } finally {
      await client.close();
    }
  });
});

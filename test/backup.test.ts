import { execFile as execFileCallback } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { backupEmbeddedStore, restoreEmbeddedStore } from '../src/store/backup';
import { startEmbeddedServer, type EmbeddedServer } from '../src/store/embedded-server';

const execFile = promisify(execFileCallback);
const project = new URL('..', import.meta.url).pathname;

describe('backup and restore of the embedded FerretDB store', function () {
  this.timeout(120_000);
  let dataDir: string;
  let server: EmbeddedServer;
  let conn: mongoose.mongo.MongoClient;

  before(async function () {
    this.timeout(15 * 60_000);
    dataDir = mkdtempSync(join(tmpdir(), 'permit-backup-'));
    server = await startEmbeddedServer({ dataDir: join(dataDir, 'store'), log: () => {} });
    if (server.kind !== 'ferretdb') this.skip();
    conn = await new mongoose.mongo.MongoClient(server.uri).connect();
    await conn.db('alpha').collection('notes').insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `n${i}` as never, text: `note ${i}` })));
    await conn.db('beta').collection('cards').insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `c${i}` as never, n: i })));
  });

  after(async () => {
    await conn?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a backup is taken while writes go on, then it holds every database as one consistent snapshot, and restored into a fresh folder it reads back exactly that', async () => {
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) await conn.db('alpha').collection('writes').insertOne({ _id: `w${written++}` as never, at: new Date() });
    })();
    const file = join(dataDir, 'backups', 'store.tar.gz');
    let manifest;
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      manifest = await backupEmbeddedStore({ storeDir: join(dataDir, 'store'), file });
    } finally {
      writing = false;
      await writer;
    }
    expect(manifest.databases.map((d) => d.file)).to.include.members(['alpha.sqlite', 'beta.sqlite']);
    const alpha = manifest.databases.find((d) => d.file === 'alpha.sqlite')!;
    expect(alpha.collections.notes).to.equal(200);
    expect(alpha.collections.writes, 'writes made while the backup ran').to.be.within(1, written);
    expect(manifest.databases.find((d) => d.file === 'beta.sqlite')!.collections.cards).to.equal(50);

    const fresh = mkdtempSync(join(tmpdir(), 'permit-restored-'));
    try {
      const restored = await restoreEmbeddedStore({ storeDir: join(fresh, 'store'), file });
      expect(restored.keptPrevious).to.equal(null);
      const copy = await startEmbeddedServer({ dataDir: join(fresh, 'store'), log: () => {} });
      const reader = await new mongoose.mongo.MongoClient(copy.uri).connect();
      try {
        expect(await reader.db('alpha').collection('notes').countDocuments({})).to.equal(200);
        expect(await reader.db('alpha').collection('writes').countDocuments({})).to.equal(alpha.collections.writes);
        expect(await reader.db('beta').collection('cards').findOne({ _id: 'c7' as never })).to.deep.equal({ _id: 'c7', n: 7 });
      } finally {
        await reader.close();
        await copy.stop();
      }
      // A second restore over a store keeps the replaced one beside it instead of deleting it.
      const again = await restoreEmbeddedStore({ storeDir: join(fresh, 'store'), file });
      expect(again.keptPrevious).to.be.a('string');
      expect(existsSync(again.keptPrevious!)).to.equal(true);
      expect(readdirSync(join(fresh, 'store', 'ferretdb')).filter((f) => f.endsWith('.sqlite'))).to.include.members(['alpha.sqlite', 'beta.sqlite']);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('when npm run backup runs against a running service, then it prints each database and writes the archive', async () => {
    const file = join(dataDir, 'cli.tar.gz');
    const { stdout } = await execFile(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', file], { cwd: project, env: { ...process.env, DATA_DIR: dataDir, MONGODB_URI: '' } });
    expect(stdout).to.match(/alpha\.sqlite .* 2 collections +\d+ documents/).and.include('Backed up');
    expect(existsSync(file)).to.equal(true);
  });

  it('when the service still runs on the folder, then restore refuses and changes nothing', async () => {
    const file = join(dataDir, 'backups', 'store.tar.gz');
    const error = await restoreEmbeddedStore({ storeDir: join(dataDir, 'store'), file }).then(() => null, (e: Error) => e);
    expect(error?.message).to.include('stop it first');
    expect(await conn.db('alpha').collection('notes').countDocuments({})).to.equal(200);
  });

  it('when the store is MongoDB (MONGODB_URI), then backup refuses and points to mongodump', async () => {
    const error = await backupEmbeddedStore({ storeDir: join(dataDir, 'store'), file: join(dataDir, 'x.tar.gz'), mongodbUri: 'mongodb://db.example/' }).then(() => null, (e: Error) => e);
    expect(error?.message).to.include('mongodump --uri');
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { isProcessAlive } from '../src/store/ferretdb-build';
import { startEmbeddedServer, type ServerFile } from '../src/store/embedded-server';
import { openStore } from '../src/store/open-store';
import { startTestStore, type TestStore } from './helpers/test-store';

const quiet = () => {};

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readServerFile(dataDir: string): ServerFile {
  return JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')) as ServerFile;
}

describe('embedded store launcher', function () {
  let dataDir: string;

  before(async function () {
    // The first start on a machine builds FerretDB with Go; later starts take about a second. The launcher
    // is tested whether or not MONGODB_URI points the other tests at a server of their own.
    this.timeout(20 * 60_000);
    const warmUpDir = mkdtempSync(join(tmpdir(), 'permit-store-warmup-'));
    const warm = await startEmbeddedServer({ dataDir: warmUpDir, log: () => {} });
    await warm.stop();
    rmSync(warmUpDir, { recursive: true, force: true });
  });

  beforeEach(function () {
    dataDir = mkdtempSync(join(tmpdir(), 'permit-store-test-'));
  });

  afterEach(function () {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the server is restarted on the same data dir, then a document written through mongoose is read back', async function () {
    const first = await openStore({ dataDir, dbName: 'persist', log: quiet });
    const writer = await mongoose.createConnection(first.uri, { dbName: first.dbName }).asPromise();
    await writer.collection('notes').insertOne({ _id: 'n1' as never, text: 'kept' });
    await writer.close();
    await first.stop();

    const second = await openStore({ dataDir, dbName: 'persist', log: quiet });
    try {
      expect(second.reused).to.equal(false);
      const reader = await mongoose.createConnection(second.uri, { dbName: second.dbName }).asPromise();
      const note = await reader.collection('notes').findOne({ _id: 'n1' as never });
      await reader.close();
      expect(note).to.deep.include({ text: 'kept' });
    } finally {
      await second.stop();
    }
  });

  it('when a second launcher starts on the same data dir, then it reuses the running server', async function () {
    const owner = await openStore({ dataDir, dbName: 'reuse', log: quiet });
    try {
      const guest = await openStore({ dataDir, dbName: 'reuse', log: quiet });
      expect(guest).to.deep.include({ reused: true, uri: owner.uri, kind: owner.kind });
      await guest.stop();
      expect(readServerFile(dataDir).pid, 'the guest must not stop the server').to.satisfy(isProcessAlive);
    } finally {
      await owner.stop();
    }
  });

  it('when the owner stops, then server.json is removed and the server process is gone', async function () {
    const owner = await openStore({ dataDir, dbName: 'stop', log: quiet });
    const { pid, ownerPid } = readServerFile(dataDir);
    expect(owner.reused).to.equal(false);
    expect(ownerPid).to.equal(process.pid);

    await owner.stop();

    expect(existsSync(join(dataDir, 'server.json'))).to.equal(false);
    expect(isProcessAlive(pid)).to.equal(false);
  });

  it('when the owner is killed, then its server stops and the next launcher replaces the stale server.json', async function () {
    const launcher = new URL('../src/store/embedded-server.ts', import.meta.url).href;
    const script = `
      import { startEmbeddedServer } from ${JSON.stringify(launcher)};
      await startEmbeddedServer({ dataDir: ${JSON.stringify(dataDir)}, log: () => {} });
      console.log('ready');
      setInterval(() => {}, 60_000);`;
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(owner.stdout, 'data');
    const crashed = readServerFile(dataDir);

    owner.kill('SIGKILL');
    await waitUntil(() => !isProcessAlive(crashed.pid), 5000);
    const store = await openStore({ dataDir, dbName: 'crash', log: quiet });
    try {
      expect(store.reused).to.equal(false);
      expect(readServerFile(dataDir)).to.include({ ownerPid: process.pid }).and.not.include({ pid: crashed.pid });
    } finally {
      await store.stop();
    }
  });

  it('when the server process is killed, then its owner restarts it on the same port and data, and a connected client carries on by itself', async function () {
    const owner = await startEmbeddedServer({ dataDir, log: quiet });
    const client = await new mongoose.mongo.MongoClient(owner.uri, { serverSelectionTimeoutMS: 20_000 }).connect();
    try {
      await client.db('supervised').collection('notes').insertOne({ _id: 'before' as never });
      const killed = owner.pid;
      const restarted = new Promise<{ pid: number }>((resolve) => owner.onRestart(resolve));
      process.kill(killed, 'SIGKILL');
      // A launcher arriving during the outage waits for the owner instead of starting a second server on the same files.
      const guest = await startEmbeddedServer({ dataDir, log: quiet });
      const { pid } = await restarted;

      expect(pid).to.not.equal(killed);
      expect(owner.pid).to.equal(pid);
      expect(owner.restarts).to.equal(1);
      expect(guest).to.deep.include({ reused: true, uri: owner.uri });
      expect(readServerFile(dataDir)).to.include({ pid, port: owner.port, ownerPid: process.pid });
      await client.db('supervised').collection('notes').insertOne({ _id: 'after' as never });
      expect(await client.db('supervised').collection('notes').countDocuments({})).to.equal(2);
    } finally {
      await client.close();
      await owner.stop();
    }
    expect(isProcessAlive(owner.pid), 'a stopped owner does not restart its server').to.equal(false);
  });

  it('when server.json names a process that has exited, then the launcher starts a new server', async function () {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const stale: ServerFile = { pid: deadPid, port: 1, uri: 'mongodb://127.0.0.1:1/', kind: 'ferretdb', ownerPid: deadPid };
    writeFileSync(join(dataDir, 'server.json'), JSON.stringify(stale));

    const store = await openStore({ dataDir, dbName: 'stale', log: quiet });
    try {
      expect(store.reused).to.equal(false);
      expect(readServerFile(dataDir).pid).to.not.equal(deadPid);
    } finally {
      await store.stop();
    }
  });
});

describe('store behaviour the engine relies on (MongoDB or FerretDB 1.24)', function () {
  let store: TestStore;
  let connection: mongoose.Connection;
  const Application = new mongoose.Schema({ reference: { type: String, unique: true }, version: Number, state: String });

  before(async function () {
    this.timeout(20 * 60_000);
    store = await startTestStore();
    connection = await mongoose.createConnection(store.uri, { dbName: store.dbName }).asPromise();
  });

  after(async function () {
    await connection?.close();
    await store?.stop();
  });

  it('when an update filters on a stale version, then it matches nothing and the document keeps its state', async function () {
    const model = connection.model('VersionedApplication', Application);
    const created = await model.create({ reference: 'A-1', version: 0, state: 'draft' });
    const filter = { _id: created._id, version: 0 };

    const moved = await model.findOneAndUpdate(filter, { $set: { state: 'submitted' }, $inc: { version: 1 } }, { returnDocument: 'after' }).lean();
    const conflict = await model.findOneAndUpdate(filter, { $set: { state: 'withdrawn' }, $inc: { version: 1 } }, { returnDocument: 'after' }).lean();

    expect(moved).to.deep.include({ state: 'submitted', version: 1 });
    expect(conflict).to.equal(null);
    expect(await model.findById(created._id).lean()).to.deep.include({ state: 'submitted', version: 1 });
  });

  it('when a second document repeats a unique key, then the insert fails with a duplicate key error', async function () {
    const model = connection.model('UniqueApplication', Application);
    await model.createIndexes();
    await model.create({ reference: 'B-1', version: 0, state: 'draft' });

    const error = await model.create({ reference: 'B-1', version: 0, state: 'draft' }).then(() => undefined, (caught: unknown) => caught);

    expect(error).to.have.property('code', 11000);
  });
});

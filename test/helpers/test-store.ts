import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/store/embedded-server';

/** A database of its own on the test server, for one test or suite. */
export interface TestStore {
  uri: string;
  dbName: string;
  /** Drops this test's database; the server itself stays up for the other tests. */
  stop(): Promise<void>;
}

let shared: { dataDir: string; server: Promise<EmbeddedServer> } | undefined;

function sharedServer(): Promise<EmbeddedServer> {
  if (!shared) {
    const dataDir = mkdtempSync(join(tmpdir(), 'permit-test-store-'));
    // A run that ends without stopAllTestStores() still leaves no folder behind.
    process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
    shared = {
      dataDir,
      server: startEmbeddedServer({ dataDir, log: (msg) => process.stderr.write(`  [test-store] ${msg}\n`) }),
    };
  }
  return shared.server;
}

async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

/**
 * Gives a test a fresh database (`test_<random>`) on `MONGODB_URI` when set, otherwise on an embedded
 * server in a temporary folder, started once per test process. The first start may build FerretDB
 * (minutes), so call it from a hook with a generous timeout.
 */
export async function startTestStore(): Promise<TestStore> {
  const uri = process.env.MONGODB_URI || (await sharedServer()).uri;
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  return { uri, dbName, stop: () => dropDatabase(uri, dbName) };
}

/** Stops the embedded test server and removes its temporary folder; safe to call when none was started. */
export async function stopAllTestStores(): Promise<void> {
  if (!shared) return;
  const { dataDir, server } = shared;
  shared = undefined;
  try {
    await (await server).stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import mongoose, { type Connection } from 'mongoose';
import { ensureDemoAccounts } from './auth/demo-accounts';
import type { AppConfig } from './config/app-config';
import { createHttpApp } from './http/app';
import { createScheduler, type Scheduler } from './jobs/scheduler';
import { createLogger, type Logger } from './logger';
import type { Mailer } from './notifications/mailer';
import { createServices, type Services } from './services';
import { openStore, type StoreHandle } from './store/open-store';
import { recalculateIfSchedulesAdded } from './use-cases/recalculate-deadlines';

export interface RuntimeOptions {
  http: boolean;
  scheduler: boolean;
  now?: () => Date;
  /** The machine's clock for leases and retry backoff (tests move it; `job --now` leaves it alone). */
  clock?: () => Date;
  mailer?: Mailer;
  log?: Logger;
  /** A store already provided (tests); otherwise MONGODB_URI or the embedded default. */
  store?: { uri: string; dbName: string };
}

export interface Runtime {
  services: Services;
  conn: Connection;
  store: Pick<StoreHandle, 'kind' | 'reused' | 'uri' | 'dbName'>;
  url: string | null;
  demoAccounts: boolean;
  stop(): Promise<void>;
}

/** Composes the entry points (HTTP, scheduler) over one store; stop() closes them in reverse order. */
export async function startRuntime(config: AppConfig, options: RuntimeOptions): Promise<Runtime> {
  const log = options.log ?? createLogger(config.logLevel);
  const store: StoreHandle = options.store
    ? { ...options.store, kind: 'external', reused: false, stop: async () => {} }
    : await openStore({ mongodbUri: config.mongodbUri || undefined, dataDir: path.join(config.dataDir, 'store'), dbName: config.dbName, log: (msg) => log.info(msg) });
  const conn = mongoose.createConnection(store.uri, storeConnectionOptions(store.dbName, config.storeTimeoutMs));
  try {
    await conn.asPromise();
  } catch (e) {
    await store.stop();
    throw new Error(`Cannot connect to the store at ${redact(store.uri)}: ${(e as Error).message}`, { cause: e });
  }
  const embedded = store.kind !== 'external';
  const services = await createServices({ config, conn, log, embedded, now: options.now, clock: options.clock, mailer: options.mailer });
  store.onRestart?.(() => services.metrics.storeRestarts.inc());
  const demoAccounts = config.demoAccounts === 'on' || (config.demoAccounts === 'auto' && embedded);
  if (demoAccounts) await ensureDemoAccounts(services.staff, services.now());
  // A service (not a one-off job) recalculates provisional deadlines once after a schedule file was added; a failure must not stop the start.
  if (options.http || options.scheduler) {
    try {
      const run = await recalculateIfSchedulesAdded(services, services.now());
      if (run) log.info({ officialYears: run.officialYears, applications: run.applications, moved: run.moved.length, confirmed: run.confirmed, failures: run.failures.length }, 'provisional deadlines recalculated');
    } catch (err) {
      log.error({ err }, 'provisional deadlines could not be recalculated; run `npm run job -- recalculate-deadlines`');
    }
  }

  let server: Server | null = null;
  let url: string | null = null;
  if (options.http) {
    const app = createHttpApp(services, conn);
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s)).on('error', reject);
    });
    const address = server.address() as AddressInfo;
    url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  }
  let scheduler: Scheduler | null = null;
  if (options.scheduler) {
    scheduler = createScheduler(services, conn, `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`);
    scheduler.start();
  }

  return {
    services,
    conn,
    store,
    url,
    demoAccounts,
    async stop() {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      await scheduler?.stop();
      // Documents being issued after a response finish before the store closes (the sweep would redo them anyway).
      await services.effects.drain().catch(() => undefined);
      services.mailer.close();
      await conn.close();
      await store.stop();
    },
  };
}

/**
 * Connection options that make a store outage fail fast: a request that cannot reach the store gives up after
 * `timeoutMs` (server selection) instead of waiting in mongoose's buffer, and the error handler answers 503.
 */
export function storeConnectionOptions(dbName: string, timeoutMs: number): mongoose.ConnectOptions {
  return {
    dbName,
    // Commands go straight to the driver, which fails after serverSelectionTimeoutMS; buffering would hold them 10 s.
    bufferCommands: false,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    // A server that accepts connections but stops answering; long enough for FerretDB's full-collection scans.
    socketTimeoutMS: 30_000,
    // A restarted server is found again within a couple of seconds.
    heartbeatFrequencyMS: 2000,
    monitorCommands: true,
  };
}

const redact = (uri: string) => uri.replace(/\/\/[^@/]*@/, '//***@');

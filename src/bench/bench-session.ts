import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../config/app-config';
import type { Runtime } from '../runtime';
import { startEmbeddedServer, type EmbeddedServer } from '../store/embedded-server';
import type { ChildServer } from './child-server';
import { dropBenchDatabase } from './drop-database';

/** What a bench runs on and starts: the store, fresh databases on it, child servers and a runtime per database. */
export interface BenchSession {
  config: AppConfig;
  /** The embedded store the bench started, or null on MONGODB_URI. */
  embedded: EmbeddedServer | null;
  uri: string;
  dbName: string;
  /** Child servers still running: stopped at the clean-up. */
  children: ChildServer[];
  /** The bench's runtimes once started (one per database): their databases are dropped at the clean-up. */
  runtimes: Runtime[];
  /** Stops the children, drops the databases (unless kept), stops the runtimes and the store the bench started; runs once. */
  cleanUp: () => Promise<void>;
}

/** Starts the store a bench runs on (MONGODB_URI, else the embedded default) with a fresh `<prefix>_<random>` database; Ctrl-C still cleans up. */
export async function openBenchSession(prefix: string, log: (msg: string) => void, options: { keep?: boolean } = {}): Promise<BenchSession> {
  const config = loadConfig(process.env, { port: 0, scheduler: false, demoAccounts: 'off', logLevel: 'warn' });
  const embedded = config.mongodbUri ? null : await startEmbeddedServer({ dataDir: path.join(config.dataDir, 'store'), log });
  let cleaning: Promise<void> | null = null;
  const session: BenchSession = {
    config,
    embedded,
    uri: config.mongodbUri || embedded!.uri,
    dbName: `${prefix}_${randomBytes(4).toString('hex')}`,
    children: [],
    runtimes: [],
    cleanUp: () =>
      (cleaning ??= (async () => {
        for (const child of session.children.splice(0)) await child.stop().catch(() => {});
        for (const runtime of session.runtimes) {
          if (!options.keep) await dropBenchDatabase(runtime, log);
          else log(`kept database ${runtime.conn.name}`);
          await runtime.stop();
        }
        await embedded?.stop();
      })()),
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void session.cleanUp().finally(() => process.exit(130)));
  return session;
}

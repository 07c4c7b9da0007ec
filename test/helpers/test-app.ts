import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createLogger } from '../../src/logger';
import { startRuntime, type Runtime } from '../../src/runtime';
import { startSmtpSink } from './smtp-sink';
import { startTestStore, type TestStore } from './test-store';

/** A settable clock, so tests move time without touching the system clock. */
export class TestClock {
  constructor(public current: Date) {}
  now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface TestApp {
  runtime: Runtime;
  url: string;
  clock: TestClock;
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  store: TestStore;
  /** Restarts the service on the same database (a new process would see the same). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The real service on a fresh database, a real HTTP port and a real SMTP peer; demo accounts on. */
export async function startTestApp(options: { now?: string; scheduler?: boolean; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const store = await startTestStore();
  const smtp = await startSmtpSink();
  const clock = new TestClock(new Date(options.now ?? '2026-03-02T02:00:00Z'));
  // Rate limits are generous here; tests of the limits set their own.
  const config = loadConfig({}, { port: 0, smtpUrl: smtp.url, demoAccounts: 'on', logLevel: 'silent', loginRateLimit: 1000, publicRateLimit: 1000, ...options.config });
  const start = () =>
    startRuntime(config, { http: true, scheduler: options.scheduler ?? false, now: clock.now, clock: clock.now, store, log: createLogger('silent') });
  const app: TestApp = {
    runtime: await start(),
    url: '',
    clock,
    smtp,
    store,
    async restart() {
      await app.runtime.stop();
      app.runtime = await start();
      app.url = app.runtime.url!;
    },
    async stop() {
      await app.runtime.stop();
      await smtp.stop();
      await store.stop();
    },
  };
  app.url = app.runtime.url!;
  return app;
}

/** A second service process (no HTTP) on the same store and clock as `app`, as a second job runner would be; `asOf` runs it as of another day, as `job --now` does. */
export function startSecondProcess(app: TestApp, options: { scheduler?: boolean; asOf?: Date } = {}): Promise<Runtime> {
  const config = loadConfig({}, { port: 0, smtpUrl: app.smtp.url, demoAccounts: 'off', logLevel: 'silent' });
  const { asOf } = options;
  return startRuntime(config, { http: false, scheduler: options.scheduler ?? false, now: asOf ? () => asOf : app.clock.now, clock: app.clock.now, store: app.store, log: createLogger('silent') });
}

/**
 * `npm run bench -- --scale [--sizes 10000,50000,100000,250000] [--open 5000] [--samples 40] [--rounds 5] [--budget 300] [--keep]`
 *
 * Seeds the store through the service's own write paths (clones of real applications taken through the use
 * cases), cumulatively up to each size with about `open` applications in hand and the rest finished over the
 * years, and at each size measures p50/p99 of the point operations and work lists over HTTP against the real
 * server in its own process, and of the timer and reminder jobs in this one; the HTTP figures also on a control
 * database held at the smallest size, just before and after, at the same moments. Prints a table, then one JSON line.
 */
import os from 'node:os';
import { addCalendarDays, shanghaiDate } from '../../calendar';
import { createLogger } from '../../logger';
import { startRuntime } from '../../runtime';
import { createStaff } from '../../use-cases/manage-staff';
import { startChildServer } from '../child-server';
import { discardMail } from '../discard-mailer';
import { rssMiB } from '../process-usage';
import { BENCH_STAFF, measureHttp, measureJobs, type FigureName, type SizeSamples } from './measure';
import { printTable, summarize } from './report';
import { createSeeder } from './seed';
import { buildTemplates } from './templates';
import { describeStore } from '../describe-store';
import { openBenchSession } from '../bench-session';

export interface ScaleOptions {
  sizes: number[];
  open: number;
  samples: number;
  warmups: number;
  rounds: number;
  /** Seconds one figure may take at one size before it stops at its minimum of samples or rounds. */
  budgetSeconds: number;
  keep: boolean;
}

export const DEFAULT_SIZES = [10_000, 50_000, 100_000, 250_000];

const log = (msg: string) => console.log(`[bench scale ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const r1 = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the scale bench on MONGODB_URI or the embedded store, in a fresh database dropped at the end unless `keep`. */
export async function runScaleBench(opts: ScaleOptions): Promise<void> {
  const sizes = [...opts.sizes].sort((a, b) => a - b);
  if (!sizes.length || sizes.some((s) => !Number.isInteger(s) || s < 100)) throw new Error(`--sizes must be whole numbers of at least 100, got ${opts.sizes.join(',')}`);
  const session = await openBenchSession('bench_scale', log, { keep: opts.keep });
  const { config, embedded, uri, dbName } = session;
  // The service's clock: the reminder rounds move it to the day they run, so the outbox delivers what they queue.
  const clock = { offsetMs: 0 };

  const benchStarted = performance.now();
  let lastLine: string;
  try {
    const benchNow = new Date();
    const today = shanghaiDate(benchNow);
    // A store as the bench seeds it: the runtime on its own database, the bench's staff, the templates and their seeder.
    const prepare = async (db: string) => {
      const runtime = await startRuntime({ ...config, dbName: db }, {
        http: false, scheduler: false, store: { uri, dbName: db }, log: createLogger('warn'), mailer: discardMail, now: () => new Date(Date.now() + clock.offsetMs),
      });
      session.runtimes.push(runtime);
      for (const account of Object.values(BENCH_STAFF)) await createStaff(runtime.services, account);
      const templates = await buildTemplates(runtime.services);
      return { runtime, templates, seeder: createSeeder(runtime.services, templates, { open: opts.open, now: benchNow, log }) };
    };
    const { runtime, templates, seeder } = await prepare(dbName);
    const { services } = runtime;
    const store = await describeStore(runtime.conn, embedded);
    log(`store ${store}, database ${dbName}; node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map(r1).join(' ')}`);
    log(`sizes ${sizes.join(', ')}; ${opts.open} open; ${opts.samples} samples after ${opts.warmups} warm-ups; ${opts.rounds} job rounds; at most ${opts.budgetSeconds} s a figure`);
    log(`templates: ${templates.map((t) => `${t.name} (${t.record.state})`).join(', ')}`);
    const made = { applications: templates.length, created: 0, next: 0 };
    // The control: a second database held at the smallest size, measured right before and after the growing one at every
    // size, so each figure's growth can also be read against the same requests on the small store at the same moment.
    const control = sizes.length > 1 ? await prepare(`${dbName}_control`) : null;
    if (control) {
      await control.seeder.growTo(sizes[0], control.templates.length, today);
      log(`control database ${dbName}_control: ${sizes[0]} applications`);
    }

    // The API server on one database, in its own process, stopped at the end of each size.
    const serve = async (db: string) => {
      const started = await startChildServer('status-server', {
        MONGODB_URI: uri, DB_NAME: db, PUBLIC_RATE_LIMIT: '1000000000', LOGIN_RATE_LIMIT: '1000',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', DEMO_ACCOUNTS: 'off', SCHEDULER: 'false',
      });
      session.children.push(started);
      return started;
    };

    const bySize = new Map<number, SizeSamples>();
    const controlBySize = new Map<number, Partial<SizeSamples>>();
    const perSize: Record<string, unknown> = {};
    for (const [i, size] of sizes.entries()) {
      // Each size's reminder rounds run on days after the last size's, so every round opens new windows.
      const asOf = addCalendarDays(today, i * opts.rounds);
      const seedStarted = performance.now();
      await seeder.growTo(size, seeder.totals.applications + made.applications, asOf);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      log(`size ${size}: seeded in ${r1(seedSeconds)} s (${Math.round(seeder.docsPerSecond())} docs/s overall); starting the API server`);

      const [child, controlChild] = [await serve(dbName), control && (await serve(`${dbName}_control`))];
      await sleep(1000);
      const idleRss = rssMiB(child.pid);
      const measureControl = () => controlChild && measureHttp(controlChild.url, control!.seeder.samples, control!.seeder.certificateSamples, { ...opts, log: (m) => log(`control${m}`) }, made);
      const before = await measureControl();
      const http = await measureHttp(child.url, seeder.samples, seeder.certificateSamples, { ...opts, log }, made);
      const after = await measureControl();
      if (before && after) controlBySize.set(size, Object.fromEntries(Object.keys(http.figures).map((name) => [name, [...before.figures[name as FigureName]!, ...after.figures[name as FigureName]!]])) as Partial<SizeSamples>);
      made.applications += http.created;
      made.created += http.created;
      const loadedRss = rssMiB(child.pid);
      for (const running of session.children.splice(0)) await running.stop();
      const jobs = await measureJobs(services, seeder, clock, { ...opts, log, firstReminderDay: addCalendarDays(asOf, 1) });
      bySize.set(size, { ...http.figures, ...jobs.figures } as SizeSamples);
      perSize[size] = {
        applications: seeder.totals.applications + made.applications, open: seeder.totals.open + made.created,
        certificates: seeder.totals.certificates, seedSeconds: r1(seedSeconds), serverRssMiB: { idle: r1(idleRss), loaded: r1(loadedRss) },
        reminders: { ...jobs.reminders, ms: Math.round(jobs.reminders.ms) },
        // Fewer than asked when a figure ran out of its time budget.
        samples: Object.fromEntries(Object.entries(bySize.get(size)!).map(([name, xs]) => [name, xs.length])),
      };
      log(`size ${size}: measured; server RSS ${r1(idleRss)} MiB idle, ${r1(loadedRss)} MiB after; reminder rounds queued ${jobs.reminders.queued}, expired ${jobs.reminders.expired} over ${jobs.reminders.inWindows} certificate-days in windows`);
    }

    const summary = summarize(sizes, bySize, controlBySize);
    printTable(sizes, summary);
    const t = seeder.totals;
    lastLine = JSON.stringify({
      sizes,
      figures: summary.figures,
      targets: summary.targets,
      absolute: summary.absolute,
      paired: summary.paired,
      perSize,
      seeding: { applications: t.applications, certificates: t.certificates, reminders: t.reminders, audit: t.audit, seconds: r1(t.ms / 1000), docsPerSecond: Math.round(seeder.docsPerSecond()) },
      setup: { store, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map(r1), ...opts, sizes, totalSeconds: r1((performance.now() - benchStarted) / 1000) },
    });
  } finally {
    await session.cleanUp();
  }
  // After the clean-up's own messages, so the JSON is the last line printed.
  console.log(lastLine);
}

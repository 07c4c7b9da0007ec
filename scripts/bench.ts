/**
 * `npm run bench -- [--certificates N] [--applications N] [--rounds N] [--certificate-rounds N] [--seconds S]
 *   [--concurrency C] [--engine-concurrency C]`
 * `npm run bench -- --scale [--sizes 10000,50000,100000,250000] [--open 5000] [--samples 40] [--rounds 5] [--budget 300] [--keep]`:
 *   the scale bench, src/bench/scale/run.ts.
 *
 * Measures, in one run on one store (MONGODB_URI, else the embedded default), each figure beside a
 * baseline measured in the same run: engine events/s vs raw driver compare-and-set, public status
 * lookups over HTTP vs a bare Express handler, the reminder job's selection vs the raw query, and the
 * server's resident size. Subject and baseline alternate round by round after a warm-up; medians are
 * reported. The database is fresh (`bench_<random>`) and dropped at the end. The last line printed is
 * one JSON object.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { shanghaiDate } from '../src/calendar';
import { createLogger } from '../src/logger';
import { discardMail } from '../src/bench/discard-mailer';
import { startRuntime } from '../src/runtime';
import type { Services } from '../src/services';
import { jobSelection, rawSelection, reminderRange, seedCertificates } from '../src/bench/certificate-selection';
import { runReminders } from '../src/jobs/reminder-job';
import { startChildServer, type ChildServer } from '../src/bench/child-server';
import { engineRound, rawCasRound } from '../src/bench/engine-vs-cas';
import { describePlan } from '../src/bench/explain';
import { httpLoad } from '../src/bench/http-load';
import { rssMiB, withCpu } from '../src/bench/process-usage';
import { pairedRounds, percentile } from '../src/bench/rounds';
import { seedApplications, type SeededApplication } from '../src/bench/seed-applications';
import { DEFAULT_SIZES, runScaleBench } from '../src/bench/scale/run';
import { createSeeder } from '../src/bench/scale/seed';
import { buildTemplates } from '../src/bench/scale/templates';
import { describeStore } from '../src/bench/describe-store';
import { openBenchSession } from '../src/bench/bench-session';

const { values } = parseArgs({
  options: {
    certificates: { type: 'string', default: '1000000' },
    applications: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '5' },
    'certificate-rounds': { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    'engine-concurrency': { type: 'string', default: '4' },
    // The scale bench (issue 10): src/bench/scale/run.ts.
    scale: { type: 'boolean', default: false },
    sizes: { type: 'string', default: DEFAULT_SIZES.join(',') },
    open: { type: 'string', default: '5000' },
    samples: { type: 'string', default: '40' },
    budget: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});
const opts = {
  certificates: Number(values.certificates),
  applications: Number(values.applications),
  rounds: Number(values.rounds),
  certificateRounds: Number(values['certificate-rounds']),
  httpMs: Number(values.seconds) * 1000,
  httpConcurrency: Number(values.concurrency),
  engineConcurrency: Number(values['engine-concurrency']),
};

const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const r1 = (n: number) => Math.round(n * 10) / 10;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);


/** One measured round of a subject or baseline: its figure, how many operations, and the CPU each process spent. */
interface Round {
  figure: number;
  ops: number;
  cpu: Record<string, number>;
}

/** CPU milliseconds per operation of one process over the measured rounds (the first round is the warm-up). */
const cpuPerOp = (rounds: Round[], process: string) => r3(sum(rounds.slice(1).map((r) => r.cpu[process])) / sum(rounds.slice(1).map((r) => r.ops)));

async function statusPhase(env: Record<string, string>, seeded: SeededApplication[], storePid: number | null, children: ChildServer[]) {
  const real = await startChildServer('status-server', env);
  children.push(real);
  const bare = await startChildServer('bare-server', env);
  children.push(bare);
  await sleep(2000);
  const idle = { real: rssMiB(real.pid), bare: rssMiB(bare.pid) };
  log(`servers up: real ${real.url} (${r1(idle.real)} MiB idle), bare ${bare.url} (${r1(idle.bare)} MiB idle)`);

  const query = (s: SeededApplication) => `applicationNo=${encodeURIComponent(s.applicationNo)}&queryCode=${s.queryCode}`;
  // Lookups spread over the whole collection in a fixed shuffled order, the same for both servers.
  const order = seeded.map((s, i) => ({ s, k: (i * 7919) % seeded.length })).sort((a, b) => a.k - b.k).map((x) => x.s);
  const latencies = { real: [] as number[][], bare: [] as number[][] };
  const rounds = { real: [] as Round[], bare: [] as Round[] };
  const load = (which: 'real' | 'bare', server: ChildServer, paths: string[]) => async () => {
    const { result, cpu } = await withCpu({ server: server.pid, ...(storePid ? { store: storePid } : {}) }, () =>
      httpLoad(server.url, paths, { concurrency: opts.httpConcurrency, durationMs: opts.httpMs }),
    );
    if (result.failures) throw new Error(`${result.failures} of ${result.requests} lookups failed at ${server.url}: ${result.firstFailure}`);
    latencies[which].push(result.latencies);
    rounds[which].push({ figure: result.perSecond, ops: result.requests, cpu });
    return result.perSecond;
  };
  const paired = await pairedRounds(
    opts.rounds,
    load('real', real, order.map((s) => `/api/v1/status?${query(s)}`)),
    load('bare', bare, order.map((s) => `/status?${query(s)}`)),
    (r, s, b) => log(`status round ${r}: real ${r1(s)}/s, bare ${r1(b)}/s`),
  );
  const latency = (lists: number[][]) => {
    const all = lists.slice(1).flat();
    return { p50: r1(percentile(all, 50)), p99: r1(percentile(all, 99)), requests: all.length };
  };
  await sleep(1000);
  const loaded = { real: rssMiB(real.pid), bare: rssMiB(bare.pid) };
  for (const child of children.splice(0)) await child.stop();
  return {
    paired,
    idle,
    loaded,
    latency: { real: latency(latencies.real), bare: latency(latencies.bare) },
    cpuMsPerRequest: {
      real: cpuPerOp(rounds.real, 'server'),
      bare: cpuPerOp(rounds.bare, 'server'),
      ...(storePid ? { storeForReal: cpuPerOp(rounds.real, 'store'), storeForBare: cpuPerOp(rounds.bare, 'store') } : {}),
    },
  };
}

async function enginePhase(services: Services, ids: string[], storePid: number | null) {
  const rounds = { engine: [] as Round[], raw: [] as Round[] };
  const run = (which: 'engine' | 'raw', round: typeof engineRound) => async () => {
    const { result, cpu } = await withCpu({ bench: process.pid, ...(storePid ? { store: storePid } : {}) }, () => round(services, ids, opts.engineConcurrency));
    if (result.conflicts) throw new Error(`${which}: ${result.conflicts} unexpected conflicts on documents no one else writes`);
    rounds[which].push({ figure: result.perSecond, ops: result.events, cpu });
    return result.perSecond;
  };
  const paired = await pairedRounds(opts.rounds, run('engine', engineRound), run('raw', rawCasRound), (r, s, b) =>
    log(`engine round ${r}: engine ${r1(s)} events/s, raw CAS ${r1(b)}/s`),
  );
  return {
    paired,
    cpuMsPerEvent: {
      engine: cpuPerOp(rounds.engine, 'bench'),
      raw: cpuPerOp(rounds.raw, 'bench'),
      ...(storePid ? { storeForEngine: cpuPerOp(rounds.engine, 'store'), storeForRaw: cpuPerOp(rounds.raw, 'store') } : {}),
    },
  };
}

async function reminderPhase(services: Services, storePid: number | null) {
  const today = shanghaiDate(new Date());
  const started = performance.now();
  const insertsPerSec = await seedCertificates(services, opts.certificates, today, (done) => {
    if (done % 100_000 === 0 || done === opts.certificates) log(`certificates inserted: ${done}`);
  });
  log(`inserted ${opts.certificates} certificates in ${r1((performance.now() - started) / 1000)} s (${Math.round(insertsPerSec)}/s)`);
  const range = reminderRange(services, today);
  const selected = { job: 0, raw: 0 };
  const rounds = { job: [] as Round[], raw: [] as Round[] };
  const run = (which: 'job' | 'raw', select: typeof jobSelection) => async () => {
    const { result, cpu } = await withCpu({ bench: process.pid, ...(storePid ? { store: storePid } : {}) }, () => select(services, range));
    selected[which] = result.certificates;
    rounds[which].push({ figure: result.ms, ops: 1, cpu });
    return result.ms;
  };
  const paired = await pairedRounds(opts.certificateRounds, run('job', jobSelection), run('raw', rawSelection), (r, s, b) =>
    log(`reminder round ${r}: job ${Math.round(s)} ms, raw ${Math.round(b)} ms`),
  );
  if (selected.job !== selected.raw) throw new Error(`the job selected ${selected.job} certificates, the raw query ${selected.raw}`);
  // Once, for scale: the whole job as a dry run (selection, renewal and ledger checks, mails composed; nothing written).
  const dryStarted = performance.now();
  const dry = await runReminders(services, new Date(), { dryRun: true });
  const dryRun = { ms: Math.round(performance.now() - dryStarted), wouldExpire: dry.expired.length, wouldQueue: dry.queued.length };
  log(`reminder job dry run: ${dryRun.ms} ms, would expire ${dryRun.wouldExpire} and queue ${dryRun.wouldQueue}`);
  return {
    paired,
    range,
    selected: selected.job,
    insertsPerSec,
    dryRun,
    cpuMsPerSelection: {
      job: Math.round(cpuPerOp(rounds.job, 'bench')),
      raw: Math.round(cpuPerOp(rounds.raw, 'bench')),
      ...(storePid ? { storeForJob: Math.round(cpuPerOp(rounds.job, 'store')), storeForRaw: Math.round(cpuPerOp(rounds.raw, 'store')) } : {}),
    },
  };
}

/** Applications the engine and status rounds go through; `--applications` beyond it are seeded as history. */
const WORKING_SET = 100;

/** Fills the store with `count` more applications as the scale bench seeds them (clones of real ones, most finished). */
async function seedHistory(services: Services, count: number): Promise<SeededApplication[]> {
  if (count <= 0) return [];
  const started = performance.now();
  const templates = await buildTemplates(services);
  const seeder = createSeeder(services, templates, { open: 5000, now: new Date(), log });
  await seeder.growTo(count, templates.length);
  log(`seeded ${seeder.totals.applications + templates.length} more applications (${seeder.totals.certificates} certificates) in ${r1((performance.now() - started) / 1000)} s`);
  return seeder.samples;
}

async function main(): Promise<void> {
  const session = await openBenchSession('bench', log);
  const { config, embedded, uri, dbName, children } = session;
  const storePid = embedded?.pid ?? null;

  try {
    const runtime = await startRuntime({ ...config, dbName }, { http: false, scheduler: false, store: { uri, dbName }, log: createLogger('warn'), mailer: discardMail });
    session.runtimes.push(runtime);
    const { services } = runtime;
    const store = await describeStore(runtime.conn, embedded);
    log(`store ${store}, database ${dbName}; node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map(r1).join(' ')}`);

    const started = performance.now();
    // The engine and status rounds work on at most WORKING_SET accepted applications; the rest of the store is history.
    const seeded = await seedApplications(services, Math.min(opts.applications, WORKING_SET), 2);
    log(`seeded ${seeded.length} accepted applications in ${r1((performance.now() - started) / 1000)} s`);
    const history = await seedHistory(services, opts.applications - seeded.length);

    const env = { MONGODB_URI: uri, DB_NAME: dbName, PUBLIC_RATE_LIMIT: '1000000000', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', DEMO_ACCOUNTS: 'off', SCHEDULER: 'false' };
    // Lookups spread over the working set and a sample of the history alike.
    const status = await statusPhase(env, [...seeded, ...history], storePid, children);
    const engine = await enginePhase(services, seeded.map((s) => s.id), storePid);
    const reminder = await reminderPhase(services, storePid);

    const db = runtime.conn.db!;
    const plans = {
      engineLoadById: await describePlan(db, 'applications', { _id: seeded[0].id }),
      statusLookup: await describePlan(db, 'applications', { applicationNo: seeded[0].applicationNo }),
      reminderSelection: await describePlan(db, 'certificates', { status: 'valid', validUntil: { $gte: reminder.range.from, $lte: reminder.range.to } }),
      rawSelection: await describePlan(db, 'certificates', { status: 'valid', validUntil: { $gte: reminder.range.from, $lte: reminder.range.to } }),
    };
    const figures = {
      engineVsRawCas: r3(engine.paired.ratio),
      statusVsBare: r3(status.paired.ratio),
      reminderSelectVsRaw: r3(reminder.paired.ratio),
      idleRssMiB: r1(status.idle.real),
      loadedRssMiB: r1(status.loaded.real),
      engineEventsPerSec: r1(engine.paired.subjectMedian),
      rawCasPerSec: r1(engine.paired.baselineMedian),
      statusPerSec: r1(status.paired.subjectMedian),
      barePerSec: r1(status.paired.baselineMedian),
      statusLatencyMs: status.latency.real,
      bareLatencyMs: status.latency.bare,
      reminderSelectMs: Math.round(reminder.paired.subjectMedian),
      rawSelectMs: Math.round(reminder.paired.baselineMedian),
      reminderSelected: reminder.selected,
      reminderRange: reminder.range,
      reminderDryRun: reminder.dryRun,
      certificates: opts.certificates,
      applications: opts.applications,
      certificateInsertsPerSec: Math.round(reminder.insertsPerSec),
      bareIdleRssMiB: r1(status.idle.bare),
      bareLoadedRssMiB: r1(status.loaded.bare),
      benchProcessRssMiB: r1(rssMiB(process.pid)),
      storeRssMiB: storePid ? r1(rssMiB(storePid)) : null,
      cpuMs: { perEvent: engine.cpuMsPerEvent, perStatusRequest: status.cpuMsPerRequest, perSelection: reminder.cpuMsPerSelection },
      rounds: {
        engine: engine.paired.subject.map(r1), rawCas: engine.paired.baseline.map(r1),
        status: status.paired.subject.map(r1), bare: status.paired.baseline.map(r1),
        reminderMs: reminder.paired.subject.map(Math.round), rawSelectMs: reminder.paired.baseline.map(Math.round),
      },
      plans,
      setup: { store, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map(r1), ...opts, serverLogLevel: env.LOG_LEVEL },
    };
    printTable(figures as unknown as Figures);
    console.log(JSON.stringify(figures));
  } finally {
    await session.cleanUp();
  }
}

type Figures = Record<string, number> & Record<'statusLatencyMs' | 'bareLatencyMs', { p50: number; p99: number }>;

function printTable(f: Figures): void {
  const rows: string[][] = [
    ['figure', 'permit engine', 'baseline', 'ratio', 'target'],
    [`engine events/s (load, transition, CAS save; ${f.applications} applications in the store)`, `${f.engineEventsPerSec}`, `raw CAS ${f.rawCasPerSec}/s`, `${f.engineVsRawCas}`, '≥ 0.5'],
    ['status lookups/s over HTTP', `${f.statusPerSec}`, `bare ${f.barePerSec}/s`, `${f.statusVsBare}`, '≥ 0.7'],
    ['  latency p50 / p99 (ms)', `${f.statusLatencyMs.p50} / ${f.statusLatencyMs.p99}`, `${f.bareLatencyMs.p50} / ${f.bareLatencyMs.p99}`, '', ''],
    [`reminder selection (ms, ${f.certificates} certificates)`, `${f.reminderSelectMs}`, `raw ${f.rawSelectMs}`, `${f.reminderSelectVsRaw}`, '≤ 2'],
    ['server RSS idle / after load (MiB)', `${f.idleRssMiB} / ${f.loadedRssMiB}`, `bare ${f.bareIdleRssMiB} / ${f.bareLoadedRssMiB}`, '', ''],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

const scale = () =>
  runScaleBench({ sizes: values.sizes.split(',').map(Number), open: Number(values.open), samples: Number(values.samples), warmups: 5, rounds: opts.rounds, budgetSeconds: Number(values.budget), keep: values.keep });

(values.scale ? scale() : main()).catch((err: Error) => {
  console.error(`bench failed: ${err.stack ?? err.message}`);
  process.exit(1);
});

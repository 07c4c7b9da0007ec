import { addCalendarDays, shanghaiDate, startOfShanghaiDay } from '../../calendar';
import { runReminders } from '../../jobs/reminder-job';
import { runTimers } from '../../jobs/timer-job';
import type { Services } from '../../services';
import { apiClient } from '../api-client';
import { applicationBody } from '../sample-applications';
import type { Sample, Seeder } from './seed';
import { usccFor } from './cloning';

/** The figures of the issue, in the order they are printed. */
export const FIGURE_NAMES = [
  'storePing', 'create', 'event', 'statusLookup', 'getApplication', 'worklistCounty', 'worklistProvince',
  'searchByUscc', 'certificateVerify', 'statistics', 'timerTickIdle', 'timerTick100', 'reminderRun',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

/** Milliseconds of every measured sample of each figure at one size (reminderRun: per certificate in its windows). */
export type SizeSamples = Record<FigureName, number[]>;

export interface MeasureOptions {
  samples: number;
  warmups: number;
  rounds: number;
  /** Seconds one figure may take at one size before it stops at its minimum number of samples. */
  budgetSeconds: number;
  /** Where each figure reports when it is done (runs at large sizes take hours). */
  log?: (msg: string) => void;
}

/** The staff the bench signs in as: a county clerk (芝罘区) and the province administrator. */
export const BENCH_STAFF = {
  countyClerk: { username: 'bench-county-clerk', name: '压测芝罘区窗口', role: 'clerk' as const, jurisdiction: '370602', password: 'bench-county-clerk-pw' },
  provinceAdmin: { username: 'bench-province-admin', name: '压测省级管理员', role: 'admin' as const, jurisdiction: '370000', password: 'bench-province-admin-pw' },
};

const pick = <T>(xs: T[], i: number): T => xs[(i * 7_919 + 13) % xs.length];

/** Fewest timed samples (rounds, for the jobs) a figure keeps when it runs out of its time budget. */
export const MIN_SAMPLES = 5;
export const MIN_ROUNDS = 3;

/**
 * Runs `warmups` unmeasured calls, then `samples` timed ones, one at a time; returns each in milliseconds.
 * Past `budgetMs` it stops once it has `min` samples, so a store that scans at every call still finishes.
 * `prepare` runs before each call, untimed.
 */
async function timed(label: string, progress: { log?: (msg: string) => void }, samples: number, warmups: number, budgetMs: number, call: (i: number) => Promise<void>, options: { min?: number; prepare?: (i: number) => Promise<void> } = {}): Promise<number[]> {
  const ms: number[] = [];
  const started = performance.now();
  let warm = 0;
  for (let i = 0; ms.length < samples; i++) {
    const spent = performance.now() - started;
    if (ms.length >= Math.min(samples, options.min ?? MIN_SAMPLES) && spent > budgetMs) break;
    // One warm-up always; the others only while they have used less than a quarter of the budget.
    const warmUp = warm < warmups && (warm === 0 || spent < budgetMs / 4);
    await options.prepare?.(i);
    const t0 = performance.now();
    await call(i);
    if (warmUp) warm++;
    else {
      warm = warmups;
      ms.push(performance.now() - t0);
    }
  }
  const sorted = [...ms].sort((a, b) => a - b);
  progress.log?.(`  ${label}: ${ms.length} samples in ${Math.round((performance.now() - started) / 1000)} s, median ${Math.round(sorted[sorted.length >> 1] ?? NaN)} ms`);
  return ms;
}

/** Fails the bench on an answer that would flatter the figure (an error is fast). */
function expectStatus(what: string, res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/**
 * Each ACCEPT calls for a 受理通知书, which the server issues once no request is in flight (effects/quiet-gate.ts):
 * waits, untimed, until the last accepted application has it (they are issued in order), so the next figure is not
 * measured beside the events' documents; prints how long they took.
 */
async function documentsFollowed(api: ReturnType<typeof apiClient>, accepted: string[], token: string, progress: { log?: (msg: string) => void }): Promise<void> {
  const last = accepted.at(-1);
  if (!last) return;
  const started = performance.now();
  for (;;) {
    const res = await api.get(`/api/v1/applications/${last}/documents`, token);
    expectStatus('documents', res, 200);
    if ((res.body as { kind: string }[]).some((d) => d.kind === 'acceptance')) break;
    if (performance.now() - started > 300_000) throw new Error(`the 受理通知书 of ${last} was not issued within 300 s of the last event`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  progress.log?.(`  documents: the ${accepted.length} events' 受理通知书 issued ${((performance.now() - started) / 1000).toFixed(1)} s after the last event (untimed; each once the server was quiet)`);
}

/**
 * The HTTP figures against the real server on the seeded store, one request at a time: create and an event
 * on what it created (ACCEPT), a public status lookup and certificate check, an application read, the first
 * work-list page of a county clerk and of the province admin, and a staff search by USCC.
 */
export async function measureHttp(baseUrl: string, samples: Sample[], certificateSamples: Sample[], opts: MeasureOptions, n: { next: number }) {
  const api = apiClient(() => baseUrl);
  const clerk = await api.login(BENCH_STAFF.countyClerk.username, BENCH_STAFF.countyClerk.password);
  const admin = await api.login(BENCH_STAFF.provinceAdmin.username, BENCH_STAFF.provinceAdmin.password);
  const created: string[] = [];
  const out: Partial<SizeSamples> = {};
  const budget = opts.budgetSeconds * 1000;
  // Clones must be whole applications to the service: their re-chained timelines verify.
  for (const s of samples.slice(0, 3)) {
    const res = await api.get(`/api/v1/applications/${s.id}/timeline/verify`, admin);
    expectStatus('timeline verify', res, 200);
    if (!res.body.valid) throw new Error(`the timeline of clone ${s.applicationNo} does not verify: ${JSON.stringify(res.body)}`);
  }

  // A request that reads nothing stored (the readiness check: one store ping), before and after the others: what it
  // grows by between sizes is the machine's own drift, against which the other figures' growth can be read.
  const storePing = () => timed('storePing', opts, opts.samples, opts.warmups, budget, async () => expectStatus('readiness', await api.get('/health/ready'), 200));
  const pingsBefore = await storePing();

  const createOne = async () => {
    const uscc = usccFor('370602', 900_000_000 + n.next++);
    const body = applicationBody('370000-AQ-XK-004', { uscc, materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((code) => ({ code, provided: true })) });
    const res = await api.post('/api/v1/applications', body, clerk);
    expectStatus('create', res, 201);
    created.push(res.body.id as string);
  };
  out.create = await timed('create', opts, opts.samples, opts.warmups, budget, createOne);
  let accepted = 0;
  out.event = await timed('event', opts, opts.samples, opts.warmups, budget, async () => {
    expectStatus('event ACCEPT', await api.post(`/api/v1/applications/${created[accepted++]}/events`, { type: 'ACCEPT' }, clerk), 200);
  }, { prepare: async () => { if (accepted >= created.length) await createOne(); } });
  await documentsFollowed(api, created.slice(0, accepted), clerk, opts);
  out.statusLookup = await timed('statusLookup', opts, opts.samples, opts.warmups, budget, async (i) => {
    const s = pick(samples, i);
    expectStatus('status lookup', await api.get(`/api/v1/status?applicationNo=${encodeURIComponent(s.applicationNo)}&queryCode=${s.queryCode}`), 200);
  });
  out.getApplication = await timed('getApplication', opts, opts.samples, opts.warmups, budget, async (i) => {
    expectStatus('GET application', await api.get(`/api/v1/applications/${pick(samples, i).id}`, admin), 200);
  });
  out.worklistCounty = await timed('worklistCounty', opts, opts.samples, opts.warmups, budget, async () => {
    const res = await api.get('/api/v1/applications?limit=20', clerk);
    expectStatus('county work list', res, 200);
    if (!res.body.items.length) throw new Error('the county work list is empty');
  });
  out.worklistProvince = await timed('worklistProvince', opts, opts.samples, opts.warmups, budget, async () => {
    const res = await api.get('/api/v1/applications?limit=20', admin);
    expectStatus('province work list', res, 200);
    if (res.body.items.length !== 20) throw new Error(`the province work list has ${res.body.items.length} items, not 20`);
  });
  out.searchByUscc = await timed('searchByUscc', opts, opts.samples, opts.warmups, budget, async (i) => {
    const s = pick(samples, i);
    const res = await api.get(`/api/v1/applications?uscc=${s.uscc}&limit=20`, admin);
    expectStatus('search by USCC', res, 200);
    if (!res.body.items.some((a: { id: string }) => a.id === s.id)) throw new Error(`search by USCC ${s.uscc} did not find ${s.applicationNo}`);
  });
  out.certificateVerify = await timed('certificateVerify', opts, opts.samples, opts.warmups, budget, async (i) => {
    const s = pick(certificateSamples, i);
    const res = await api.get(`/api/v1/certificates/verify?number=${encodeURIComponent(s.certificate!.number)}&uscc=${s.certificate!.uscc}`);
    expectStatus('certificate verify', res, 200);
    if (res.body.result === 'not_found') throw new Error(`certificate ${s.certificate!.number} not found`);
  });
  // 监管统计 of the last 30 days for the province (every jurisdiction): reads one day document per jurisdiction and day.
  const to = shanghaiDate(new Date());
  const from = addCalendarDays(to, -29);
  out.statistics = await timed('statistics', opts, opts.samples, opts.warmups, budget, async () => {
    const res = await api.get(`/api/v1/statistics?from=${from}&to=${to}`, admin);
    expectStatus('statistics', res, 200);
    if (!res.body.totals.received) throw new Error(`the statistics of ${from}–${to} count nothing received`);
  });
  out.storePing = [...pingsBefore, ...(await storePing())];
  return { figures: out, created: created.length };
}

/**
 * The jobs in the bench process on the same store: a timer tick with nothing due, one with 100 deadlines
 * due (seeded just before each round, not timed), and reminder runs each on a later day than the last, so
 * new windows open; a run's time is divided by the certificates in their windows that day.
 */
export async function measureJobs(services: Services, seeder: Seeder, clock: { offsetMs: number }, opts: MeasureOptions & { firstReminderDay: string }) {
  const budget = opts.budgetSeconds * 1000;
  const timerTickIdle = await timed('timerTickIdle', opts, opts.rounds, 1, budget, async () => {
    const run = await runTimers(services, new Date());
    if (run.fired) throw new Error(`the idle tick fired ${run.fired} deadlines: the seeded deadlines should all lie ahead`);
  }, { min: MIN_ROUNDS });
  const timerTick100 = await timed('timerTick100', opts, opts.rounds, 0, budget, async () => {
    const run = await runTimers(services, new Date());
    if (run.fired !== 100 || run.failures.length) throw new Error(`the tick fired ${run.fired} of 100 due deadlines (${run.failures.length} failures)`);
  }, { min: MIN_ROUNDS, prepare: () => seeder.addDue(100, new Date(Date.now() - 1000)) });
  const reminderRun: number[] = [];
  const reminders = { queued: 0, expired: 0, inWindows: 0, ms: 0 };
  try {
    for (let round = 0; round < opts.rounds && !(round >= MIN_ROUNDS && reminders.ms > budget); round++) {
      const day = addCalendarDays(opts.firstReminderDay, round);
      // Mid-morning of that day; the service's clock moves with it so the outbox delivers what the run queued.
      const now = new Date(startOfShanghaiDay(day).getTime() + 10 * 3_600_000);
      clock.offsetMs = now.getTime() - Date.now();
      const inWindows = seeder.inWindows(day);
      const started = performance.now();
      const run = await runReminders(services, now);
      const ms = performance.now() - started;
      reminderRun.push(ms / Math.max(1, inWindows));
      opts.log?.(`  reminderRun on ${day}: ${Math.round(ms)} ms for ${inWindows} certificates in their windows, ${run.queued.length} queued, ${run.expired.length} expired`);
      Object.assign(reminders, { queued: reminders.queued + run.queued.length, expired: reminders.expired + run.expired.length, inWindows: reminders.inWindows + inWindows, ms: reminders.ms + ms });
    }
  } finally {
    clock.offsetMs = 0;
  }
  return { figures: { timerTickIdle, timerTick100, reminderRun }, reminders };
}

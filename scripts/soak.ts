/**
 * `npm run soak -- [--applications N] [--concurrency C] [--preseed N] [--preseed-open N]`: three API processes and
 * two scheduler processes on one store (first filled with N applications of history when `--preseed` is given),
 * a few thousand applications driven through every process with concurrent events, one API
 * process killed with SIGKILL in the middle, deadlines and reminders fired by two job processes at once,
 * then the invariants checked in the store. Exits 1 when an invariant is broken.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startEmbeddedServer } from '../src/store/embedded-server';
import { startSmtpSink } from '../test/helpers/smtp-sink';
import { freshUscc } from '../src/bench/sample-applications';
import { createStoreFault, verifyBackupRestore } from './soak-fault';
import { checkInvariants } from './soak-invariants';
import { preseed } from './soak-preseed';
import { storeTimeByCollection } from './soak-store-time';

const { values } = parseArgs({
  options: {
    applications: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '24' },
    preseed: { type: 'string', default: '0' }, 'preseed-open': { type: 'string', default: '5000' },
  },
});
const TOTAL = Number(values.applications);
const CONCURRENCY = Number(values.concurrency);
const project = path.resolve(import.meta.dirname, '..');
const log = (msg: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}`);

type Scenario = 'standard' | 'correction' | 'deficient_supplied' | 'deficient_missed' | 'commitment_verified' | 'commitment_overdue' | 'joint' | 'withdrawn';
const SCENARIOS: Scenario[] = ['standard', 'correction', 'deficient_supplied', 'deficient_missed', 'commitment_verified', 'commitment_overdue', 'joint', 'withdrawn'];
const ITEM: Record<Scenario, { code: string; provided: string[] }> = {
  standard: { code: '370000-AQ-XK-004', provided: ['M01', 'M02', 'M03', 'M04', 'M05'] },
  correction: { code: '370000-AQ-XK-004', provided: ['M01', 'M02', 'M03', 'M04', 'M05'] },
  withdrawn: { code: '370000-AQ-XK-004', provided: ['M01', 'M02', 'M03', 'M04', 'M05'] },
  deficient_supplied: { code: '370000-AQ-XK-003', provided: ['M01', 'M02', 'M03', 'M04', 'M06', 'M07'] },
  deficient_missed: { code: '370000-AQ-XK-003', provided: ['M01', 'M02', 'M03', 'M04', 'M06', 'M07'] },
  commitment_verified: { code: '370000-AQ-XK-006', provided: ['M01', 'M02', 'M03'] },
  commitment_overdue: { code: '370000-AQ-XK-006', provided: ['M01', 'M02', 'M03'] },
  joint: { code: '370000-AQ-XK-008', provided: ['M01', 'M02', 'M03', 'M04', 'M05'] },
};

// The parts of an API response the soak reads (application views, tokens, errors).
type AppView = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where each flow stops driving (timers and schedulers take the rest). */
const FINAL: Record<Scenario, string> = {
  standard: 'completed', correction: 'denied', withdrawn: 'withdrawn', deficient_supplied: 'completed', deficient_missed: 'approved_pending_supplement',
  commitment_verified: 'completed', commitment_overdue: 'issued_pending_verification', joint: 'completed',
};

interface Proc { name: string; child: ChildProcess; url: string | null; output: string }

function startProcess(name: string, args: string[], env: Record<string, string>, waitForUrl: boolean): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: project, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { name, child, url: null, output: '' };
  const collect = (d: Buffer) => {
    proc.output = (proc.output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  if (!waitForUrl) return Promise.resolve(proc);
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(proc.output);
      if (match) {
        clearInterval(timer);
        proc.url = match[1];
        resolve(proc);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`${name} exited:\n${proc.output}`));
      }
    }, 100);
  });
}

function runToEnd(name: string, args: string[], env: Record<string, string>): Promise<string> {
  return startProcess(name, args, env, false).then(
    (proc) => new Promise((resolve, reject) => proc.child.on('exit', (code) => (code === 0 ? resolve(proc.output) : reject(new Error(`${name} exited ${code}:\n${proc.output}`))))),
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'permit-soak-'));
  const server = process.env.MONGODB_URI ? null : await startEmbeddedServer({ dataDir, log });
  const uri = process.env.MONGODB_URI || server!.uri;
  const fault = createStoreFault(server, dataDir, log);
  const dbName = `soak_${randomBytes(4).toString('hex')}`;
  const smtp = await startSmtpSink();
  const env = {
    MONGODB_URI: uri, DB_NAME: dbName, PORT: '0', DEMO_ACCOUNTS: 'on', SMTP_URL: smtp.url,
    LOG_LEVEL: 'warn', PUBLIC_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000', TOKEN_TTL_MINUTES: '600',
  };
  const procs: Proc[] = [];
  // An interrupted soak must not leave its API and scheduler processes running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const p of procs) p.child.kill('SIGKILL');
      process.exit(130);
    });
  }
  try {
    log(`store ${server ? server.kind : 'MONGODB_URI'}, database ${dbName}; ${TOTAL} applications, ${CONCURRENCY} at a time`);
    const PRESEED = Number(values.preseed);
    if (PRESEED > 0) {
      const seedStarted = Date.now();
      const seeded = await preseed({ uri, dbName, count: PRESEED, open: Number(values['preseed-open']), log });
      log(`pre-seeded ${seeded.applications + seeded.templates} applications (${seeded.open} open), ${seeded.certificates} certificates, ${seeded.reminders} ledger entries in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`);
    }
    // The ledger entries of the history were never mailed by this soak: the invariants count from here.
    const seededReminders = await countReminders(uri, dbName);
    const apis = await Promise.all([1, 2, 3].map((n) => startProcess(`api-${n}`, ['src/main.ts'], { ...env, SCHEDULER: 'off' }, true)));
    // Deadlines are fired by the job processes below; the schedulers' tick (every 15 s) sweeps effects the killed process left.
    const schedulers = await Promise.all([1, 2].map((n) => startProcess(`scheduler-${n}`, ['src/main.ts'], { ...env, SCHEDULER: 'on', TIMER_CRON: '*/15 * * * * *' }, true)));
    procs.push(...apis, ...schedulers);
    const live = () => apis.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    log(`api processes: ${apis.map((p) => p.url).join(' ')}`);

    const call = async (method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; body: AppView }> => {
      for (let attempt = 0; ; attempt++) {
        const target = live()[randomInt(live().length)];
        try {
          const sent = Date.now();
          const res = await fetch(target.url + url, {
            method,
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await res.text();
          fault.observe(res.status, sent);
          return { status: res.status, body: text ? JSON.parse(text) : null };
        } catch (e) {
          if (attempt > 20) throw e;
        }
      }
    };
    const login = async (username: string) => (await call('POST', '/api/v1/auth/token', null, { username, password: 'demo' })).body.token as string;
    const tokens = { clerk: await login('clerk'), reviewer: await login('reviewer'), province: await login('province-reviewer') };

    // Each flow reads the application and sends what its scenario wants next, so a lost response or a killed process is simply retried.
    const next = (scenario: Scenario, app: AppView): [string, object][] => {
      const s = app.status as string;
      const has = (e: string) => app.allowedEvents.includes(e);
      const verified = scenario === 'commitment_verified';
      if (s === 'submitted') {
        if (scenario === 'withdrawn') return [[tokens.clerk, { type: 'WITHDRAW', reason: '企业主动撤回' }]];
        if (scenario === 'correction' && !app.details.correction) return [[tokens.clerk, { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '缺少签章页' }] }]];
        if (scenario.startsWith('deficient')) return [[tokens.clerk, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M05'], promise: { signedBy: '法定代表人', signedAt: new Date().toISOString() } }]];
        if (scenario.startsWith('commitment')) return [[tokens.clerk, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '法定代表人', signedAt: new Date().toISOString() } }]];
        return [[tokens.clerk, { type: 'ACCEPT' }]];
      }
      if (s === 'correction_required') return [[tokens.clerk, { type: 'SUBMIT_CORRECTION', note: '已补正' }]];
      if (s === 'under_review' && scenario === 'joint') {
        const out: [string, object][] = [];
        if (!app.details.opinions?.city) out.push([tokens.reviewer, { type: 'REVIEW_OPINION', level: 'city', opinion: 'approve', note: '同意' }]);
        if (!app.details.opinions?.province) out.push([tokens.province, { type: 'REVIEW_OPINION', level: 'province', opinion: 'approve', note: '同意' }]);
        return out;
      }
      if (s === 'under_review' || s === 'accepted_deficient') return scenario === 'correction' ? [[tokens.reviewer, { type: 'DENY', reason: '条件不符' }]] : [[tokens.reviewer, { type: 'APPROVE' }]];
      if (s === 'approved_pending_supplement' && scenario === 'deficient_supplied' && has('SUPPLEMENT')) return [[tokens.clerk, { type: 'SUPPLEMENT', materials: ['M05'] }]];
      if (s === 'issued_pending_verification' && verified && app.certificateNo) return [[tokens.reviewer, { type: 'VERIFY_PASSED', method: 'site_visit', note: '现场核查属实' }]];
      return [];
    };

    let done = 0;
    let killed = false;
    const created: { id: string; scenario: Scenario }[] = [];
    const drive = async (scenario: Scenario) => {
      const item = ITEM[scenario];
      const body = {
        itemCode: item.code,
        applicant: { name: `烟台压力测试企业${randomInt(1e6)}有限公司`, uscc: freshUscc('370602'), divisionCode: '370602', contact: { name: '测试', phone: '0535-6000000', email: `soak${randomInt(1e9)}@example.com` } },
        materials: item.provided.map((code) => ({ code, provided: true })),
        channel: 'window',
      };
      let res = await call('POST', '/api/v1/applications', tokens.clerk, body);
      while (res.status !== 201) res = await call('POST', '/api/v1/applications', tokens.clerk, body);
      const id = res.body.id as string;
      created.push({ id, scenario });
      // An effect the killed process had claimed waits out its two-minute lease, so a flow may wait that long.
      for (const until = Date.now() + 300_000; Date.now() < until;) {
        const app = (await call('GET', `/api/v1/applications/${id}`, tokens.clerk)).body;
        const todo = next(scenario, app);
        if (!todo.length) {
          if (app.status === FINAL[scenario]) break;
          // Waiting for an effect (e.g. a certificate a killed process left to the schedulers' sweep).
          await new Promise((r) => setTimeout(r, 250));
          continue;
        }
        // Each event is sent twice at once (to random processes): exactly one may win.
        await Promise.all(todo.flatMap(([token, event]) => [call('POST', `/api/v1/applications/${id}/events`, token, event), call('POST', `/api/v1/applications/${id}/events`, token, event)]));
      }
      done++;
      if (done % Math.max(1, Math.round(TOTAL / 10)) === 0) log(`${done} of ${TOTAL} flows done`);
      if (!killed && done >= TOTAL * 0.4) {
        killed = true;
        log(`SIGKILL ${apis[1].name} (pid ${apis[1].child.pid}) with ${done} flows done`);
        apis[1].child.kill('SIGKILL');
      }
      fault.maybeKill(done, TOTAL);
    };

    const started = Date.now();
    let cursor = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (cursor < TOTAL) await drive(SCENARIOS[cursor++ % SCENARIOS.length]);
    }));
    log(`${TOTAL} flows in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Deadlines: two job processes fire everything due 70 days from now, at the same time.
    const later = new Date(Date.now() + 70 * 86_400_000).toISOString();
    const jobEnv = { ...env, SCHEDULER: 'off' };
    const timerRuns = await Promise.all([1, 2].map((n) => runToEnd(`timers-${n}`, ['scripts/job.ts', 'timers', '--now', later], jobEnv)));
    log(`timer jobs:\n${timerRuns.map((o) => o.trim().split('\n').slice(-2).join('\n')).join('\n')}`);

    // Reminders: two job processes at once, at two instants inside the windows (12-month and 36-month licences).
    for (const days of [365 - 29, 3 * 365 - 29, 3 * 365 - 5]) {
      const at = new Date(Date.now() + days * 86_400_000).toISOString();
      const runs = await Promise.all([1, 2].map((n) => runToEnd(`reminders-${n}`, ['scripts/job.ts', 'reminders', '--now', at], jobEnv)));
      log(`reminder jobs at +${days} d:\n${runs.map((o) => o.trim().split('\n').slice(-1).join('\n')).join('\n')}`);
    }
    const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
    try {
      // Let the scheduler processes sweep what the killed process left behind (its claims wait out their lease first).
      for (const until = Date.now() + 300_000; ;) {
        // The effect queue (a marker per journal entry with effects to run) is small; the journal holds all history.
        // A marker of a writer that lost its claim has no entry (the sweep drops it later): only entries still pending count.
        const markers = await conn.db!.collection('effect_queue').find({}).toArray();
        const entries = await Promise.all(markers.map((m) => conn.db!.collection('application_journal').findOne({ _id: m._id }, { projection: { hasPendingEffects: 1 } })));
        const pending = entries.filter((e) => e?.hasPendingEffects).length;
        // And the open-work markers, which a scheduler repairs once they are REPAIR_AFTER_MS old.
        const unrepaired = await conn.db!.collection('open_applications_pending').countDocuments({});
        if ((!pending && !unrepaired) || Date.now() > until) break;
        log(`waiting for the schedulers to settle ${pending} journal entries with pending effects and repair ${unrepaired} open-work markers`);
        await new Promise((r) => setTimeout(r, 5000));
      }
      log(`store time of the running API and scheduler processes, by command and collection:\n${(await storeTimeByCollection([...live(), ...schedulers].map((p) => p.url!))).join('\n')}`);
      const report = await checkInvariants(conn, smtp.received, created, seededReminders);
      for (const line of [...report.lines, ...(await fault.report())]) log(line);
      // The backup is taken while the API and scheduler processes still run; its restored copy must pass the same checks.
      if (server) {
        const restored = await verifyBackupRestore({ storeDir: dataDir, dbName, mails: smtp.received, created, seededReminders, log });
        for (const line of restored.lines) log(line);
        report.broken.push(...restored.broken.map((b) => `restored copy: ${b}`));
      }
      if (report.broken.length) {
        for (const b of report.broken.slice(0, 30)) console.error(`BROKEN: ${b}`);
        process.exitCode = 1;
      } else {
        log('all invariants hold');
      }
    } finally {
      await conn.close();
    }
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await smtp.stop();
    if (server) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function countReminders(uri: string, dbName: string): Promise<number> {
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  try {
    return await conn.db!.collection('certificate_reminders').countDocuments({});
  } finally {
    await conn.close();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});

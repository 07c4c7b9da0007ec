import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { findItem } from '../src/catalog/load-catalog';
import { loadConfig } from '../src/config/app-config';
import { createPermitEngine } from '../src/engine/permit-engine';
import { SYSTEM_ACTOR } from '../src/engine/system-actor';
import { createLogger } from '../src/logger';
import { startRuntime } from '../src/runtime';
import { isProcessAlive } from '../src/store/ferretdb-build';
import type { ServerFile } from '../src/store/embedded-server';
import { versionedUpdate } from '../src/store/versioned-update';
import { applicationBody } from './helpers/api-client';
import { startSmtpSink } from './helpers/smtp-sink';
import { TestClock, type TestApp } from './helpers/test-app';
import { freshUscc, workflow } from './helpers/workflow';

const PLAIN_ITEM = '370000-AQ-XK-004'; // correction deadline: 30 natural days
const correction = { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '缺少签章页' }] };
// A correction noticed on 2026-03-02 is due at the end of 2026-04-01 in Shanghai.
const AFTER_DUE = '2026-04-02T01:00:00.000Z';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

// Takes the dead server's port so the supervisor's restarts fail (address in use) until it is released.
async function holdPort(port: number): Promise<() => Promise<void>> {
  const server: Server = createServer((socket) => socket.destroy());
  await waitFor('the killed server frees its port', () => new Promise<true | undefined>((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(true));
  }), 5000);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('when the store fails: 503 answers, supervision and catching up', function () {
  this.timeout(120_000);
  let app: TestApp;
  let dataDir: string;
  const flow = workflow(() => app);
  const serverFile = () => JSON.parse(readFileSync(join(dataDir, 'store', 'server.json'), 'utf8')) as ServerFile;
  const count = () => app.runtime.conn.collection('applications').countDocuments({});
  const timed = async <T>(work: Promise<T>) => {
    const started = Date.now();
    const value = await work;
    return { value, ms: Date.now() - started };
  };
  const metric = async (line: RegExp) => Number(line.exec(await (await fetch(`${app.url}/metrics`)).text())?.[1] ?? 0);

  /** SIGKILLs the embedded server and keeps it down (its port taken) until the returned function is called. */
  async function killStore(): Promise<{ release: () => Promise<void>; killedPid: number }> {
    const { pid, port } = serverFile();
    process.kill(pid, 'SIGKILL');
    await waitFor('the store process dies', () => (isProcessAlive(pid) ? undefined : true), 5000);
    return { release: await holdPort(port), killedPid: pid };
  }

  async function waitForRecovery(killedPid: number): Promise<void> {
    await waitFor('the supervisor restarts the store', () => (serverFile().pid !== killedPid ? true : undefined), 60_000);
    await waitFor('/health turns ok', async () => ((await fetch(`${app.url}/health`)).status === 200 ? true : undefined), 30_000);
  }

  before(async function () {
    this.timeout(15 * 60_000);
    dataDir = mkdtempSync(join(tmpdir(), 'permit-outage-'));
    const smtp = await startSmtpSink();
    const clock = new TestClock(new Date('2026-03-02T02:00:00Z'));
    // The service owns its embedded store here (no MONGODB_URI), so it is the supervisor; the scheduler ticks every second.
    const config = loadConfig({}, {
      mongodbUri: '', dataDir, port: 0, smtpUrl: smtp.url, demoAccounts: 'on', logLevel: 'silent',
      timerCron: '* * * * * *', loginRateLimit: 1000, publicRateLimit: 1000, tokenTtlMinutes: 2 * 365 * 24 * 60,
    });
    const runtime = await startRuntime(config, { http: true, scheduler: true, now: clock.now, log: createLogger('silent') });
    app = {
      runtime,
      url: runtime.url!,
      clock,
      smtp,
      store: { uri: runtime.store.uri, dbName: runtime.store.dbName, stop: async () => {} },
      restart: () => Promise.reject(new Error('not used here')),
      stop: async () => {
        await runtime.stop();
        await smtp.stop();
      },
    };
    expect(runtime.store.kind).to.not.equal('external');
    await flow.signIn('clerk');
  });

  after(async function () {
    await app?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the store is killed under the running service, then requests answer 503 STORE_UNAVAILABLE with Retry-After fast, /health within 1 s, and nothing is written; when it is back by itself, the same request succeeds', async () => {
    const before = await count();
    const body = applicationBody(PLAIN_ITEM, { uscc: freshUscc(), materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((code) => ({ code, provided: true })) });
    const { release, killedPid } = await killStore();
    let released = false;
    try {
      const submit = await timed(fetch(`${app.url}/api/v1/applications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${flow.token('clerk')}` },
        body: JSON.stringify(body),
      }));
      const refused = (await submit.value.json()) as { error: { code: string; message: string } };
      expect(submit.value.status, JSON.stringify(refused)).to.equal(503);
      expect(refused.error.code).to.equal('STORE_UNAVAILABLE');
      expect(refused.error.message).to.include('存储暂不可用').and.include('The store is unavailable');
      expect(submit.value.headers.get('retry-after')).to.equal('5');
      expect(submit.ms, 'a request must not hang waiting for the store').to.be.below(6000);

      const read = await flow.api.get('/api/v1/applications?limit=1', flow.token('clerk'));
      expect(read.status).to.equal(503);
      expect(read.body.error.code).to.equal('STORE_UNAVAILABLE');

      for (const path of ['/health', '/health/ready']) {
        const health = await timed(fetch(`${app.url}${path}`));
        expect(health.value.status, path).to.equal(503);
        expect(health.ms, `${path} must answer within a second`).to.be.below(1000);
        expect(await health.value.json()).to.deep.include({ store: 'down' });
      }
      const live = await timed(fetch(`${app.url}/health/live`));
      expect(live.value.status).to.equal(200);
      expect(live.ms).to.be.below(1000);

      await release();
      released = true;
      await waitForRecovery(killedPid);
    } finally {
      if (!released) await release();
    }

    expect(await count(), 'the refused request wrote nothing').to.equal(before);
    const retried = await flow.api.post('/api/v1/applications', body, flow.token('clerk'));
    expect(retried.status, JSON.stringify(retried.body)).to.equal(201);
    expect(await count()).to.equal(before + 1);
    expect(await metric(/^permit_store_restarts_total (\d+)/m)).to.be.at.least(1);
    expect(await metric(/^permit_store_unavailable_total\{where="http"\} (\d+)/m)).to.be.at.least(2);
  });

  it('when a deadline falls due while the store is down, then the scheduler skips those ticks and fires it exactly once after the store is back', async () => {
    const created = await flow.submit(PLAIN_ITEM);
    await flow.sendOk(created.id, correction, 'clerk');
    const skippedBefore = await metric(/^permit_store_unavailable_total\{where="scheduler"\} (\d+)/m);

    const { release, killedPid } = await killStore();
    try {
      flow.at(AFTER_DUE);
      // Long enough for the every-second tick to try, and be skipped, at least once.
      await waitFor('a scheduler tick is skipped', async () => ((await metric(/^permit_store_unavailable_total\{where="scheduler"\} (\d+)/m)) > skippedBefore ? true : undefined), 20_000);
    } finally {
      await release();
    }
    await waitForRecovery(killedPid);

    const fired = await waitFor('the deadline fires after recovery', async () => {
      const view = await flow.read(created.id);
      return view.status === 'not_accepted' ? view : undefined;
    }, 30_000);
    // A few more ticks must not fire it again.
    await sleep(3000);
    const view = await flow.read(created.id);
    expect(flow.events(view).filter((e) => e === 'CORRECTION_DEADLINE_PASSED')).to.have.length(1);
    // Later versions only record the notices issued for it (correction, refusal), no second firing.
    expect(flow.events(view)).to.deep.equal(flow.events(fired));
    const stored = (await app.runtime.services.store.get(created.id))!;
    expect(stored.timers.map((t) => t.status)).to.deep.equal(['fired']);
  });

  /** An accepted application whose APPROVE claimed version 3 in the journal and died before writing the document. */
  async function approvalAbandonedAfterItsClaim() {
    const created = await flow.submit(PLAIN_ITEM);
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    const { services, conn } = app.runtime;
    const applications = conn.collection('applications');
    // The write after the journal claim fails as it does when the store is killed at that moment.
    const dying = new Proxy(applications, {
      get: (target, key) => (key === 'updateOne' ? () => Promise.reject(Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' })) : Reflect.get(target, key)),
    });
    const engine = createPermitEngine({
      store: {
        ...services.store,
        async compareAndSet(id, expectedVersion, change) {
          await conn.collection('effect_queue').insertOne({ _id: `${id}:${expectedVersion + 1}` as never, entity: id, version: expectedVersion + 1, at: new Date() });
          return versionedUpdate(dying as never, conn.collection('application_journal') as never, id, expectedVersion, { set: change.set, push: { timeline: change.timeline, outbox: change.outbox } }, { effects: change.outbox, hasPendingEffects: change.outbox.length > 0 }, services.now());
        },
      },
      calendar: services.calendar,
      itemOf: (code) => findItem(services.catalog, code)!,
      now: services.now,
    });
    const accepted = (await services.store.get(created.id))!;
    const failed = await engine.apply(accepted, { type: 'APPROVE' }, SYSTEM_ACTOR).then(() => null, (e: Error) => e);
    expect(failed?.name).to.equal('MongoNetworkError');
    const claim = await conn.collection('application_journal').findOne({ _id: `${created.id}:${accepted.version + 1}` as never });
    expect(claim, 'the claim is in the journal').to.not.equal(null);
    // Makes the claim as old as an abandoned one (the roll-forward delay is on the machine's clock, whatever day the writer ran as of).
    const abandon = () => conn.collection('application_journal').updateOne({ _id: claim!._id }, { $set: { claimedAt: new Date(Date.now() - 5 * 60_000) } });
    return { created, accepted, abandon };
  }

  it('when the store dies between claiming a version and writing the document, then its effects wait and run once the claim is rolled forward, on the state they belong to', async () => {
    const { services } = app.runtime;
    const { created, abandon } = await approvalAbandonedAfterItsClaim();

    await services.effects.runFor(created.id);
    expect((await services.store.get(created.id))!.status, 'the document is still before the claim').to.equal('under_review');
    expect(await services.certificates.findByApplication(created.id), 'no certificate for a state the document is not in').to.equal(null);

    // Once the claim is older than the roll-forward delay, the runner completes it and runs its effects.
    await abandon();
    await services.effects.runFor(created.id);
    const view = await waitFor('the application completes', async () => {
      const v = await flow.read(created.id);
      return v.status === 'completed' ? v : undefined;
    }, 20_000);
    expect(flow.events(view).filter((e) => e === 'APPROVE')).to.have.length(1);
    expect(flow.events(view).filter((e) => e === 'CERTIFICATE_ISSUED')).to.have.length(1);
    expect((await services.certificates.findByApplication(created.id))?.applicationId).to.equal(created.id);
  });

  it('when several writers find the same abandoned claim at once, then exactly one rolls it forward and the change is in the timeline once', async () => {
    const { services } = app.runtime;
    const { created, accepted, abandon } = await approvalAbandonedAfterItsClaim();
    await abandon();
    // Each retries the version the dead writer claimed, as concurrent requests and sweeps do; each is told it conflicts.
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => services.store.compareAndSet(created.id, accepted.version, { set: { updatedAt: services.now() }, timeline: [], outbox: [] })));
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'written'))).to.deep.equal(Array(6).fill('VERSION_CONFLICT'));
    const stored = (await services.store.get(created.id))!;
    expect(stored.version).to.equal(accepted.version + 1);
    expect(stored.timeline.filter((t) => t.event === 'APPROVE')).to.have.length(1);
    expect(stored.outbox.filter((e) => e.type === 'issueCertificate')).to.have.length(1);
  });

  it('when a writer\'s claim landed without its marker (they are sent together), then the writer that rolls it forward marks it first: its effects run once and the work list follows', async () => {
    const { services, conn } = app.runtime;
    const { created, accepted, abandon } = await approvalAbandonedAfterItsClaim();
    const marker = `${created.id}:${accepted.version + 1}`;
    await conn.collection('effect_queue').deleteOne({ _id: marker as never });
    await abandon();
    const conflicted = await services.store.compareAndSet(created.id, accepted.version, { set: { updatedAt: services.now() }, timeline: [], outbox: [] }).then(() => null, (e) => e);
    expect(conflicted?.code).to.equal('VERSION_CONFLICT');
    expect((await services.store.get(created.id))!.status, 'rolled forward').to.equal('approved');
    expect(await conn.collection('effect_queue').findOne({ _id: marker as never }), 'the roller marked the claim').to.not.equal(null);

    await services.effects.sweep();
    const view = await waitFor('the certificate is issued', async () => {
      const v = await flow.read(created.id);
      return flow.events(v).includes('CERTIFICATE_ISSUED') ? v : undefined;
    }, 20_000);
    expect(flow.events(view).filter((e) => e === 'CERTIFICATE_ISSUED')).to.have.length(1);
    // The certificate's own effects (its PDF, the mail) follow in the background.
    await waitFor('every effect settles', async () => {
      await services.effects.drain();
      return (await conn.collection('effect_queue').countDocuments({ entity: created.id })) === 0 || undefined;
    }, 20_000);
    // The effect marker stood for the view: the finished application left the open work and joined the completed list.
    const lists = async (status: string) => (await flow.api.get(`/api/v1/applications?status=${status}&limit=200`, flow.token('clerk'))).body.items.map((i: { id: string }) => i.id);
    expect(await lists('under_review')).to.not.include(created.id);
    expect(await lists('completed')).to.include(created.id);
  });

  it('when the store dies between a submission\'s journal entry and its document, then the entry is settled after the roll-forward delay and its mail is never sent', async () => {
    const { services, conn } = app.runtime;
    const id = `never-inserted-${Date.now()}`;
    const createdAt = new Date(app.clock.now().getTime() - 5 * 60_000);
    const effect = { id: '1-1-notifyApplicant', type: 'notifyApplicant', params: { status: 'submitted', event: 'SUBMIT' }, createdAt };
    // What the store holds when the insert stopped after its journal entry: the marker and the entry, no document.
    await conn.collection('effect_queue').insertOne({ _id: `${id}:1` as never, entity: id, version: 1, at: createdAt });
    await conn.collection('application_journal').insertOne({ _id: `${id}:1` as never, entity: id, version: 1, at: createdAt, change: null, effects: [effect], hasPendingEffects: true });
    const mailsBefore = app.smtp.received.length;

    await services.effects.runFor(id);

    expect(await conn.collection('application_journal').findOne({ _id: `${id}:1` as never })).to.include({ hasPendingEffects: false });
    expect(await conn.collection('effect_queue').countDocuments({ entity: id })).to.equal(0);
    expect(app.smtp.received.length, 'no mail about an application that does not exist').to.equal(mailsBefore);
  });
});

import { expect } from 'chai';
import { runTimers } from '../src/jobs/timer-job';
import type { Runtime } from '../src/runtime';
import { runJob } from './helpers/run-job';
import { startSecondProcess, startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

const PLAIN_ITEM = '370000-AQ-XK-004'; // correction deadline: 30 natural days
const correction = { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '缺少签章页' }] };
// A correction noticed on 2026-03-02 is due at the end of 2026-04-01 in Shanghai.
const DUE_AT = '2026-04-01T16:00:00.000Z';

describe('durable timers (legal deadlines stored in the application)', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at('2026-03-02T02:00:00Z'));

  async function withCorrectionDeadline() {
    const created = await flow.submit(PLAIN_ITEM);
    await flow.sendOk(created.id, correction, 'clerk');
    return created;
  }

  it('when a correction notice is sent, then its deadline is stored in the document with an indexed next-due time, and fires once at the end of its last day', async () => {
    const created = await withCorrectionDeadline();
    const stored = (await services().store.get(created.id))!;
    expect(stored.nextTimerAt!.toISOString()).to.equal(DUE_AT);
    expect(stored.timers).to.have.length(1);
    expect(stored.timers[0]).to.include({ name: 'correction', event: 'CORRECTION_DEADLINE_PASSED', dueDate: '2026-04-01', status: 'pending' });
    const indexes = await services().store.model.collection.indexes();
    expect(indexes.map((i) => Object.keys(i.key))).to.deep.include(['nextTimerAt']);

    flow.at('2026-04-01T15:59:59Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    flow.at(DUE_AT);
    expect(await flow.fireTimers(created.id)).to.deep.equal(['CORRECTION_DEADLINE_PASSED']);
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);

    const fired = (await services().store.get(created.id))!;
    expect(fired).to.include({ status: 'not_accepted', nextTimerAt: null });
    expect(fired.timers[0].status).to.equal('fired');
    const view = await flow.read(created.id);
    expect(flow.steps(view).at(-1)).to.deep.include({ event: 'CORRECTION_DEADLINE_PASSED', fromStatus: 'correction_required', toStatus: 'not_accepted', date: '2026-04-02' });
    expect(flow.steps<{ event: string; actor: { kind: string } }>(view).at(-1)!.actor.kind).to.equal('system');
    expect(flow.mailsTo(created.applicationNo).slice(-2).map((m) => m.subject)).to.satisfy(([notice, invitation]: string[]) => notice.includes('不予受理') && invitation.includes('【服务评价】'));
  });

  it('when the correction comes in, then the cancelled deadline never fires, however late the job runs', async () => {
    const created = await withCorrectionDeadline();
    const et = (await flow.api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body.token;
    await flow.sendOk(created.id, { type: 'SUBMIT_CORRECTION' }, et);
    const stored = (await services().store.get(created.id))!;
    expect(stored.nextTimerAt).to.equal(null);
    expect(stored.timers.map((t) => t.status)).to.deep.equal(['cancelled']);

    flow.at('2026-12-01T02:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    expect((await flow.read(created.id)).status).to.equal('submitted');
  });

  it('when the service restarts between scheduling and firing, then the deadline still fires from the store', async () => {
    const created = await withCorrectionDeadline();
    await app.restart();
    await flow.signIn('clerk');
    flow.at('2026-04-02T01:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal(['CORRECTION_DEADLINE_PASSED']);
    expect((await flow.read(created.id)).status).to.equal('not_accepted');
  });

  describe('with a second process on the same store', () => {
    let second: Runtime;
    before(async () => {
      second = await startSecondProcess(app);
    });
    after(async () => second?.stop());

    it('when two timer jobs run at once, then each deadline fires exactly once and each applicant gets one notice', async () => {
      const created = await Promise.all(Array.from({ length: 6 }, () => withCorrectionDeadline()));
      const ids = new Set(created.map((c) => c.id));
      flow.at('2026-04-02T01:00:00Z');
      const runs = await Promise.all([runTimers(services(), app.clock.now()), runTimers(second.services, app.clock.now()), runTimers(services(), app.clock.now())]);
      const firings = runs.flatMap((r) => r.firings).filter((f) => ids.has(f.applicationId));
      expect(runs.flatMap((r) => r.failures)).to.deep.equal([]);
      expect(firings.map((f) => f.applicationId).sort()).to.deep.equal([...ids].sort());

      for (const c of created) {
        const view = await flow.read(c.id);
        expect(view.status).to.equal('not_accepted');
        expect(flow.events(view).filter((e: string) => e === 'CORRECTION_DEADLINE_PASSED')).to.have.length(1);
        expect(flow.mailsTo(c.applicationNo).filter((m) => m.subject.includes('不予受理'))).to.have.length(1);
      }
    });
  });

  it('when the scheduler is on, then its tick fires the due deadline as of the service clock', async function () {
    this.timeout(30_000);
    const scheduled = await startTestApp({ now: '2026-03-02T02:00:00Z', scheduler: true, config: { ...TIME_TRAVEL_CONFIG, timerCron: '* * * * * *' } });
    try {
      const other = workflow(() => scheduled);
      await other.signIn('clerk');
      const created = await other.submit(PLAIN_ITEM);
      await other.sendOk(created.id, correction, 'clerk');
      other.at('2026-04-02T01:00:00Z');
      let status = '';
      for (let i = 0; i < 50 && status !== 'not_accepted'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await other.read(created.id)).status;
      }
      expect(status).to.equal('not_accepted');
    } finally {
      await scheduled.stop();
    }
  });

  describe('npm run job -- timers', () => {
    it('when an operator runs the job with --now after the deadline, then it fires against the store and prints what fired', async function () {
      this.timeout(60_000);
      const created = await withCorrectionDeadline();
      const early = await runJob(app, ['timers', '--now', '2026-04-01T23:59:00+08:00']);
      expect(early.code, early.stderr).to.equal(0);
      expect(early.stdout).to.not.include(created.applicationNo);
      expect((await flow.read(created.id)).status).to.equal('correction_required');

      const due = await runJob(app, ['timers', '--now', '2026-04-02T00:00:00+08:00']);
      expect(due.code, due.stderr).to.equal(0);
      expect(due.stdout).to.include('2026-04-01T16:00:00.000Z');
      expect(due.stdout).to.match(new RegExp(`${created.applicationNo}\\s+correction\\s+2026-04-01\\s+→ CORRECTION_DEADLINE_PASSED`));
      expect((await flow.read(created.id)).status).to.equal('not_accepted');
      expect(flow.mailsTo(created.applicationNo).slice(-2).map((m) => m.subject)).to.satisfy(([notice, invitation]: string[]) => notice.includes('不予受理') && invitation.includes('【服务评价】'));
    });

    it('when --now is not an instant with its offset, or the job is unknown, then it stops with the usage and fires nothing', async function () {
      this.timeout(60_000);
      const created = await withCorrectionDeadline();
      const vague = await runJob(app, ['timers', '--now', '2026-05-01']);
      expect(vague.code).to.equal(2);
      expect(vague.stderr).to.include('--now').and.include('Usage');
      const unknown = await runJob(app, ['timer']);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.include('Unknown job "timer"').and.include('timers');
      expect((await flow.read(created.id)).status).to.equal('correction_required');
    });
  });
});

import { expect } from 'chai';
import { runTimers } from '../src/jobs/timer-job';
import type { Runtime } from '../src/runtime';
import { startSecondProcess, startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, promise, workflow } from './helpers/workflow';

const PLAIN_ITEM = '370000-AQ-XK-004'; // province level, 20 working days promised, intake period 5 working days
const DEFICIENT_ITEM = '370000-AQ-XK-003';
const COMMITMENT_ITEM = '370000-AQ-XK-006';
const JOINT_ITEM = '370000-AQ-XK-008';
const pledge = { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' };

// Received on Monday 2026-03-02: five working days end on Monday 2026-03-09 (at the end of the day in Shanghai).
const RECEIVED = '2026-03-02T02:00:00Z';
const INTAKE_DUE = '2026-03-09';
const DAY_AFTER = '2026-03-10T01:00:00Z';
const DEEMED_LABEL = { zh: '受理期限届满未作决定，依《行政许可法》第三十二条视为受理', en: 'Deemed accepted: no decision within the intake period (Administrative Licensing Law, Art. 32)' };

describe('视为受理: an application nobody decided on within the intake period counts as accepted (Art. 32)', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;
  const workListRow = async (id: string) => {
    const res = await flow.api.get('/api/v1/applications?status=submitted&limit=200', flow.token('clerk'));
    expect(res.status).to.equal(200);
    return (res.body.items as { id: string; deadlines: any[] }[]).find((i) => i.id === id)!;
  };

  before(async function () {
    app = await startTestApp({ now: RECEIVED, config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at(RECEIVED));

  it('when the catalog is read, then each item shows its intake period in working days', async () => {
    const res = await flow.api.get('/api/v1/catalog/items');
    expect(res.status).to.equal(200);
    for (const item of res.body.items) expect(item.intakeDays, item.code).to.equal(5);
  });

  it('when an application is received, then its intake period is a pending deadline, green until the working day before it ends, then yellow in the work list', async () => {
    const created = await flow.submit(PLAIN_ITEM);
    const stored = (await services().store.get(created.id))!;
    expect(stored.timers).to.have.length(1);
    expect(stored.timers[0]).to.deep.include({ name: 'intake', event: 'DEEMED_ACCEPTED', dueDate: INTAKE_DUE, status: 'pending', countedFrom: '2026-03-02', workingDays: 5, provisional: false });
    expect(stored.nextTimerAt!.toISOString()).to.equal('2026-03-09T16:00:00.000Z');
    expect((await flow.read(created.id)).deadlines).to.deep.equal([{ name: 'intake', dueDate: INTAKE_DUE, provisional: false, status: 'pending', overdue: false, light: 'green' }]);

    flow.at('2026-03-05T02:00:00Z'); // Thursday: two working days left
    expect((await workListRow(created.id)).deadlines[0]).to.include({ name: 'intake', light: 'green' });
    flow.at('2026-03-06T02:00:00Z'); // Friday, the working day before
    expect((await workListRow(created.id)).deadlines).to.deep.equal([{ name: 'intake', dueDate: INTAKE_DUE, provisional: false, status: 'pending', overdue: false, light: 'yellow' }]);
    flow.at('2026-03-09T02:00:00Z'); // the last day: still yellow, and nothing fires before it ends
    expect((await workListRow(created.id)).deadlines[0]).to.include({ light: 'yellow', overdue: false });
    flow.at('2026-03-09T15:59:59Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
  });

  it('when nobody decides within the intake period, then the timer job deems it accepted: under review, the reason on the timeline, the decision clock counted from receipt, the applicant mailed', async () => {
    const created = await flow.submit(PLAIN_ITEM);
    const item = (await flow.api.get('/api/v1/catalog/items')).body.items.find((i: { code: string }) => i.code === PLAIN_ITEM);
    const expectedDue = (await flow.api.get(`/api/v1/calendar/due-date?from=2026-03-02&workingDays=${item.promisedLimitDays}`)).body.dueDate;
    expect(expectedDue).to.equal('2026-03-30');

    flow.at(DAY_AFTER);
    expect(await flow.fireTimers(created.id)).to.deep.equal(['DEEMED_ACCEPTED']);
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);

    const view = await flow.read(created.id, 'reviewer');
    expect(view).to.include({ status: 'under_review', state: 'review.active' });
    expect(view.allowedEvents).to.include('APPROVE');
    expect(flow.steps(view).at(-1)).to.deep.include({ event: 'DEEMED_ACCEPTED', fromStatus: 'submitted', toStatus: 'under_review', date: '2026-03-10', label: DEEMED_LABEL });
    expect(flow.steps<{ event: string; actor: { kind: string } }>(view).at(-1)!.actor.kind).to.equal('system');
    expect(view.clock).to.include({ startedOn: '2026-03-02', limitWorkingDays: item.promisedLimitDays, dueDate: expectedDue, paused: false, stopped: false });
    expect(view.deadlines).to.deep.equal([]);
    const stored = (await services().store.get(created.id))!;
    expect(stored.timers.map((t) => [t.name, t.status])).to.deep.equal([['intake', 'fired']]);
    expect(stored.nextTimerAt).to.equal(null);

    const mails = flow.mailsTo(created.applicationNo).filter((m) => m.subject.includes('审查中'));
    expect(mails).to.have.length(1);
    expect(mails[0].text).to.include('视为受理').and.include('Art. 32');

    const status = await flow.api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
    expect(status.body).to.include({ status: 'under_review', dueDate: expectedDue });
    expect(status.body.timeline.at(-1)).to.include({ event: 'DEEMED_ACCEPTED', zh: DEEMED_LABEL.zh });
  });

  it('when a joint-review item is deemed accepted, then both reviews start as on acceptance', async () => {
    const created = await flow.submit(JOINT_ITEM, { divisionCode: '370602' });
    flow.at(DAY_AFTER);
    expect(await flow.fireTimers(created.id)).to.deep.equal(['DEEMED_ACCEPTED']);
    const view = await flow.read(created.id, 'reviewer');
    expect(view.status).to.equal('under_review');
    expect(view.branches.city.state).to.equal('reviewing');
    expect(view.branches.province.state).to.equal('reviewing');
    expect(view.clock.startedOn).to.equal('2026-03-02');
  });

  it('when the window accepts, refuses, asks for a correction or the applicant withdraws in time, then the intake period never fires, however late the job runs', async () => {
    const decisions: [string, object, object?][] = [
      [PLAIN_ITEM, { type: 'ACCEPT' }],
      [PLAIN_ITEM, { type: 'REJECT', reason: '不属于本机关职权范围' }],
      [PLAIN_ITEM, { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '缺少签章页' }] }],
      [PLAIN_ITEM, { type: 'WITHDRAW', reason: '申请人主动撤回' }],
      [DEFICIENT_ITEM, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06', 'M07'], promise: promise() }],
      [COMMITMENT_ITEM, { type: 'ACCEPT_ON_COMMITMENT', pledge }, { provided: ['M01', 'M02', 'M03'] }],
    ];
    const decided = [];
    for (const [itemCode, event, options] of decisions) {
      const created = await flow.submit(itemCode, options);
      flow.at('2026-03-09T08:00:00Z'); // the last day of the intake period
      const after = await flow.sendOk(created.id, event, 'clerk');
      expect(after.deadlines.map((d: { name: string }) => d.name), JSON.stringify(event)).to.not.include('intake');
      expect((await services().store.get(created.id))!.timers.map((t) => t.name), JSON.stringify(event)).to.not.include('intake');
      decided.push({ created, status: after.status });
      flow.at(RECEIVED);
    }

    flow.at('2026-12-01T02:00:00Z');
    const run = await runTimers(services(), app.clock.now());
    expect(run.failures).to.deep.equal([]);
    const ids = new Set(decided.map((d) => d.created.id));
    expect(run.firings.filter((f) => ids.has(f.applicationId) && f.event === 'DEEMED_ACCEPTED')).to.deep.equal([]);
    for (const { created } of decided) expect(flow.events(await flow.read(created.id))).to.not.include('DEEMED_ACCEPTED');
  });

  it('when the correction comes back after the one-time notice, then the window decides on it: no second intake period is counted', async () => {
    const created = await flow.submit(PLAIN_ITEM);
    await flow.sendOk(created.id, { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '缺少签章页' }] }, 'clerk');
    flow.at('2026-03-04T02:00:00Z');
    const et = (await flow.api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body.token;
    expect((await flow.sendOk(created.id, { type: 'SUBMIT_CORRECTION' }, et)).status).to.equal('submitted');

    flow.at('2026-04-01T02:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    const view = await flow.read(created.id);
    expect(view.status).to.equal('submitted');
    expect(view.deadlines).to.deep.equal([]);
  });

  it('when an application was saved before intake periods were kept (no intake timer, no intakeDays in its snapshot), then it runs as it did: never deemed accepted, and the window still accepts it', async () => {
    const created = await flow.submit(PLAIN_ITEM);
    // As version 1 saved it before: the same state, no intake timer, a context without intakeDays.
    await services().store.model.collection.updateOne({ _id: created.id } as never, { $set: { timers: [], nextTimerAt: null }, $unset: { 'snapshot.context.intakeDays': '' } });
    const old = (await services().store.get(created.id))!;
    expect(old.snapshot).to.have.nested.property('context.correctionDays');
    expect(old.snapshot).to.not.have.nested.property('context.intakeDays');

    flow.at('2026-04-01T02:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    expect((await flow.read(created.id)).status).to.equal('submitted');
    const accepted = await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    expect(accepted).to.include({ status: 'under_review', machineVersion: 1 });
    expect((await services().store.get(created.id))!.timers).to.deep.equal([]);
  });

  describe('with a second process on the same store', () => {
    let second: Runtime;
    before(async () => {
      second = await startSecondProcess(app);
    });
    after(async () => second?.stop());

    it('when two timer jobs run at once, then each application is deemed accepted exactly once and its applicant gets one notice', async () => {
      const created = await Promise.all(Array.from({ length: 6 }, () => flow.submit(PLAIN_ITEM)));
      const ids = new Set(created.map((c) => c.id));
      flow.at(DAY_AFTER);
      const runs = await Promise.all([runTimers(services(), app.clock.now()), runTimers(second.services, app.clock.now()), runTimers(services(), app.clock.now())]);
      expect(runs.flatMap((r) => r.failures)).to.deep.equal([]);
      const firings = runs.flatMap((r) => r.firings).filter((f) => ids.has(f.applicationId));
      expect(firings.map((f) => f.applicationId).sort()).to.deep.equal([...ids].sort());
      expect(firings.every((f) => f.event === 'DEEMED_ACCEPTED' && f.timer === 'intake' && f.dueDate === INTAKE_DUE)).to.equal(true);

      for (const c of created) {
        const view = await flow.read(c.id);
        expect(view.status).to.equal('under_review');
        expect(flow.events(view).filter((e: string) => e === 'DEEMED_ACCEPTED')).to.have.length(1);
        expect(flow.mailsTo(c.applicationNo).filter((m) => m.subject.includes('审查中'))).to.have.length(1);
      }
    });
  });
});

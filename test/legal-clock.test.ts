import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, promise, workflow } from './helpers/workflow';

const PLAIN_ITEM = '370000-AQ-XK-004'; // city level, 20 working days promised, warning at 3, extension 10
const RESTART_ITEM = '370000-AQ-XK-009'; // a correction restarts its 15-day clock
const DEFICIENT_ITEM = '370000-AQ-XK-003'; // 容缺受理, 10 working days to supplement
const COMMITMENT_ITEM = '370000-AQ-XK-006'; // 告知承诺, verification within 10 working days

describe('the legal clock (working days) through the HTTP API', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const { api } = flow;

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at('2026-03-02T02:00:00Z'));

  describe('GET /api/v1/calendar/due-date (public)', () => {
    const dueDate = (from: string, workingDays: number | string) => api.get(`/api/v1/calendar/due-date?from=${from}&workingDays=${workingDays}`);

    it('when 20 working days run from 2025-09-26 across the National Day break and its make-up Sunday and Saturday, then the due date is 2025-10-30', async () => {
      const res = await dueDate('2025-09-26', 20);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ from: '2025-09-26', workingDays: 20, dueDate: '2025-10-30', provisional: false });
    });

    it('when 5 working days run from 2025-01-24 across the Spring Festival, then the make-up Sunday counts and the due date is 2025-02-07', async () => {
      expect((await dueDate('2025-01-24', 5)).body.dueDate).to.equal('2025-02-07');
    });

    it('when 1 working day runs from Friday 2025-02-07, then it lands on the make-up Saturday 2025-02-08', async () => {
      expect((await dueDate('2025-02-07', 1)).body.dueDate).to.equal('2025-02-08');
    });

    it('when the range reaches 2027, whose schedule is not published, then 200 with 2027-01-18 marked provisional (Fri 2027-01-01 is a statutory holiday)', async () => {
      const res = await dueDate('2026-12-20', 20);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ from: '2026-12-20', workingDays: 20, dueDate: '2027-01-18', provisional: true });
    });

    it('when the range lies before 2025, where neither a schedule nor the 2024 statutory rules apply, then 422 CALENDAR_YEAR_MISSING names the year', async () => {
      const res = await dueDate('2024-12-20', 5);
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('CALENDAR_YEAR_MISSING');
      expect(res.body.error.message).to.include('2024');
    });

    for (const [what, query] of [
      ['an impossible date', 'from=2025-02-29&workingDays=3'],
      ['a date in another format', 'from=26/09/2025&workingDays=3'],
      ['a negative count', 'from=2025-09-26&workingDays=-1'],
      ['a fractional count', 'from=2025-09-26&workingDays=1.5'],
      ['a count that is not a number', 'from=2025-09-26&workingDays=abc'],
      ['no count', 'from=2025-09-26'],
      ['no date', 'workingDays=3'],
      ['a count that runs past 9999-12-31', 'from=9999-12-20&workingDays=20'],
    ]) {
      it(`when the query has ${what}, then 400 names the field`, async () => {
        const res = await api.get(`/api/v1/calendar/due-date?${query}`);
        expect(res.status, JSON.stringify(res.body)).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.details.map((d: { field: string }) => d.field)).to.satisfy((fields: string[]) => fields.some((f) => ['from', 'workingDays'].includes(f)));
      });
    }
  });

  describe('the clock of an application', () => {
    it('when an application is submitted on Monday 2026-03-02, then its clock runs 20 working days to 2026-03-30 and is green', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      expect(created.clock).to.deep.include({ limitWorkingDays: 20, startedOn: '2026-03-02', dueDate: '2026-03-30', remainingWorkingDays: 20, paused: false, light: 'green' });
      const listed = await api.get(`/api/v1/applications?status=submitted&limit=200`, flow.token('clerk'));
      expect(listed.body.items.find((i: { id: string }) => i.id === created.id).clock).to.deep.include({ dueDate: '2026-03-30', light: 'green' });
    });

    it('when the time moves to four, three and no working days left and then past the due date, then the light goes green, yellow, yellow, red', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      const seen: [number, string][] = [];
      for (const day of ['2026-03-24', '2026-03-25', '2026-03-30', '2026-03-31']) {
        flow.at(`${day}T02:00:00Z`);
        const { clock } = await flow.read(created.id);
        seen.push([clock.remainingWorkingDays, clock.light]);
      }
      expect(seen).to.deep.equal([[4, 'green'], [3, 'yellow'], [0, 'yellow'], [-1, 'red']]);
      const listed = await api.get('/api/v1/applications?status=under_review&limit=200', flow.token('reviewer'));
      expect(listed.body.items.find((i: { id: string }) => i.id === created.id).clock.light).to.equal('red');
    });

    it('when a reviewer suspends for an expert review and resumes three working days later, then the clock is paused meanwhile and the due date moves by three working days', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      flow.at('2026-03-04T02:00:00Z');
      const suspended = await flow.sendOk(created.id, { type: 'SUSPEND', reason: '组织专家评审', expectedWorkingDays: 5 }, 'reviewer');
      expect(suspended.status).to.equal('suspended');
      expect(suspended.clock).to.deep.include({ paused: true, dueDate: '2026-03-30' });
      expect(suspended.details.suspension).to.deep.include({ reason: '组织专家评审', expectedWorkingDays: 5, since: '2026-03-04' });
      expect(suspended.allowedEvents).to.include('RESUME').and.not.include('APPROVE');

      // Time spent suspended does not count: the remaining days stay where they were.
      flow.at('2026-03-09T02:00:00Z');
      expect((await flow.read(created.id)).clock).to.deep.include({ paused: true, remainingWorkingDays: 18 });

      const resumed = await flow.sendOk(created.id, { type: 'RESUME' }, 'reviewer');
      expect(resumed.status).to.equal('under_review');
      expect(resumed.clock).to.deep.include({ paused: false, dueDate: '2026-04-02', remainingWorkingDays: 18 });
      expect(flow.events(resumed)).to.deep.equal(['SUBMIT', 'ACCEPT', 'SUSPEND', 'RESUME']);
      expect(flow.steps(resumed)[2]).to.deep.include({ date: '2026-03-04', toStatus: 'suspended', note: '组织专家评审' });
      expect(flow.steps(resumed)[3]).to.deep.include({ date: '2026-03-09', fromStatus: 'suspended', toStatus: 'under_review' });
    });

    it('when a clerk tries to suspend, or a suspended application is suspended again, then 403 and 409', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      await flow.sendFails(created.id, { type: 'SUSPEND', reason: '现场核查', expectedWorkingDays: 2 }, 'clerk', 403, 'FORBIDDEN');
      await flow.sendOk(created.id, { type: 'SUSPEND', reason: '现场核查', expectedWorkingDays: 2 }, 'reviewer');
      const again = await flow.sendFails(created.id, { type: 'SUSPEND', reason: '再次中止', expectedWorkingDays: 2 }, 'reviewer', 409, 'EVENT_NOT_ALLOWED');
      expect(again.details.allowedEvents).to.include('RESUME');
    });

    it('when a reviewer extends the limit, then the due date moves by the item\'s 10 extension days, once only', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      await flow.sendFails(created.id, { type: 'EXTEND', reason: '情况复杂' }, 'clerk', 403, 'FORBIDDEN');
      flow.at('2026-03-20T02:00:00Z');
      const extended = await flow.sendOk(created.id, { type: 'EXTEND', reason: '涉及多部门会商，经负责人批准延长' }, 'reviewer');
      expect(extended.status).to.equal('under_review');
      expect(extended.clock).to.deep.include({ dueDate: '2026-04-14', limitWorkingDays: 20 });
      expect(extended.details.extension).to.deep.include({ workingDays: 10, on: '2026-03-20' });
      expect(flow.steps(extended).at(-1)).to.deep.include({ event: 'EXTEND', note: '涉及多部门会商，经负责人批准延长' });
      expect(extended.allowedEvents).to.not.include('EXTEND');
      await flow.sendFails(created.id, { type: 'EXTEND', reason: '再次延长' }, 'reviewer', 409, 'EVENT_NOT_ALLOWED');
    });

    it('when a correction notice is sent, then the clock pauses until the correction comes in and the due date moves past the Qingming break', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      flow.at('2026-03-03T02:00:00Z');
      const notice = await flow.sendOk(created.id, { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '缺少签章页' }] }, 'clerk');
      expect(notice.clock).to.deep.include({ paused: true, remainingWorkingDays: 19 });
      flow.at('2026-03-10T02:00:00Z');
      const et = (await api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body.token;
      const corrected = await flow.sendOk(created.id, { type: 'SUBMIT_CORRECTION' }, et);
      // Five working days paused (03-04 … 03-10) move 03-30 to 04-07, over the 04-04 … 04-06 holiday.
      expect(corrected.clock).to.deep.include({ paused: false, startedOn: '2026-03-02', dueDate: '2026-04-07', remainingWorkingDays: 19 });
    });

    it('when the item says a correction restarts the clock, then the full 15 working days run again from the day the correction comes in', async () => {
      const created = await flow.submit(RESTART_ITEM);
      expect(created.clock).to.deep.include({ limitWorkingDays: 15, dueDate: '2026-03-23' });
      flow.at('2026-03-03T02:00:00Z');
      await flow.sendOk(created.id, { type: 'REQUEST_CORRECTION', items: [{ description: '申请书法人签字' }] }, 'clerk');
      flow.at('2026-03-10T02:00:00Z');
      const et = (await api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body.token;
      const corrected = await flow.sendOk(created.id, { type: 'SUBMIT_CORRECTION' }, et);
      expect(corrected.clock).to.deep.include({ startedOn: '2026-03-10', dueDate: '2026-03-31', remainingWorkingDays: 15, paused: false, light: 'green' });
    });

    it('when the application is decided, then its clock stops and the light stays as it was on the day of the decision', async () => {
      const created = await flow.submit(PLAIN_ITEM);
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      flow.at('2026-03-05T02:00:00Z');
      await flow.sendOk(created.id, { type: 'DENY', reason: '不符合安全条件' }, 'reviewer');
      flow.at('2026-05-05T02:00:00Z');
      expect((await flow.read(created.id)).clock).to.deep.include({ stopped: true, remainingWorkingDays: 17, light: 'green' });
    });
  });

  // The test store is external, as in production (MONGODB_URI): there is no setting that changes how 2027 is counted.
  describe('a year without a published schedule (2027 as of December 2026) on a store configured like production', () => {
    it('when a 20-working-day item accepted on 2026-12-01 is extended by 10 days, then its clock runs to 2027-01-13, provisional, with a light, in the application, the work list and the status page', async () => {
      flow.at('2026-12-01T02:00:00Z');
      const created = await flow.submit(PLAIN_ITEM);
      const accepted = await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      // Dec 2–4, 7–11, 14–18, 21–25, 28–29: 20 working days inside the published 2026 schedule.
      expect(accepted.clock).to.deep.include({ dueDate: '2026-12-29', provisional: false });
      const extended = await flow.sendOk(created.id, { type: 'EXTEND', reason: '涉及多部门会商，经负责人批准延长' }, 'reviewer');
      // Dec 30–31 (22), Jan 1 statutory holiday, Jan 4–8 (27), Jan 11–13 (30).
      expect(extended.clock).to.deep.include({ dueDate: '2027-01-13', provisional: true, remainingWorkingDays: 30, light: 'green' });
      expect(extended.clock).to.not.have.property('unavailable');

      const listed = await api.get('/api/v1/applications?status=under_review&limit=200', flow.token('reviewer'));
      expect(listed.body.items.find((i: { id: string }) => i.id === created.id).clock).to.deep.include({ dueDate: '2027-01-13', provisional: true, light: 'green' });
      const status = await api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
      expect(status.status).to.equal(200);
      expect(status.body).to.deep.include({ dueDate: '2027-01-13', provisional: true });
    });

    it('when a clerk accepts with deficiency on Monday 2026-12-21, then the 10-working-day supplement deadline 2027-01-05 is accepted, stored as provisional and shown so to the applicant', async () => {
      flow.at('2026-12-21T02:00:00Z');
      const created = await flow.submit(DEFICIENT_ITEM);
      const accepted = await flow.sendOk(created.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06', 'M07'], promise: promise('2026-12-21T10:00:00+08:00') }, 'clerk');
      // Dec 22–25 (4), Dec 28–31 (8), Jan 1 off, Jan 4–5 (10).
      expect(accepted.deadlines).to.deep.include({ name: 'supplement', dueDate: '2027-01-05', provisional: true, status: 'pending', overdue: false, light: 'green' });
      const stored = await app.runtime.services.store.get(created.id);
      expect(stored!.timers.find((t) => t.name === 'supplement')).to.deep.include({ dueDate: '2027-01-05', provisional: true, countedFrom: '2026-12-21', workingDays: 10 });
      const status = await api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
      expect(status.body.expected).to.deep.include({ deadline: '2027-01-05', provisional: true });
      expect(status.body.expected.zh).to.include('截止 2027-01-05（暂定）');
      expect(status.body.expected.en).to.include('by 2027-01-05 (provisional)');
    });

    it('when a clerk approves on commitment on 2026-12-21, then the 10-working-day verification deadline is 2027-01-05, provisional, and it fires on its day', async () => {
      flow.at('2026-12-21T02:00:00Z');
      const created = await flow.submit(COMMITMENT_ITEM, { provided: ['M01', 'M02', 'M03'] });
      const approved = await flow.sendOk(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-12-21T09:30:00+08:00' } }, 'clerk');
      expect(approved.status).to.equal('issued_pending_verification');
      expect(approved.deadlines).to.deep.equal([{ name: 'verification', dueDate: '2027-01-05', provisional: true, status: 'pending', overdue: false, light: 'green' }]);
      flow.at('2027-01-05T15:59:00Z');
      expect(await flow.fireTimers(created.id)).to.deep.equal([]);
      flow.at('2027-01-05T16:00:00Z');
      expect(await flow.fireTimers(created.id)).to.deep.equal(['VERIFICATION_DEADLINE_PASSED']);
    });
  });
});

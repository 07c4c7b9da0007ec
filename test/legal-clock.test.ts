import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

const PLAIN_ITEM = '370000-AQ-XK-004'; // city level, 20 working days promised, warning at 3, extension 10
const RESTART_ITEM = '370000-AQ-XK-009'; // a correction restarts its 15-day clock

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
      expect(res.body).to.deep.equal({ from: '2025-09-26', workingDays: 20, dueDate: '2025-10-30' });
    });

    it('when 5 working days run from 2025-01-24 across the Spring Festival, then the make-up Sunday counts and the due date is 2025-02-07', async () => {
      expect((await dueDate('2025-01-24', 5)).body.dueDate).to.equal('2025-02-07');
    });

    it('when 1 working day runs from Friday 2025-02-07, then it lands on the make-up Saturday 2025-02-08', async () => {
      expect((await dueDate('2025-02-07', 1)).body.dueDate).to.equal('2025-02-08');
    });

    it('when the range reaches a year with no schedule loaded, then 422 names the year and nothing is guessed', async () => {
      const res = await dueDate('2026-12-20', 20);
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('CALENDAR_YEAR_MISSING');
      expect(res.body.error.message).to.include('2027');
    });

    for (const [what, query] of [
      ['an impossible date', 'from=2025-02-29&workingDays=3'],
      ['a date in another format', 'from=26/09/2025&workingDays=3'],
      ['a negative count', 'from=2025-09-26&workingDays=-1'],
      ['a fractional count', 'from=2025-09-26&workingDays=1.5'],
      ['a count that is not a number', 'from=2025-09-26&workingDays=abc'],
      ['no count', 'from=2025-09-26'],
      ['no date', 'workingDays=3'],
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
      expect(resumed.timeline[2]).to.deep.include({ date: '2026-03-04', toStatus: 'suspended', note: '组织专家评审' });
      expect(resumed.timeline[3]).to.deep.include({ date: '2026-03-09', fromStatus: 'suspended', toStatus: 'under_review' });
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
      expect(extended.timeline.at(-1)).to.deep.include({ event: 'EXTEND', note: '涉及多部门会商，经负责人批准延长' });
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
});

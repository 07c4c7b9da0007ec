import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

const JOINT_ITEM = '370000-AQ-XK-008'; // city level, 省市联审: city branch 20 working days, province branch 30

// 部门协查 and 现场核查 (issue 15) are open to the reviewers throughout review.
const DURING_REVIEW = ['REQUEST_ASSISTANCE', 'SCHEDULE_INSPECTION'];

describe('省市联审 (joint provincial-municipal review) through the HTTP API', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const opinion = (level: 'city' | 'province', value: 'approve' | 'reject' | 'return', note = `${level} ${value}`) => ({ type: 'REVIEW_OPINION', level, opinion: value, note });

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer', 'province-reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at('2026-03-02T02:00:00Z'));

  async function accepted() {
    const created = await flow.submit(JOINT_ITEM);
    expect(created.routing).to.include({ jurisdiction: '370600', provinceJurisdiction: '370000' });
    return flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
  }

  it('when a joint-review application is accepted, then both branches review in parallel, each on its own clock, and each reviewer may give only its own opinion', async () => {
    const view = await accepted();
    expect(view.status).to.equal('under_review');
    expect(view.branches.city).to.deep.include({ state: 'reviewing', opinion: null });
    expect(view.branches.province).to.deep.include({ state: 'reviewing', opinion: null });
    expect(view.branches.city.clock).to.deep.include({ limitWorkingDays: 20, startedOn: '2026-03-02', dueDate: '2026-03-30', paused: false, light: 'green' });
    expect(view.branches.province.clock).to.deep.include({ limitWorkingDays: 30, startedOn: '2026-03-02', dueDate: '2026-04-14', light: 'green' });
    expect(view.allowedEvents).to.deep.equal(['MARK_MATERIAL', 'WITHDRAW']);
    expect((await flow.read(view.id, 'reviewer')).allowedEvents).to.have.members(['REVIEW_OPINION', 'MARK_MATERIAL', 'EXTEND', ...DURING_REVIEW]);
    expect((await flow.read(view.id, 'province-reviewer')).allowedEvents).to.have.members(['REVIEW_OPINION', 'MARK_MATERIAL', 'EXTEND', ...DURING_REVIEW]);

    await flow.settled();
    const version = (await flow.read(view.id)).version;
    const cityAsProvince = await flow.sendFails(view.id, opinion('province', 'approve'), 'reviewer', 403, 'FORBIDDEN');
    expect(cityAsProvince.message).to.include('province-reviewer');
    await flow.sendFails(view.id, opinion('city', 'approve'), 'province-reviewer', 403, 'FORBIDDEN');
    await flow.sendFails(view.id, opinion('city', 'approve'), 'clerk', 403, 'FORBIDDEN');
    await flow.sendFails(view.id, { type: 'APPROVE' }, 'reviewer', 409, 'EVENT_NOT_ALLOWED');
    expect((await flow.read(view.id)).version).to.equal(version);
  });

  it('when the city and then the province approve, then the application is approved and the certificate issued; each branch keeps its opinion and stopped clock', async () => {
    const view = await accepted();
    flow.at('2026-03-05T02:00:00Z');
    const cityDone = await flow.sendOk(view.id, opinion('city', 'approve', '市级审查同意'), 'reviewer');
    expect(cityDone.status).to.equal('under_review');
    expect(cityDone.branches.city).to.deep.include({ state: 'approved' });
    expect(cityDone.branches.city.opinion).to.deep.include({ opinion: 'approve', note: '市级审查同意', on: '2026-03-05' });
    expect(cityDone.branches.city.clock).to.deep.include({ stopped: true, remainingWorkingDays: 17 });
    expect(cityDone.branches.province.clock).to.deep.include({ stopped: false, remainingWorkingDays: 27 });
    // The city has spoken: its reviewer has no opinion left to give; a second city opinion is refused.
    expect(cityDone.allowedEvents).to.have.members(['MARK_MATERIAL', 'EXTEND', ...DURING_REVIEW]);
    await flow.sendFails(view.id, opinion('city', 'reject'), 'reviewer', 409, 'EVENT_NOT_ALLOWED');

    flow.at('2026-03-10T02:00:00Z');
    const done = await flow.sendOk(view.id, opinion('province', 'approve', '省级审查同意'), 'province-reviewer');
    expect(done.status).to.equal('completed');
    expect(done.certificateNo).to.match(/^LU-AQTJ-2026-\d{6}$/);
    expect(done.branches.city.opinion).to.deep.include({ opinion: 'approve', note: '市级审查同意' });
    expect(done.branches.province.opinion).to.deep.include({ opinion: 'approve', note: '省级审查同意', on: '2026-03-10' });
    expect(done.branches.province).to.deep.include({ state: 'approved' });
    expect(done.branches.province.clock).to.deep.include({ stopped: true });
    expect(flow.events(done)).to.deep.equal(['SUBMIT', 'ACCEPT', 'REVIEW_OPINION', 'REVIEW_OPINION', 'CERTIFICATE_ISSUED']);
  });

  it('when the city approves and the province rejects, then the application is denied with both opinions standing and no certificate', async () => {
    const view = await accepted();
    await flow.sendOk(view.id, opinion('city', 'approve', '同意'), 'reviewer');
    const denied = await flow.sendOk(view.id, opinion('province', 'reject', '安全距离不满足要求'), 'province-reviewer');
    expect(denied.status).to.equal('denied');
    expect(denied.allowedEvents).to.deep.equal([]);
    expect(denied.branches.city).to.deep.include({ state: 'approved' });
    expect(denied.branches.province).to.deep.include({ state: 'rejected' });
    expect(denied.branches.city.opinion).to.deep.include({ opinion: 'approve' });
    expect(denied.branches.province.opinion).to.deep.include({ opinion: 'reject', note: '安全距离不满足要求' });
    expect(denied.certificateNo).to.equal(null);
    expect(await app.runtime.services.certificates.findByApplication(view.id)).to.equal(null);
    expect(flow.mailsTo(denied.applicationNo).slice(-2).map((m) => m.subject)).to.satisfy(([notice, invitation]: string[]) => notice.includes('不予许可') && invitation.includes('【服务评价】'));
  });

  it('when one branch rejects before the other has spoken, then the application is denied at once', async () => {
    const view = await accepted();
    const denied = await flow.sendOk(view.id, opinion('city', 'reject', '选址不符合规划'), 'reviewer');
    expect(denied.status).to.equal('denied');
    expect(denied.branches.city).to.deep.include({ state: 'rejected' });
    expect(denied.branches.province).to.deep.include({ state: 'closed', opinion: null });
    expect(denied.branches.province.clock).to.deep.include({ stopped: true });
  });

  it('when the city returns its part, then only the city branch goes back to rework with its clock paused, the province opinion stands, and the clerk\'s rework resumes it', async () => {
    const view = await accepted();
    flow.at('2026-03-04T02:00:00Z');
    const returned = await flow.sendOk(view.id, opinion('city', 'return', '补充周边环境说明'), 'reviewer');
    expect(returned.status).to.equal('under_review');
    expect(returned.branches.city).to.deep.include({ state: 'returned' });
    expect(returned.branches.city.opinion).to.deep.include({ opinion: 'return', note: '补充周边环境说明' });
    expect(returned.branches.city.clock).to.deep.include({ paused: true, remainingWorkingDays: 18 });
    expect(returned.branches.province).to.deep.include({ state: 'reviewing' });
    expect(returned.allowedEvents).to.have.members(['MARK_MATERIAL', 'EXTEND', ...DURING_REVIEW]);
    expect((await flow.read(view.id)).allowedEvents).to.include('SUBMIT_REWORK');
    await flow.sendFails(view.id, opinion('city', 'approve'), 'reviewer', 409, 'EVENT_NOT_ALLOWED');

    const provinceDone = await flow.sendOk(view.id, opinion('province', 'approve', '省级同意'), 'province-reviewer');
    expect(provinceDone.status).to.equal('under_review');
    expect(provinceDone.branches.province).to.deep.include({ state: 'approved' });

    await flow.sendFails(view.id, { type: 'SUBMIT_REWORK', level: 'province' }, 'clerk', 409, 'EVENT_NOT_ALLOWED');
    await flow.sendFails(view.id, { type: 'SUBMIT_REWORK', level: 'city' }, 'reviewer', 403, 'FORBIDDEN');
    flow.at('2026-03-09T02:00:00Z');
    const reworked = await flow.sendOk(view.id, { type: 'SUBMIT_REWORK', level: 'city', note: '已补充说明' }, 'clerk');
    expect(reworked.branches.city).to.deep.include({ state: 'reviewing' });
    // Three working days in rework (03-05, 03-06, 03-09) move the city due date from 03-30 to 04-02.
    expect(reworked.branches.city.clock).to.deep.include({ paused: false, dueDate: '2026-04-02', remainingWorkingDays: 18 });
    expect(reworked.branches.province.opinion).to.deep.include({ opinion: 'approve', note: '省级同意' });

    const done = await flow.sendOk(view.id, opinion('city', 'approve', '补充后同意'), 'reviewer');
    expect(done.status).to.equal('completed');
    expect(done.branches.city.opinion).to.deep.include({ opinion: 'approve', note: '补充后同意' });
    expect(flow.events(done)).to.deep.equal(['SUBMIT', 'ACCEPT', 'REVIEW_OPINION', 'REVIEW_OPINION', 'SUBMIT_REWORK', 'REVIEW_OPINION', 'CERTIFICATE_ISSUED']);
  });

  it('when the province returns after the city approved, then the city approval stands and the province reviews again after rework', async () => {
    const view = await accepted();
    await flow.sendOk(view.id, opinion('city', 'approve'), 'reviewer');
    const returned = await flow.sendOk(view.id, opinion('province', 'return', '请补充安全评价报告'), 'province-reviewer');
    expect(returned.branches.province).to.deep.include({ state: 'returned' });
    expect(returned.branches.city).to.deep.include({ state: 'approved' });
    expect((await flow.read(view.id, 'province-reviewer')).allowedEvents).to.have.members(['MARK_MATERIAL', 'EXTEND', ...DURING_REVIEW]);
    await flow.sendOk(view.id, { type: 'SUBMIT_REWORK', level: 'province' }, 'clerk');
    expect((await flow.read(view.id, 'province-reviewer')).allowedEvents).to.have.members(['REVIEW_OPINION', 'MARK_MATERIAL', 'EXTEND', ...DURING_REVIEW]);
    const denied = await flow.sendOk(view.id, opinion('province', 'reject', '补充材料仍不符合要求'), 'province-reviewer');
    expect(denied.status).to.equal('denied');
  });

  it('when a reviewer extends the joint handling limit, then the application due date moves by the item\'s 15 days, once, and the branch clocks keep their own limits', async () => {
    const view = await accepted();
    expect(view.clock).to.deep.include({ limitWorkingDays: 30, dueDate: '2026-04-14' });
    const extended = await flow.sendOk(view.id, { type: 'EXTEND', reason: '联审事项情况复杂，经负责人批准延长' }, 'reviewer');
    expect(extended.clock).to.deep.include({ dueDate: '2026-05-08' });
    expect(extended.details.extension).to.deep.include({ workingDays: 15 });
    expect(extended.branches.city.clock).to.deep.include({ dueDate: '2026-03-30' });
    await flow.sendFails(view.id, { type: 'EXTEND', reason: '再次延长' }, 'province-reviewer', 409, 'EVENT_NOT_ALLOWED');
  });

  it('when a joint-review application waits for acceptance, then its branches have no state yet; a standard item has no branches', async () => {
    const created = await flow.submit(JOINT_ITEM);
    expect(created.branches.city).to.deep.equal({ state: null, opinion: null, clock: null });
    expect((await flow.submit('370000-AQ-XK-004')).branches).to.equal(null);
  });
});

import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

// Issue 15 §1: 承办 → 审核 → 签发 through HTTP, by the demo accounts reviewer (handler), chief and leader.
const THREE_STEPS = '370000-AQ-XK-007'; // 20 working days: handling 50 % (10), checking 25 % (5), signing 25 % (5); warning 3
const TWO_STEPS = '370000-AQ-XK-009'; // 15 working days: handling 60 % (9), signing 40 % (6)
const ONE_STEP = '370000-AQ-XK-004';

describe('the review chain (承办 → 审核 → 签发)', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const { api } = flow;

  before(async function () {
    app = await startTestApp({ config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer', 'chief', 'leader');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at('2026-03-02T02:00:00Z'));

  const accepted = async (itemCode: string) => {
    const created = await flow.submit(itemCode);
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    return created;
  };
  const waitingFor = async (who: string) => (await api.get('/api/v1/applications?waiting=me&limit=200', flow.token(who))).body.items as { id: string; step: any }[];

  it('when the catalog is read, then each item shows its chain length and shares, and the seed has 1, 2 and 3 steps at city level', async () => {
    const items = (await api.get('/api/v1/catalog/items')).body.items as { code: string; level: string; reviewSteps: number; reviewStepShares: number[] }[];
    const byCode = new Map(items.map((i) => [i.code, i]));
    expect(byCode.get(ONE_STEP)).to.include({ level: 'city', reviewSteps: 1 });
    expect(byCode.get(TWO_STEPS)).to.deep.include({ level: 'city', reviewSteps: 2, reviewStepShares: [60, 40] });
    expect(byCode.get(THREE_STEPS)).to.deep.include({ level: 'city', reviewSteps: 3, reviewStepShares: [50, 25, 25] });
    for (const item of items) expect(item.reviewStepShares.reduce((a, b) => a + b, 0), item.code).to.equal(100);
  });

  it('when a 3-step item is accepted, assigned, proposed, checked and signed by three people, then it is approved and every step is in the timeline', async () => {
    const created = await accepted(THREE_STEPS);
    let view = await flow.read(created.id, 'chief');
    expect(view).to.include({ status: 'under_review', state: 'review.chain.handling' });
    expect(view.chain).to.include({ reviewSteps: 3, step: 'handling' });
    expect(view.chain.steps.map((s: { step: string; clock: { limitWorkingDays: number } }) => [s.step, s.clock?.limitWorkingDays ?? null])).to.deep.equal([['handling', 10], ['checking', null], ['signing', null]]);
    // 分办: the chief's queue holds the unassigned case; the chief offers ASSIGN, the leader nothing yet.
    expect((await waitingFor('chief')).map((r) => r.id)).to.include(created.id);
    expect(view.actions.map((a: { type: string }) => a.type)).to.include('ASSIGN');
    expect((await flow.read(created.id, 'leader')).allowedEvents).to.not.include('APPROVE');

    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer' }, 'chief');
    expect((await waitingFor('chief')).map((r) => r.id)).to.not.include(created.id);
    const mine = await waitingFor('reviewer');
    expect(mine.find((r) => r.id === created.id)?.step).to.deep.include({ step: 'handling', assignee: 'reviewer' });

    view = await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '材料齐全，安全条件符合要求，拟准予许可' }, 'reviewer');
    expect(view.state).to.equal('review.chain.checking');
    expect((await waitingFor('chief')).map((r) => r.id)).to.include(created.id);
    view = await flow.sendOk(created.id, { type: 'CHECK', agree: true, note: '同意承办意见' }, 'chief');
    expect(view.state).to.equal('review.chain.signing');
    expect((await waitingFor('leader')).map((r) => r.id)).to.include(created.id);
    view = await flow.sendOk(created.id, { type: 'APPROVE', note: '同意，准予许可' }, 'leader');
    expect(view.status).to.be.oneOf(['approved', 'completed']);
    await flow.settled();

    const final = await flow.read(created.id, 'chief');
    const steps = (flow.steps(final) as { event: string; actor: { role: string } }[]).map((t) => [t.event, t.actor.role]);
    expect(steps).to.deep.include.members([['ASSIGN', 'chief'], ['PROPOSE', 'reviewer'], ['CHECK', 'chief'], ['APPROVE', 'leader']]);
    expect(final.chain.steps.map((s: { by: string[] }) => s.by)).to.deep.equal([['reviewer'], ['chief'], []]);
    expect(final.chain.proposal).to.include({ decision: 'approve' });
  });

  it('when one person acts on two steps of the same application, then the second is refused 403 SAME_PERSON', async () => {
    const created = await accepted(THREE_STEPS);
    // The chief handles the case personally, then may not check his own proposal.
    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'chief' }, 'chief');
    await flow.sendFails(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '拟准予' }, 'reviewer', 403, 'FORBIDDEN'); // not the assigned handler
    await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '拟准予' }, 'chief');
    const error = await flow.sendFails(created.id, { type: 'CHECK', agree: true, note: '同意' }, 'chief', 403, 'SAME_PERSON');
    expect(error.message).to.match(/handling/);
    expect((await flow.read(created.id, 'chief')).allowedEvents).to.not.include('CHECK');
    // The wrong role at a step is a plain FORBIDDEN: a reviewer does not sign, the leader does not decide a one-step item.
    const other = await accepted(TWO_STEPS);
    await flow.sendOk(other.id, { type: 'PROPOSE', decision: 'deny', opinion: '仓库安全距离不足' }, 'reviewer');
    await flow.sendFails(other.id, { type: 'APPROVE' }, 'reviewer', 403, 'FORBIDDEN');
    const single = await accepted(ONE_STEP);
    await flow.sendFails(single.id, { type: 'APPROVE' }, 'leader', 403, 'FORBIDDEN');
    expect((await flow.sendOk(single.id, { type: 'APPROVE' }, 'reviewer')).status).to.be.oneOf(['approved', 'completed']);
  });

  it('when the chief disagrees, then the case is back with the handler with the note; a leader\'s return does the same at 2 steps', async () => {
    const created = await accepted(THREE_STEPS);
    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer' }, 'chief');
    await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '拟准予' }, 'reviewer');
    const back = await flow.sendOk(created.id, { type: 'CHECK', agree: false, note: '安全评价报告结论需复核' }, 'chief');
    expect(back.state).to.equal('review.chain.handling');
    expect(back.chain.check).to.include({ agree: false, note: '安全评价报告结论需复核' });
    expect((await waitingFor('reviewer')).map((r) => r.id)).to.include(created.id);
    // The handler proposes again (the same step), and the chief checks again.
    await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'deny', opinion: '复核后安全条件不符合要求' }, 'reviewer');
    await flow.sendOk(created.id, { type: 'CHECK', agree: true, note: '同意' }, 'chief');
    expect((await flow.sendOk(created.id, { type: 'DENY', reason: '安全条件不符合要求' }, 'leader')).status).to.equal('denied');

    const two = await accepted(TWO_STEPS);
    expect((await flow.sendOk(two.id, { type: 'PROPOSE', decision: 'approve', opinion: '拟准予' }, 'reviewer')).state).to.equal('review.chain.signing');
    const returned = await flow.sendOk(two.id, { type: 'RETURN_TO_HANDLER', reason: '请补充仓库现场情况' }, 'leader');
    expect(returned.state).to.equal('review.chain.handling');
    expect(returned.chain.returned).to.include({ reason: '请补充仓库现场情况' });
  });

  it('when a case is reassigned, then a reason is required and both assignments are in the timeline; the handler\'s own cases come first', async () => {
    const created = await accepted(THREE_STEPS);
    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'chief' }, 'chief');
    const missing = await flow.sendFails(created.id, { type: 'ASSIGN', handler: 'reviewer' }, 'chief', 400, 'VALIDATION_FAILED');
    expect(missing.details[0].field).to.equal('reason');
    await flow.sendFails(created.id, { type: 'ASSIGN', handler: 'leader', reason: '改派' }, 'chief', 400, 'VALIDATION_FAILED');
    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer', reason: '科长出差，改派承办人' }, 'chief');
    const view = await flow.read(created.id, 'chief');
    const assignments = (flow.steps(view) as { event: string; data: object }[]).filter((t) => t.event === 'ASSIGN').map((t) => t.data);
    expect(assignments).to.deep.equal([{ handler: 'chief' }, { handler: 'reviewer', reason: '科长出差，改派承办人' }]);
    expect(view.chain.assignment).to.include({ handler: 'reviewer', reason: '科长出差，改派承办人' });
    // Newer unassigned work exists, yet the reviewer's own case leads the plain work list.
    await accepted(THREE_STEPS);
    const list = (await api.get('/api/v1/applications?limit=200', flow.token('reviewer'))).body.items as { id: string; step: { assignee: string } | null }[];
    const firstOther = list.findIndex((r) => r.step?.assignee !== 'reviewer');
    expect(list.findIndex((r) => r.id === created.id)).to.be.lessThan(firstOther);
  });

  it('when chiefs are given a section (科室), then each one\'s queue holds its section\'s cases only; a chief of no section sees every one; an unknown section is a 400', async () => {
    const admin = await api.login('admin');
    const chiefOf = async (username: string, department: string) => {
      const res = await api.post('/api/v1/staff', { username, name: `${department}科长`, role: 'chief', jurisdiction: '370600', department, password: 'section-chief-pass' }, admin);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.department).to.equal(department);
      return api.login(username, 'section-chief-pass');
    };
    const chemicals = await chiefOf('chief-chem', '应急管理部门（危险化学品安全监督管理科）');
    const fireworks = await chiefOf('chief-fw', '应急管理部门（烟花爆竹安全监督管理科）');
    const created = await accepted(THREE_STEPS); // routed to 危险化学品安全监督管理科
    const queue = async (token: string) => (await api.get('/api/v1/applications?waiting=me&limit=200', token)).body.items.map((i: { id: string }) => i.id);
    expect(await queue(chemicals)).to.include(created.id);
    expect(await queue(fireworks)).to.not.include(created.id);
    expect((await waitingFor('chief')).map((i) => i.id)).to.include(created.id);
    const unknown = await api.post('/api/v1/staff', { username: 'chief-x', name: '无此科室', role: 'chief', jurisdiction: '370600', department: '应急管理部门（不存在科）', password: 'section-chief-pass' }, admin);
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['department']);
  });

  it('when a step runs past its share of the limit, then its light turns yellow, then red, in the work list and the chief\'s list', async () => {
    const created = await accepted(THREE_STEPS); // accepted Mon 2026-03-02: handling's 10 working days end 2026-03-16
    const light = async (who: string) => (await waitingFor(who)).find((r) => r.id === created.id)?.step.clock.light;
    expect(await light('chief')).to.equal('green');
    flow.at('2026-03-17T02:00:00Z'); // one working day past the share
    expect(await light('chief')).to.equal('yellow');
    flow.at('2026-03-20T02:00:00Z'); // four past it, more than the warning days (3)
    expect(await light('chief')).to.equal('red');
    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer' }, 'chief');
    expect((await waitingFor('reviewer')).find((r) => r.id === created.id)?.step.clock.light).to.equal('red');
    // The next step starts on its own share.
    await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '拟准予' }, 'reviewer');
    expect(await light('chief')).to.equal('green');
  });

  it('when a case is suspended in a step and resumed, then it is back in that step and the step\'s clock runs on from its start, leaving out the suspension', async () => {
    const created = await accepted(THREE_STEPS); // accepted Mon 2026-03-02: handling's 10 working days end 2026-03-16
    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer' }, 'chief');
    const handling = async () => (await flow.read(created.id, 'chief')).chain.steps.find((s: { step: string }) => s.step === 'handling').clock;
    expect(await handling()).to.include({ startedOn: '2026-03-02', dueDate: '2026-03-16' });
    flow.at('2026-03-04T02:00:00Z');
    await flow.sendOk(created.id, { type: 'SUSPEND', reason: '专家评审', expectedWorkingDays: 5 }, 'reviewer');
    flow.at('2026-03-11T02:00:00Z'); // five working days later
    const resumed = await flow.sendOk(created.id, { type: 'RESUME' }, 'reviewer');
    expect(resumed.state).to.equal('review.chain.handling');
    // Two days used before the suspension, eight left: due five working days later than before, not a new share from today.
    expect(await handling()).to.include({ startedOn: '2026-03-02', dueDate: '2026-03-23', remainingWorkingDays: 8, stopped: false });
    expect(resumed.clock.paused).to.equal(false);

    // In the check step the same: the chief's step continues its own share.
    await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '拟准予' }, 'reviewer');
    flow.at('2026-03-12T02:00:00Z');
    await flow.sendOk(created.id, { type: 'SUSPEND', reason: '检验检测', expectedWorkingDays: 2 }, 'reviewer');
    flow.at('2026-03-16T02:00:00Z');
    expect((await flow.sendOk(created.id, { type: 'RESUME' }, 'reviewer')).state).to.equal('review.chain.checking');
    const checking = (await flow.read(created.id, 'chief')).chain.steps.find((s: { step: string }) => s.step === 'checking').clock;
    expect(checking).to.include({ startedOn: '2026-03-11', dueDate: '2026-03-20', remainingWorkingDays: 4 });
  });

  it('when staff keep internal notes, then staff of the jurisdiction read them, and neither the enterprise nor the public status page ever shows them', async () => {
    const created = await accepted(THREE_STEPS);
    const secret = '企业法人与举报线索有关，核查前勿告知申请人';
    const added = await api.post(`/api/v1/applications/${created.id}/notes`, { text: secret }, flow.token('reviewer'));
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    expect(added.body).to.deep.include({ n: 1, text: secret, by: { username: 'reviewer', name: added.body.by.name, role: 'reviewer' } });
    await api.post(`/api/v1/applications/${created.id}/notes`, { text: '已电话联系属地监管科' }, flow.token('chief'));
    const read = await api.get(`/api/v1/applications/${created.id}/notes`, flow.token('leader'));
    expect(read.body.map((n: { text: string }) => n.text)).to.deep.equal([secret, '已电话联系属地监管科']);
    expect((await api.post(`/api/v1/applications/${created.id}/notes`, { text: '' }, flow.token('chief'))).status).to.equal(400);

    await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer' }, 'chief');
    await flow.sendOk(created.id, { type: 'PROPOSE', decision: 'approve', opinion: '内部拟办意见' }, 'reviewer');
    const et = (await api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body.token;
    const own = await api.get(`/api/v1/applications/${created.id}`, et);
    expect(own.status).to.equal(200);
    const notes = await api.get(`/api/v1/applications/${created.id}/notes`, et);
    expect(notes.status).to.equal(403);
    const status = await api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
    const documents = await api.get(`/api/v1/applications/${created.id}/documents`, et);
    for (const body of [own.body, status.body, documents.body, notes.body]) {
      const text = JSON.stringify(body);
      expect(text).to.not.include(secret);
      expect(text).to.not.include('内部拟办意见');
    }
    expect(own.body.chain).to.equal(null);
    expect(own.body.details).to.not.have.property('reviewChain');
    expect(own.body.timeline.map((t: { event: string }) => t.event)).to.not.include.members(['ASSIGN', 'PROPOSE']);
  });
});

describe('round-robin assignment (ASSIGNMENT=round_robin)', function () {
  let app: TestApp;
  const flow = workflow(() => app);

  before(async function () {
    app = await startTestApp({ config: { assignment: 'round_robin' } });
    const admin = await flow.api.login('admin');
    const second = await flow.api.post('/api/v1/staff', { username: 'reviewer2', name: '烟台市应急管理局审查员二 / Yantai reviewer 2', role: 'reviewer', jurisdiction: '370600', password: 'demo-password-2' }, admin);
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    await flow.signIn('clerk', 'chief');
  });
  after(async () => app?.stop());

  it('when chained cases are accepted, then the routed body\'s reviewers get them in turn, by the system, and the chief may still reassign', async () => {
    const handlers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await flow.submit(THREE_STEPS);
      const view = await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      handlers.push(view.chain.assignment?.handler);
      const assign = flow.steps(await flow.read(created.id, 'chief')).find((t: { event: string }) => t.event === 'ASSIGN') as { actor: { kind: string } } | undefined;
      expect(assign?.actor.kind).to.equal('system');
      if (i === 2) await flow.sendOk(created.id, { type: 'ASSIGN', handler: 'reviewer2', reason: '案情复杂，改派' }, 'chief');
    }
    expect(handlers).to.deep.equal(['reviewer', 'reviewer2', 'reviewer']);
    // A one-step item is not assigned at all.
    const single = await flow.submit(ONE_STEP);
    expect((await flow.sendOk(single.id, { type: 'ACCEPT' }, 'clerk')).chain).to.equal(null);
  });
});

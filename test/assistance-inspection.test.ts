import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

// 370000-AQ-XK-005 (烟花爆竹批发): 协查 and inspection time excluded, site inspection required with points P1–P4.
const INSPECTED_ITEM = '370000-AQ-XK-005';
// 370000-AQ-XK-004: no inspection configured, 协查 time counted.
const PLAIN_ITEM = '370000-AQ-XK-004';
// 370000-AQ-XK-006 (烟花爆竹零售, county): 告知承诺, a checklist for verification visits, inspection not required.
const COMMITMENT_ITEM = '370000-AQ-XK-006';
const MONDAY = '2026-03-02T02:00:00Z';
const ask = (workingDays = 5) => ({ type: 'REQUEST_ASSISTANCE', department: '烟台市公安局', email: 'psb@example.gov.cn', questions: '请核实主要负责人有无违法犯罪记录。', workingDays });
const schedule = (date = '2026-03-04') => ({ type: 'SCHEDULE_INSPECTION', date, place: '烟台市芝罘区仓库路 1 号', inspectors: ['reviewer', 'clerk'] });
const points = (p2: 'pass' | 'fail') => [
  { code: 'P1', result: 'pass' }, { code: 'P2', result: p2, ...(p2 === 'fail' ? { note: '消防栓压力不足' } : {}) },
  { code: 'P3', result: 'pass' }, { code: 'P4', result: 'not_applicable', note: '新建仓库' },
];

describe('部门协查 and 现场核查 (issue 15 §2, §4)', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const api = () => flow.api;

  before(async () => {
    app = await startTestApp({ now: MONDAY, config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer', 'province-reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at(MONDAY));

  async function underReview(item: string) {
    const created = await flow.submit(item);
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    return created;
  }
  /** The token of the link in the last mail to the department about this application. */
  const linkToken = (applicationNo: string): string => {
    const mail = app.smtp.received.filter((m) => m.to.includes('psb@example.gov.cn') && m.subject.includes(applicationNo)).at(-1)!;
    return /assistance\.html\?token=([A-Za-z0-9_.-]+)/.exec(mail.text)![1];
  };

  it('when a reviewer requests assistance, then the department gets one mail whose link opens and answers it without an account, and the answer is in the record', async () => {
    const created = await underReview(INSPECTED_ITEM);
    const before = app.smtp.received.length;
    const view = await flow.sendOk(created.id, ask(), 'reviewer');
    expect(view.details.assistance).to.have.length(1);
    expect(view.details.assistance[0]).to.include({ id: 'A1', status: 'open', department: '烟台市公安局' });
    // Excluded time (item setting): the decision clock pauses while the request is open.
    expect(view.clock.paused).to.equal(true);
    await flow.settled();
    const mails = app.smtp.received.slice(before).filter((m) => m.to.includes('psb@example.gov.cn'));
    expect(mails).to.have.length(1);
    expect(mails[0].subject).to.include('部门协查');
    expect(mails[0].text).to.include('请核实主要负责人有无违法犯罪记录');

    const token = linkToken(created.applicationNo);
    const dueBefore = view.clock.dueDate;
    // Answered two working days later (Wednesday): those days are not counted, the decision's due date moves by two.
    flow.at('2026-03-04T02:00:00Z');
    const opened = await api().get(`/api/v1/assistance?token=${token}`);
    expect(opened.status, JSON.stringify(opened.body)).to.equal(200);
    expect(opened.body).to.include({ applicationNo: created.applicationNo, requestId: 'A1', status: 'open', dueDate: '2026-03-09' });
    const answered = await api().post('/api/v1/assistance/answer', { token, answer: '经核实，无违法犯罪记录。' });
    expect(answered.status, JSON.stringify(answered.body)).to.equal(200);
    expect(answered.body).to.include({ requestId: 'A1', status: 'answered' });

    const after = await flow.read(created.id, 'reviewer');
    expect(after.details.assistance[0]).to.include({ status: 'answered' });
    expect(after.details.assistance[0].answer).to.include({ text: '经核实，无违法犯罪记录。', channel: 'link' });
    expect(flow.steps<{ event: string; actor: { kind: string; name: string } }>(after).at(-1)).to.deep.include({ event: 'RECORD_ASSISTANCE' });
    expect(after.clock.paused).to.equal(false);
    const due = await api().get(`/api/v1/calendar/due-date?from=${dueBefore}&workingDays=2`);
    expect(after.clock.dueDate).to.equal(due.body.dueDate);
    // Once answered, the link is spent.
    const again = await api().post('/api/v1/assistance/answer', { token, answer: '再次答复' });
    expect(again.status).to.equal(403);
    expect(again.body.error.code).to.equal('FORBIDDEN');
  });

  it('when a case is resumed from 特别程序 while an excluded request is still open, then the decision clock stays paused until the request is answered', async () => {
    // The same request answered on the same day, once with a suspension inside it and once without: the same due date.
    const plain = await underReview(INSPECTED_ITEM);
    const suspended = await underReview(INSPECTED_ITEM);
    for (const created of [plain, suspended]) expect((await flow.sendOk(created.id, ask(10), 'reviewer')).clock.paused).to.equal(true);
    flow.at('2026-03-04T02:00:00Z');
    await flow.sendOk(suspended.id, { type: 'SUSPEND', reason: '专家评审', expectedWorkingDays: 2 }, 'reviewer');
    flow.at('2026-03-06T02:00:00Z');
    const resumed = await flow.sendOk(suspended.id, { type: 'RESUME' }, 'reviewer');
    expect(resumed.state).to.equal('review.active');
    expect(resumed.clock.paused, 'the request A1 is still open and its time excluded').to.equal(true);
    flow.at('2026-03-11T02:00:00Z');
    const answer = { type: 'RECORD_ASSISTANCE', requestId: 'A1', answer: '经核实，无违法犯罪记录。' };
    const [a, b] = [await flow.sendOk(plain.id, answer, 'reviewer'), await flow.sendOk(suspended.id, answer, 'reviewer')];
    expect(b.clock.paused).to.equal(false);
    expect(b.clock.dueDate).to.equal(a.clock.dueDate);

    // With nothing excluded open, RESUME resumes the clock as before.
    flow.at('2026-03-12T02:00:00Z');
    await flow.sendOk(suspended.id, { type: 'SUSPEND', reason: '听证', expectedWorkingDays: 1 }, 'reviewer');
    flow.at('2026-03-13T02:00:00Z');
    const again = await flow.sendOk(suspended.id, { type: 'RESUME' }, 'reviewer');
    expect(again.clock.paused).to.equal(false);
  });

  it('when a link is altered, sealed for something else, withdrawn or past its deadline, then it is refused', async () => {
    const created = await underReview(PLAIN_ITEM);
    await flow.sendOk(created.id, ask(2), 'reviewer');
    await flow.settled();
    const token = linkToken(created.applicationNo);
    const [payload, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), r: 'A2' })).toString('base64url')}.${signature}`;
    const foreign = app.runtime.services.tokens.seal('certificate-check', JSON.parse(Buffer.from(payload, 'base64url').toString()));
    for (const bad of [forged, foreign]) expect((await api().get(`/api/v1/assistance?token=${bad}`)).status).to.equal(404);
    // Counted time (item setting): the clock runs while the request is open.
    expect((await flow.read(created.id)).clock.paused).to.equal(false);

    // Past its deadline (the end of 2026-03-04 in Shanghai), the link no longer opens.
    flow.at('2026-03-04T15:59:00Z');
    expect((await api().get(`/api/v1/assistance?token=${token}`)).status).to.equal(200);
    flow.at('2026-03-04T16:00:00Z');
    const stale = await api().post('/api/v1/assistance/answer', { token, answer: '迟到的答复' });
    expect(stale.status).to.equal(403);
    expect(stale.body.error.message).to.include('deadline');

    // A withdrawn request's link is refused even before its deadline.
    flow.at(MONDAY);
    const other = await underReview(PLAIN_ITEM);
    await flow.sendOk(other.id, ask(), 'reviewer');
    await flow.settled();
    const withdrawnToken = linkToken(other.applicationNo);
    await flow.sendOk(other.id, { type: 'WITHDRAW_ASSISTANCE', requestId: 'A1', reason: '已通过数据共享核实' }, 'reviewer');
    expect((await api().get(`/api/v1/assistance?token=${withdrawnToken}`)).status).to.equal(403);
    // With no request open, nothing can be answered (the state does not offer it).
    await flow.sendFails(other.id, { type: 'RECORD_ASSISTANCE', requestId: 'A1', answer: 'x' }, 'reviewer', 409, 'EVENT_NOT_ALLOWED');
    // With one open, a closed or unknown one is refused by name.
    await flow.sendOk(other.id, ask(), 'reviewer');
    await flow.sendFails(other.id, { type: 'RECORD_ASSISTANCE', requestId: 'A1', answer: 'x' }, 'reviewer', 409, 'PRECONDITION_FAILED');
    await flow.sendFails(other.id, { type: 'RECORD_ASSISTANCE', requestId: 'A9', answer: 'x' }, 'reviewer', 400, 'VALIDATION_FAILED');
  });

  it('when a request stays unanswered, then it turns yellow, then red at its own deadline (engine timer) in the view and the work list, and a reminder mails again', async () => {
    const created = await underReview(PLAIN_ITEM);
    await flow.sendOk(created.id, ask(2), 'reviewer');
    const deadline = (view: { deadlines: { name: string; light: string; dueDate: string }[] }) => view.deadlines.find((d) => d.name === 'assistance-A1');
    expect(deadline(await flow.read(created.id))).to.include({ dueDate: '2026-03-04', light: 'yellow' });

    await flow.settled();
    const before = app.smtp.received.length;
    await flow.sendOk(created.id, { type: 'REMIND_ASSISTANCE', requestId: 'A1' }, 'reviewer');
    await flow.settled();
    expect(app.smtp.received.slice(before).filter((m) => m.subject.includes('协查催办'))).to.have.length(1);

    flow.at('2026-03-04T15:59:59Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    flow.at('2026-03-04T16:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal(['ASSISTANCE_DEADLINE_PASSED']);
    const view = await flow.read(created.id);
    expect(deadline(view)).to.include({ light: 'red', overdue: true });
    expect(view.status).to.equal('under_review');
    const list = await api().get(`/api/v1/applications?limit=200`, flow.token('reviewer'));
    const row = list.body.items.find((r: { id: string }) => r.id === created.id);
    expect(deadline(row)).to.include({ light: 'red' });

    // Answered late by the reviewer: the light leaves the lists.
    await flow.sendOk(created.id, { type: 'RECORD_ASSISTANCE', requestId: 'A1', answer: '电话答复：无记录' }, 'reviewer');
    const answered = await flow.read(created.id);
    expect(deadline(answered)).to.equal(undefined);
    expect(answered.details.assistance[0].answer).to.include({ channel: 'recorded' });
  });

  it('when the item requires a site inspection, then it cannot be approved before a result, a failed point is in the record and blocks approval, and a passed inspection allows it', async () => {
    const created = await underReview(INSPECTED_ITEM);
    await flow.sendFails(created.id, { type: 'APPROVE' }, 'reviewer', 409, 'PRECONDITION_FAILED');
    await flow.sendFails(created.id, { ...schedule(), inspectors: ['reviewer'] }, 'reviewer', 400, 'VALIDATION_FAILED');
    await flow.sendFails(created.id, { ...schedule(), inspectors: ['reviewer', 'nobody'] }, 'reviewer', 400, 'VALIDATION_FAILED');
    const before = app.smtp.received.length;
    const scheduled = await flow.sendOk(created.id, schedule(), 'reviewer');
    expect(scheduled.details.inspections[0]).to.include({ id: 'I1', status: 'scheduled', date: '2026-03-04' });
    expect(scheduled.clock.paused).to.equal(true);
    expect(app.smtp.received.slice(before).filter((m) => m.subject.includes('现场核查通知') && m.subject.includes(created.applicationNo))).to.have.length(1);
    const error = await flow.sendFails(created.id, { type: 'APPROVE' }, 'reviewer', 409, 'PRECONDITION_FAILED');
    expect(error.message).to.include('尚无结果');

    // Past its date without a result: yellow.
    flow.at('2026-03-05T02:00:00Z');
    expect((await flow.read(created.id)).deadlines.find((d: { name: string }) => d.name === 'inspection')).to.include({ light: 'yellow' });
    // Someone not named as an inspector may not record it; a failed point needs its note.
    await flow.sendFails(created.id, { type: 'RECORD_INSPECTION', points: points('pass'), conclusion: 'pass' }, 'province-reviewer', 403, 'FORBIDDEN');
    await flow.sendFails(created.id, { type: 'RECORD_INSPECTION', points: points('fail').map((p) => ({ code: p.code, result: p.result })), conclusion: 'fail' }, 'reviewer', 400, 'VALIDATION_FAILED');
    await flow.sendFails(created.id, { type: 'RECORD_INSPECTION', points: points('pass').slice(1), conclusion: 'pass' }, 'reviewer', 400, 'VALIDATION_FAILED');
    const failed = await flow.sendOk(created.id, { type: 'RECORD_INSPECTION', points: points('fail'), conclusion: 'fail', note: '消防设施不合格' }, 'reviewer');
    expect(failed.details.inspections[0].status).to.equal('recorded');
    expect(failed.details.inspections[0].result.points).to.deep.include({ code: 'P2', text: '防雷、消防设施完好有效', result: 'fail', note: '消防栓压力不足', photos: [] });
    expect(failed.clock.paused).to.equal(false);
    expect(failed.deadlines.find((d: { name: string }) => d.name === 'inspection')).to.equal(undefined);
    expect((await flow.sendFails(created.id, { type: 'APPROVE' }, 'reviewer', 409, 'PRECONDITION_FAILED')).message).to.include('不合格');

    // Inspected again after rectification: passed, the decision may be taken.
    await flow.sendOk(created.id, schedule('2026-03-06'), 'reviewer');
    flow.at('2026-03-06T02:00:00Z');
    await flow.sendOk(created.id, { type: 'RECORD_INSPECTION', points: points('pass'), conclusion: 'pass' }, 'clerk');
    const approved = await flow.sendOk(created.id, { type: 'APPROVE', note: '现场核查合格' }, 'reviewer');
    expect(approved.details.decision).to.include({ outcome: 'approved' });
    expect(approved.details.inspections).to.have.length(2);
  });

  it('when an inspection passes its date and its result days without a result, then its timer fires and it shows red', async () => {
    const created = await underReview(INSPECTED_ITEM);
    await flow.sendOk(created.id, schedule('2026-03-03'), 'reviewer');
    // Three working days after 2026-03-03: due at the end of 2026-03-06.
    flow.at('2026-03-06T16:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal(['INSPECTION_OVERDUE']);
    expect((await flow.read(created.id)).deadlines.find((d: { name: string }) => d.name === 'inspection')).to.include({ light: 'red', dueDate: '2026-03-06' });
  });

  it('when a 告知承诺 licence is verified by a site visit, then the same inspection record is kept and the verification follows it', async () => {
    const created = await flow.submit(COMMITMENT_ITEM, { provided: ['M01', 'M02', 'M03'] });
    const pledge = { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' };
    await flow.sendOk(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk');
    await flow.sendFails(created.id, ask(), 'reviewer', 409, 'EVENT_NOT_ALLOWED');
    await flow.sendOk(created.id, schedule('2026-03-03'), 'reviewer');
    flow.at('2026-03-03T02:00:00Z');
    const retailPoints = [{ code: 'P1', result: 'pass' }, { code: 'P2', result: 'pass' }, { code: 'P3', result: 'fail', note: '灭火器过期' }];
    const recorded = await flow.sendOk(created.id, { type: 'RECORD_INSPECTION', points: retailPoints, conclusion: 'pass', note: '当场整改' }, 'clerk');
    expect(recorded.status).to.equal('issued_pending_verification');
    expect(recorded.details.inspections[0].result.points[2]).to.include({ code: 'P3', result: 'fail', note: '灭火器过期' });
    const verified = await flow.sendOk(created.id, { type: 'VERIFY_PASSED', method: 'site_visit', note: '见现场核查记录 I1' }, 'reviewer');
    expect(verified.status).to.equal('completed');
  });

  it('when the catalog is read, then each item says how 协查 time counts and its site inspection rule', async () => {
    const items = (await api().get('/api/v1/catalog/items')).body.items;
    const inspected = items.find((i: { code: string }) => i.code === INSPECTED_ITEM);
    expect(inspected).to.include({ assistanceTime: 'excluded' });
    expect(inspected.siteInspection).to.include({ required: true, time: 'excluded' });
    expect(items.find((i: { code: string }) => i.code === PLAIN_ITEM)).to.include({ assistanceTime: 'counted', siteInspection: null });
  });
});

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEvaluationReasons } from '../src/evaluations/evaluation-rules';
import { addCalendarDays } from '../src/calendar';
import type { EvaluationFact } from '../src/evaluations/evaluation-facts';
import { recount } from '../src/jobs/recount-statistics-job';
import type { StatisticsDay } from '../src/store/statistics-days';
import { applicationBody } from './helpers/api-client';
import { COUNTY_ITEM } from './helpers/certificates';
import { startSmsGateway } from './helpers/sms-gateway';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, workflow } from './helpers/workflow';

const MONDAY = '2026-03-02T02:00:00Z';
const MOBILE = '13805351234';

describe('好差评: service evaluation and rectification (整改)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;
  const facts: EvaluationFact[] = [];
  const county = new Map<string, string>();
  const tokenOf = (who: string) => county.get(who) ?? flow.token(who);
  const rate = (id: string, body: object, token: string) => flow.api.post(`/api/v1/applications/${id}/evaluations`, body, token);
  const invitationsOf = (applicationNo: string) => ({
    mails: app.smtp.received.filter((m) => m.subject.includes('【服务评价】') && m.subject.includes(applicationNo)),
    sms: gateway.accepted().filter((r) => r.body.template === 'evaluation_invitation' && r.body.params.applicationNo === applicationNo),
  });

  /** A county application of `division` (芝罘区 370602 unless told), accepted and approved: 已办结, with its enterprise token. */
  async function completedApplication(division = '370602') {
    const body = applicationBody(COUNTY_ITEM, { uscc: freshUscc(division), divisionCode: division, mobile: MOBILE, materials: ['M01', 'M02', 'M03'].map((code) => ({ code, provided: true })) });
    const created = await flow.api.post('/api/v1/applications', body, flow.token('clerk'));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await flow.sendOk(created.body.id, { type: 'ACCEPT' }, 'clerk');
    const done = await flow.sendOk(created.body.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
    expect(done.status).to.equal('completed');
    const login = await flow.api.post('/api/v1/auth/enterprise-token', { applicationNo: created.body.applicationNo, queryCode: created.body.queryCode });
    expect(login.status).to.equal(200);
    return { id: created.body.id as string, applicationNo: created.body.applicationNo as string, token: login.body.token as string };
  }

  before(async () => {
    gateway = await startSmsGateway();
    app = await startTestApp({ now: MONDAY, config: { ...TIME_TRAVEL_CONFIG, smsGatewayUrl: gateway.url, publicUrl: 'https://zwfw.example.gov.cn' } });
    services().evaluationFacts.listen((f) => void facts.push(f));
    await flow.signIn('clerk', 'reviewer', 'admin');
    // Two county offices' chiefs: each sees its own county's rectifications only.
    for (const [username, jurisdiction] of [['zf-chief', '370602'], ['fs-chief', '370611']]) {
      const res = await flow.api.post('/api/v1/staff', { username, name: `${jurisdiction}科长`, role: 'chief', jurisdiction, password: 'county-pass' }, flow.token('admin'));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      county.set(username, await flow.api.login(username, 'county-pass'));
    }
  });
  after(async () => {
    await app?.stop();
    await gateway?.stop();
  });
  beforeEach(() => flow.at(MONDAY));

  it('when an application is completed, then the applicant is invited once by mail and SMS, with the status page and the last day to rate', async () => {
    const body = applicationBody(COUNTY_ITEM, { uscc: freshUscc(), mobile: MOBILE, materials: ['M01', 'M02', 'M03'].map((code) => ({ code, provided: true })) });
    const created = (await flow.api.post('/api/v1/applications', body, flow.token('clerk'))).body;
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    const login = (await flow.api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body;
    // Not before 办结: no invitation, and a rating is refused with the reason.
    expect(invitationsOf(created.applicationNo).mails).to.deep.equal([]);
    const early = await rate(created.id, { level: 5 }, login.token);
    expect(early.status, JSON.stringify(early.body)).to.equal(409);
    expect(early.body.error.code).to.equal('PRECONDITION_FAILED');
    expect(early.body.error.message).to.include('尚未办结').and.include('completion');

    await flow.sendOk(created.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
    // The status page link, never the query code; the invitation is open 15 days (EVALUATION_WINDOW_DAYS).
    const url = `https://zwfw.example.gov.cn/#status?no=${created.applicationNo}`;
    const { mails, sms } = invitationsOf(created.applicationNo);
    expect(mails).to.have.length(1);
    expect(mails[0].text).to.include('请于 2026-03-17 前').and.include(url).and.include('Please rate our service by 2026-03-17');
    expect(mails[0].text).to.not.include(created.queryCode);
    expect(sms).to.have.length(1);
    expect(sms[0].body).to.deep.include({ to: MOBILE, template: 'evaluation_invitation' });
    expect(sms[0].body.text).to.equal(`您的办件（申请编号 ${created.applicationNo}）已办结，请于 2026-03-17 前对本次服务作出评价：${url}`);
    const effectIds = (await services().store.get(created.id))!.outbox.filter((e) => e.type === 'smsEvaluationInvitation').map((e) => e.id);
    expect(sms[0].body.messageId).to.equal(`sms.${created.id}.${effectIds[0]}`);

    // Sweeps and reruns later send neither again.
    flow.at('2026-03-02T05:00:00Z');
    await services().effects.sweep(1000);
    await services().effects.runFor(created.id);
    expect(invitationsOf(created.applicationNo).mails).to.have.length(1);
    expect(invitationsOf(created.applicationNo).sms).to.have.length(1);

    const listed = await flow.api.get(`/api/v1/applications/${created.id}/evaluations`, login.token);
    expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
    expect(listed.body.stages).to.deep.equal([{ stage: 'completion', stageLabel: { zh: '办结环节', en: 'Completion' }, state: 'open', invitedOn: '2026-03-02', expiresOn: '2026-03-17', evaluation: null }]);
    expect(listed.body.levels.map((l: { level: number; zh: string }) => `${l.level}${l.zh}`)).to.deep.equal(['5非常满意', '4满意', '3基本满意', '2不满意', '1非常不满意']);
    expect(listed.body.reasons.map((r: { code: string }) => r.code)).to.include.members(['slow', 'attitude', 'repeat_visits', 'other']);
    expect(facts.filter((f) => f.applicationId === created.id)).to.deep.equal([
      { key: `invited:${created.id}:completion`, type: 'invited', applicationId: created.id, jurisdiction: '370602', itemCode: COUNTY_ITEM, stage: 'completion', day: '2026-03-02', expiresOn: '2026-03-17' },
    ]);
  });

  it('when an application is not accepted or denied, then it is concluded (办结) too and invited; a withdrawn one is not', async () => {
    const submitted = async () => (await flow.api.post('/api/v1/applications', applicationBody(COUNTY_ITEM, { uscc: freshUscc(), materials: ['M01', 'M02', 'M03'].map((code) => ({ code, provided: true })) }), flow.token('clerk'))).body;
    const refused = await submitted();
    await flow.sendOk(refused.id, { type: 'REJECT', reason: '不属于本机关职权范围' }, 'clerk');
    const denied = await submitted();
    await flow.sendOk(denied.id, { type: 'ACCEPT' }, 'clerk');
    await flow.sendOk(denied.id, { type: 'DENY', reason: '储存场所安全距离不符合要求' }, 'reviewer');
    const withdrawn = await submitted();
    await flow.sendOk(withdrawn.id, { type: 'WITHDRAW', reason: '企业申请撤回' }, 'clerk');
    expect([refused, denied, withdrawn].map((a) => invitationsOf(a.applicationNo).mails.length)).to.deep.equal([1, 1, 0]);
    const states = async (id: string) => (await flow.api.get(`/api/v1/applications/${id}/evaluations`, flow.token('clerk'))).body.stages.map((s: { state: string }) => s.state);
    expect(await states(denied.id)).to.deep.equal(['open']);
    expect(await states(withdrawn.id)).to.deep.equal(['not_reached']);
    expect((await rate(denied.id, { level: 3, comment: '理解，但希望早些告知' }, flow.token('clerk'))).status).to.equal(201);
  });

  it('when the applicant rates, then a second rating is 409 ALREADY_EVALUATED, also from the window, and two at the same moment give one 201 and one 409', async () => {
    const a = await completedApplication();
    const first = await rate(a.id, { level: 5, comment: '办事效率很高' }, a.token);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body).to.deep.include({ stage: 'completion', level: 5, levelLabel: { zh: '非常满意', en: 'Very satisfied' }, comment: '办事效率很高', channel: 'online', on: '2026-03-02', rectification: null });
    for (const token of [a.token, flow.token('clerk')]) {
      const again = await rate(a.id, { level: 1, reasons: ['attitude'] }, token);
      expect(again.status, JSON.stringify(again.body)).to.equal(409);
      expect(again.body.error.code).to.equal('ALREADY_EVALUATED');
      expect(again.body.error.message).to.include('已评价').and.include('one rating per stage');
    }
    const read = await flow.api.get(`/api/v1/applications/${a.id}/evaluations`, flow.token('clerk'));
    expect(read.body.stages[0]).to.deep.include({ state: 'rated' });
    expect(read.body.stages[0].evaluation).to.deep.include({ level: 5, channel: 'online' });

    // Concurrent posts: the insert of <applicationId>:completion lets exactly one through, on FerretDB as on MongoDB.
    const b = await completedApplication();
    const answers = await Promise.all([rate(b.id, { level: 4 }, b.token), rate(b.id, { level: 3 }, flow.token('clerk')), rate(b.id, { level: 2, reasons: ['slow'] }, b.token)]);
    expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 409, 409]);
    const winner = answers.find((r) => r.status === 201)!.body;
    const stored = (await flow.api.get(`/api/v1/applications/${b.id}/evaluations`, flow.token('clerk'))).body.stages[0].evaluation;
    expect(stored).to.deep.include({ level: winner.level, channel: winner.channel });
    // One rating: a 409 may report the winner's fact again (to finish a stopped request), never one of its own.
    const rated = facts.filter((f) => f.applicationId === b.id && f.type === 'rated');
    expect(new Set(rated.map((f) => f.key)).size).to.equal(1);
    expect(rated.map((f) => f.level)).to.satisfy((levels: number[]) => levels.every((l) => l === winner.level));
  });

  it('when a low rating comes without reasons, an unknown reason, from another enterprise or from a reviewer, then it is refused and nothing is recorded', async () => {
    const a = await completedApplication();
    const other = await completedApplication();
    const missing = await rate(a.id, { level: 2, comment: '不满意' }, a.token);
    expect(missing.status).to.equal(400);
    expect(missing.body.error.code).to.equal('VALIDATION_FAILED');
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['reasons']);
    expect(missing.body.error.message).to.include('须选择原因');
    const unknown = await rate(a.id, { level: 1, reasons: ['weather'] }, a.token);
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details).to.deep.equal([{ field: 'reasons', message: unknown.body.error.message }]);
    const otherNoComment = await rate(a.id, { level: 1, reasons: ['other'] }, a.token);
    expect(otherNoComment.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['comment']);
    for (const level of [0, 6, 2.5]) expect((await rate(a.id, { level }, a.token)).status).to.equal(400);

    const foreign = await rate(a.id, { level: 5 }, other.token);
    expect(foreign.status).to.equal(404);
    expect((await flow.api.get(`/api/v1/applications/${a.id}/evaluations`, other.token)).status).to.equal(404);
    const reviewer = await rate(a.id, { level: 5 }, flow.token('reviewer'));
    expect(reviewer.status).to.equal(403);
    expect(reviewer.body.error.message).to.include('窗口');
    expect((await flow.api.get(`/api/v1/applications/${a.id}/evaluations`, a.token)).body.stages[0]).to.deep.include({ state: 'open', evaluation: null });

    // At the window the clerk records it for the applicant.
    const atWindow = await rate(a.id, { level: 3, comment: '窗口代录' }, flow.token('clerk'));
    expect(atWindow.status, JSON.stringify(atWindow.body)).to.equal(201);
    expect(atWindow.body.channel).to.equal('window');
  });

  it('when the rating period ends unrated, then it reads as not rated and no rating is taken or invented', async () => {
    const a = await completedApplication();
    flow.at('2026-03-17T15:00:00Z'); // 23:00 in Shanghai on the last day: still open
    expect((await flow.api.get(`/api/v1/applications/${a.id}/evaluations`, flow.token('clerk'))).body.stages[0].state).to.equal('open');
    flow.at('2026-03-17T16:00:00Z'); // 00:00 on 2026-03-18
    const listed = await flow.api.get(`/api/v1/applications/${a.id}/evaluations`, flow.token('clerk'));
    expect(listed.body.stages[0]).to.deep.equal({ stage: 'completion', stageLabel: { zh: '办结环节', en: 'Completion' }, state: 'not_rated', invitedOn: '2026-03-02', expiresOn: '2026-03-17', evaluation: null });
    const late = await rate(a.id, { level: 5 }, flow.token('clerk'));
    expect(late.status).to.equal(409);
    expect(late.body.error.message).to.include('视为未评价').and.include('2026-03-17');
    expect(facts.filter((f) => f.applicationId === a.id).map((f) => f.type)).to.deep.equal(['invited']);
  });

  it('when a rating is 不满意, then the routed office gets a rectification that goes yellow then red, seen only in its county, closed by the reply and the call back', async () => {
    const zhifu = await completedApplication('370602');
    const low = await rate(zhifu.id, { level: 2, comment: '补正通知不清楚，跑了两趟', reasons: ['repeat_visits', 'unclear_requirements'] }, zhifu.token);
    expect(low.status, JSON.stringify(low.body)).to.equal(201);
    const task = low.body.rectification;
    expect(task).to.deep.include({ id: `${zhifu.id}:completion`, status: 'open', level: 2, jurisdiction: '370602', office: '芝罘区应急管理部门（烟花爆竹安全监督管理股）', openedOn: '2026-03-02', workingDays: 5, light: 'green', onTime: null });
    expect(task.reasons.map((r: { zh: string }) => r.zh)).to.deep.equal(['多次跑动，重复提交材料', '材料要求、办事指南不清']);
    expect(task.dueDate).to.equal(services().calendar.dueDate('2026-03-02', 5).date);

    // Scoped by jurisdiction: 芝罘区 and the city see it, 福山区 does not (nor can it act on it).
    const fushan = await completedApplication('370611');
    await rate(fushan.id, { level: 1, reasons: ['attitude'] }, fushan.token);
    const ids = async (who: string, query = '') => (await flow.api.get(`/api/v1/rectifications${query}`, tokenOf(who))).body.items.map((t: { id: string }) => t.id);
    expect(await ids('zf-chief')).to.include(task.id).and.not.include(`${fushan.id}:completion`);
    expect(await ids('fs-chief')).to.include(`${fushan.id}:completion`).and.not.include(task.id);
    expect(await ids('clerk')).to.include.members([task.id, `${fushan.id}:completion`]);
    const foreign = await flow.api.post(`/api/v1/rectifications/${task.id}/reply`, { text: '不是我们的' }, tokenOf('fs-chief'));
    expect(foreign.status).to.equal(404);

    // The light: yellow on its last working day, red once overdue.
    flow.at(`${task.dueDate}T02:00:00Z`);
    expect(await ids('zf-chief', '?light=yellow')).to.include(task.id);
    expect(await ids('zf-chief', '?light=green')).to.not.include(task.id);
    flow.at(`${addCalendarDays(task.dueDate, 7)}T02:00:00Z`);
    const overdue = (await flow.api.get('/api/v1/rectifications?light=red', tokenOf('zf-chief'))).body.items.find((t: { id: string }) => t.id === task.id);
    expect(overdue).to.deep.include({ light: 'red', status: 'open' });
    expect(overdue.remainingWorkingDays).to.be.below(0);

    // The call back comes after the reply; each step once.
    const early = await flow.api.post(`/api/v1/rectifications/${task.id}/follow-up`, { reached: true, satisfied: true, note: '' }, tokenOf('zf-chief'));
    expect(early.status).to.equal(409);
    expect(early.body.error.message).to.include('请先答复');
    const replies = await Promise.all(['已约谈窗口人员，补正通知书逐项列明。', '第二份答复'].map((text) => flow.api.post(`/api/v1/rectifications/${task.id}/reply`, { text }, tokenOf('zf-chief'))));
    expect(replies.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const replied = replies.find((r) => r.status === 200)!.body;
    expect(replied).to.deep.include({ status: 'replied', light: 'red' });
    expect(replied.reply).to.deep.include({ by: '370602科长' });
    const noSatisfied = await flow.api.post(`/api/v1/rectifications/${task.id}/follow-up`, { reached: true, note: '' }, tokenOf('zf-chief'));
    expect(noSatisfied.status).to.equal(400);
    expect(noSatisfied.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['satisfied']);
    const closed = await flow.api.post(`/api/v1/rectifications/${task.id}/follow-up`, { reached: true, satisfied: true, note: '电话回访，企业认可。' }, tokenOf('zf-chief'));
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    expect(closed.body).to.deep.include({ status: 'closed', onTime: false, light: 'red', closedOn: addCalendarDays(task.dueDate, 7) });
    expect(closed.body.followUp).to.deep.include({ reached: true, satisfied: true, note: '电话回访，企业认可。' });
    expect((await flow.api.post(`/api/v1/rectifications/${task.id}/follow-up`, { reached: false, note: '' }, tokenOf('zf-chief'))).status).to.equal(409);

    // Closed: off the open list, on the closed one; the applicant sees the rating with its rectification.
    expect(await ids('zf-chief')).to.not.include(task.id);
    expect(await ids('zf-chief', '?status=closed')).to.deep.equal([task.id]);
    expect(await ids('fs-chief', '?status=closed')).to.deep.equal([]);
    const mine = await flow.api.get(`/api/v1/applications/${zhifu.id}/evaluations`, zhifu.token);
    expect(mine.body.stages[0].evaluation.rectification).to.deep.include({ status: 'closed' });

    const closedOn = addCalendarDays(task.dueDate, 7);
    // A fact may be reported twice (a step finished by a racing request): the same key, the same fields, counted once.
    const once = new Map<string, EvaluationFact>();
    for (const f of facts.filter((x) => x.applicationId === zhifu.id)) {
      if (once.has(f.key)) expect(f).to.deep.equal(once.get(f.key));
      once.set(f.key, f);
    }
    expect([...once.values()].map(({ key: _key, applicationId: _id, ...f }) => f)).to.deep.equal([
      { type: 'invited', jurisdiction: '370602', itemCode: COUNTY_ITEM, stage: 'completion', day: '2026-03-02', expiresOn: '2026-03-17' },
      { type: 'rated', jurisdiction: '370602', itemCode: COUNTY_ITEM, stage: 'completion', day: '2026-03-02', level: 2, channel: 'online' },
      { type: 'rectification_opened', jurisdiction: '370602', itemCode: COUNTY_ITEM, stage: 'completion', day: '2026-03-02', level: 2 },
      { type: 'rectification_replied', jurisdiction: '370602', itemCode: COUNTY_ITEM, stage: 'completion', day: closedOn, level: 2, onTime: false },
      { type: 'rectification_closed', jurisdiction: '370602', itemCode: COUNTY_ITEM, stage: 'completion', day: closedOn, level: 2, onTime: false, followedUp: true, satisfied: true },
    ]);
  });

  it('when a request stopped after recording a low rating, then the next rating of it opens the missing rectification before its 409, and rebuilding the views restores the open list', async () => {
    const a = await completedApplication();
    // As a process that died between the rating's insert and the task's would leave it.
    expect(await services().evaluations.insert({
      id: `${a.id}:completion`, applicationId: a.id, stage: 'completion', level: 1, comment: '', reasons: ['attitude'], channel: 'online',
      by: { kind: 'enterprise', id: 'x', name: '企业' }, at: new Date(MONDAY), jurisdiction: '370602', itemCode: COUNTY_ITEM,
    })).to.equal(true);
    expect(await services().rectifications.get(`${a.id}:completion`)).to.equal(null);
    const again = await rate(a.id, { level: 5 }, a.token);
    expect(again.status).to.equal(409);
    expect(await services().rectifications.get(`${a.id}:completion`)).to.deep.include({ status: 'open', level: 1, jurisdiction: '370602' });
    const listed = async () => (await flow.api.get('/api/v1/rectifications', flow.token('clerk'))).body.items.map((t: { id: string }) => t.id);
    expect(await listed()).to.include(`${a.id}:completion`);

    await app.runtime.conn.db!.collection('open_rectifications').deleteMany({});
    expect(await listed()).to.deep.equal([]);
    expect(await services().rectifications.rebuildViews()).to.be.at.least(1);
    expect(await listed()).to.include(`${a.id}:completion`);

    // A reply claimed by a request that stopped before writing it: a fresh claim is left to its writer, a stale one is finished.
    const id = `${a.id}:completion`;
    expect(await services().rectifications.claim(id, 'reply', { text: '已整改（中断前）', by: { username: 'chief', name: '科长' }, at: new Date(MONDAY), on: '2026-03-02' })).to.equal(true);
    const reply = () => flow.api.post(`/api/v1/rectifications/${id}/reply`, { text: '另一份答复' }, flow.token('clerk'));
    expect((await reply()).status).to.equal(409);
    expect((await services().rectifications.get(id))!.status).to.equal('open');
    flow.at('2026-03-02T02:01:00Z');
    expect((await reply()).status).to.equal(409);
    expect(await services().rectifications.get(id)).to.deep.include({ status: 'replied', reply: { text: '已整改（中断前）', by: { username: 'chief', name: '科长' }, at: new Date(MONDAY), on: '2026-03-02' } });
  });

  it('when ratings and rectifications happened, then the statistics count them in the office\'s days as a recount does, and the figures follow the facts', async () => {
    await flow.settled();
    const recounted = await recount(services());
    const kept = await services().statistics.read(recounted.map((d) => d._id));
    const cells = (days: StatisticsDay[]) => Object.fromEntries(days.flatMap((d) => Object.entries(d.cells).map(([k, c]) => [`${d._id}|${k}`, Object.fromEntries(Object.entries(c.ids).map(([m, ids]) => [m, [...ids!].sort()]))])));
    expect(cells(kept)).to.deep.equal(cells(recounted));

    // The figures of 芝罘区 over the weeks the tests moved through, against the facts 好差评 reported (each key once).
    const reported = new Map(facts.filter((f) => f.jurisdiction === '370602').map((f) => [f.key, f]));
    const of = (type: EvaluationFact['type'], where: (f: EvaluationFact) => boolean = () => true) => [...reported.values()].filter((f) => f.type === type && where(f)).length;
    const res = await flow.api.get('/api/v1/statistics?from=2026-03-01&to=2026-04-30&jurisdiction=370602', flow.token('admin'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const e = res.body.totals.evaluations;
    expect(of('rated')).to.be.greaterThan(2);
    expect(e).to.deep.include({
      invited: of('invited'), ratedCount: of('rated'),
      rectificationsOpened: of('rectification_opened'), rectificationsClosed: of('rectification_closed'),
      rectificationsOnTime: of('rectification_closed', (f) => f.onTime === true), followedUp: of('rectification_closed', (f) => f.followedUp === true),
    });
    expect(e.byLevel).to.deep.equal(Object.fromEntries([1, 2, 3, 4, 5].map((level) => [level, of('rated', (f) => f.level === level)])));
    expect(e.activeRatingRate).to.equal(Math.round((of('rated') / of('invited')) * 10_000) / 10_000);
    expect(res.body.levels[5]).to.deep.equal({ zh: '非常满意', en: 'Very satisfied' });
  });
});

describe('好差评 after 受理 too (EVALUATION_AT_ACCEPTANCE=on)', function () {
  this.timeout(120_000);
  let app: TestApp;
  const flow = workflow(() => app);

  before(async () => {
    app = await startTestApp({ now: MONDAY, config: { ...TIME_TRAVEL_CONFIG, evaluationAtAcceptance: true } });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());

  it('when the application is accepted and later completed, then each stage is invited and rated once, each in its time', async () => {
    const created = await flow.submit(COUNTY_ITEM, { provided: ['M01', 'M02', 'M03'] });
    const token = (await flow.api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode })).body.token;
    const invitations = () => flow.mailsTo(created.applicationNo).filter((m) => m.subject.includes('【服务评价】'));
    const stages = async () => (await flow.api.get(`/api/v1/applications/${created.id}/evaluations`, token)).body.stages.map((s: { stage: string; state: string }) => `${s.stage}:${s.state}`);
    expect(await stages()).to.deep.equal(['acceptance:not_reached', 'completion:not_reached']);
    expect((await flow.api.post(`/api/v1/applications/${created.id}/evaluations`, { level: 4, stage: 'acceptance' }, token)).status).to.equal(409);

    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    expect(invitations().map((m) => m.text.includes('已受理'))).to.deep.equal([true]);
    expect(await stages()).to.deep.equal(['acceptance:open', 'completion:not_reached']);
    const accepted = await flow.api.post(`/api/v1/applications/${created.id}/evaluations`, { level: 4, stage: 'acceptance' }, token);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(201);
    expect(accepted.body.stageLabel.zh).to.equal('受理环节');
    expect((await flow.api.post(`/api/v1/applications/${created.id}/evaluations`, { level: 5 }, token)).body.error.message).to.include('尚未办结');

    await flow.sendOk(created.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
    expect(invitations()).to.have.length(2);
    expect(invitations()[1].text).to.include('已办结');
    expect(await stages()).to.deep.equal(['acceptance:rated', 'completion:open']);
    expect((await flow.api.post(`/api/v1/applications/${created.id}/evaluations`, { level: 5 }, token)).status).to.equal(201);
    expect((await flow.api.post(`/api/v1/applications/${created.id}/evaluations`, { level: 3, stage: 'acceptance' }, token)).body.error.code).to.equal('ALREADY_EVALUATED');
    expect(await stages()).to.deep.equal(['acceptance:rated', 'completion:rated']);
  });
});

describe('the reasons of a low rating (config/evaluation-reasons.json)', () => {
  it('when the file is read, then each reason has a code and Chinese and English words; a bad file stops the start naming it and the field', () => {
    const reasons = loadEvaluationReasons(path.resolve('config'));
    expect(reasons.map((r) => r.code)).to.include.members(['slow', 'attitude', 'repeat_visits', 'unclear_requirements', 'other']);
    for (const r of reasons) {
      expect(r.zh, r.code).to.match(/\p{Script=Han}/u);
      expect(r.en, r.code).to.match(/^[A-Z]/);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'permit-reasons-'));
    try {
      writeFileSync(path.join(dir, 'evaluation-reasons.json'), JSON.stringify({ reasons: [{ code: 'slow', zh: '办事效率低', en: 'Slow' }, { code: 'slow', zh: '重复', en: 'Twice' }] }));
      expect(() => loadEvaluationReasons(dir)).to.throw(/evaluation-reasons\.json.*reasons\[1\]/);
      writeFileSync(path.join(dir, 'evaluation-reasons.json'), JSON.stringify({ reasons: [{ code: 'Slow!', zh: '办事效率低', en: 'Slow' }] }));
      expect(() => loadEvaluationReasons(dir)).to.throw(/reasons\[0\]\.code/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { expect } from 'chai';
import { rebuildViewsJob } from '../src/jobs/rebuild-views-job';
import { apiClient, applicationBody } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';

const PLAIN_ITEM = '370000-AQ-XK-004'; // 危险化学品安全使用许可证: city level, no special process

describe('standard licence process through the HTTP API', function () {
  let app: TestApp;
  const api = apiClient(() => app.url);
  let clerk: string;
  let reviewer: string;

  before(async function () {
    app = await startTestApp();
    clerk = await api.login('clerk');
    reviewer = await api.login('reviewer');
  });
  after(async () => app?.stop());

  async function submit(body = applicationBody(PLAIN_ITEM)) {
    const res = await api.post('/api/v1/applications', body, clerk);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }
  const send = (id: string, event: object, token: string) => api.post(`/api/v1/applications/${id}/events`, event, token);

  it('when a clerk submits, accepts and a reviewer approves, then a certificate is issued and the enterprise sees every step', async () => {
    const created = await submit();
    expect(created).to.include({ status: 'submitted', state: 'intake', version: 1 });
    expect(created.applicationNo).to.match(/^370600-20260302-\d{5}$/);
    expect(created.queryCode).to.match(/^[A-Z2-9]{8}$/);
    expect(created.routing).to.include({ jurisdiction: '370600', jurisdictionName: '烟台市' });
    expect(created.allowedEvents).to.include.members(['ACCEPT', 'REQUEST_CORRECTION', 'REJECT', 'WITHDRAW']);

    const accepted = await send(created.id, { type: 'ACCEPT' }, clerk);
    expect(accepted.status).to.equal(200);
    expect(accepted.body).to.include({ status: 'under_review', version: 2 });

    const approved = await send(created.id, { type: 'APPROVE', note: '材料齐全，符合条件' }, reviewer);
    expect(approved.status).to.equal(200);
    expect(approved.body.status).to.equal('completed');
    expect(approved.body.certificateNo).to.match(/^[A-Z-]+-2026-\d{6}$/);
    // Documents are recorded beside the steps, a moment after each.
    expect(approved.body.timeline.map((t: { event: string }) => t.event).filter((e: string) => e !== 'DOCUMENT_ISSUED')).to.deep.equal(['SUBMIT', 'ACCEPT', 'APPROVE', 'CERTIFICATE_ISSUED']);
    // The documents and the statistics' counts follow after the response (deferred effects), the others before it.
    expect(approved.body.effects.filter((e: { type: string }) => e.type !== 'issueDocument' && e.type !== 'countStatistics').map((e: { type: string; status: string }) => `${e.type}:${e.status}`)).to.deep.equal([
      'notifyApplicant:done', 'notifyApplicant:done', 'issueCertificate:done', 'notifyApplicant:done', 'notifyApplicant:done', 'inviteEvaluation:done',
    ]);

    const status = await api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
    expect(status.status).to.equal(200);
    expect(status.body.status).to.equal('completed');
    expect(status.body.statusLabel.zh).to.equal('已办结');
    expect(status.body.certificateNo).to.equal(approved.body.certificateNo);
    expect(status.body.timeline.map((t: { zh: string }) => t.zh)).to.deep.equal(['提交申请', '窗口受理', '审查通过，准予许可', '证照已制发']);
    expect(status.body).to.not.have.any.keys('id', 'queryCodeHash', 'snapshot', 'version');

    // Every status change is mailed to the applicant's contact, and after 办结 the invitation to rate the service (好差评).
    const mails = app.smtp.received.filter((m) => m.subject.includes(created.applicationNo));
    expect(mails.map((m) => m.to[0])).to.deep.equal(Array(5).fill('wang@anda-chem.example'));
    expect(mails.at(-2)!.text).to.include('已办结');
    expect(mails.at(-1)!.subject).to.include('【服务评价】');
  });

  it('when a correction notice is sent, then the application waits for the applicant and returns to intake on SUBMIT_CORRECTION', async () => {
    const created = await submit();
    const notice = await send(created.id, { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '安全管理制度缺少签章页' }, { description: '申请书第2页法人签字' }] }, clerk);
    expect(notice.status).to.equal(200);
    expect(notice.body.status).to.equal('correction_required');
    expect(notice.body.details.correction.items).to.have.length(2);
    expect(notice.body.deadlines).to.deep.include({ name: 'correction', dueDate: '2026-04-01', provisional: false, status: 'pending', overdue: false, light: 'green' });

    const looked = await api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
    expect(looked.body.expected.zh).to.include('安全管理制度缺少签章页').and.include('截止 2026-04-01');

    // The enterprise, holding its query code, sends the correction itself.
    const et = await api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode });
    expect(et.status).to.equal(200);
    const corrected = await send(created.id, { type: 'SUBMIT_CORRECTION', note: '已补正' }, et.body.token);
    expect(corrected.status).to.equal(200);
    expect(corrected.body.status).to.equal('submitted');
    expect(corrected.body.deadlines).to.deep.equal([]);
    expect((await send(created.id, { type: 'ACCEPT' }, clerk)).body.status).to.equal('under_review');
  });

  it('when the clerk refuses, then the application is not accepted with the reason and accepts no more events', async () => {
    const created = await submit();
    const refused = await send(created.id, { type: 'REJECT', reason: '不属于本机关职权范围，请向省应急管理厅申请' }, clerk);
    expect(refused.body).to.include({ status: 'not_accepted' });
    expect(refused.body.details.refusalReason).to.include('省应急管理厅');
    expect(refused.body.allowedEvents).to.deep.equal([]);
  });

  it('when an event is not allowed in the current state, then 409 EVENT_NOT_ALLOWED names the state and the allowed events', async () => {
    const created = await submit();
    const res = await send(created.id, { type: 'APPROVE' }, reviewer);
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('EVENT_NOT_ALLOWED');
    expect(res.body.error.message).to.include('intake').and.include('ACCEPT').and.include('REQUEST_CORRECTION');
    expect(res.body.error.details.allowedEvents).to.include('ACCEPT');
  });

  it('when 20 events race on one application, then exactly one wins and 19 get VERSION_CONFLICT', async () => {
    const created = await submit();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => send(created.id, { type: 'ACCEPT', expectedVersion: created.version }, clerk)),
    );
    const codes = results.map((r) => (r.status === 200 ? 'ok' : r.body.error.code));
    expect(codes.filter((c) => c === 'ok')).to.have.length(1);
    expect(codes.filter((c) => c === 'VERSION_CONFLICT')).to.have.length(19);
    const after = await api.get(`/api/v1/applications/${created.id}`, clerk);
    expect(after.body.version).to.equal(2);
    expect(after.body.timeline.filter((t: { event: string }) => t.event === 'ACCEPT')).to.have.length(1);
  });

  it('when 20 events race without expectedVersion, then still only one is applied and the others conflict or are refused', async () => {
    const created = await submit();
    const results = await Promise.all(Array.from({ length: 20 }, () => send(created.id, { type: 'ACCEPT' }, clerk)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).to.have.length(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body.error.code).to.be.oneOf(['VERSION_CONFLICT', 'EVENT_NOT_ALLOWED']);
    const after = await api.get(`/api/v1/applications/${created.id}`, clerk);
    expect(after.body.timeline.filter((t: { event: string }) => t.event === 'ACCEPT')).to.have.length(1);
  });

  it('when the service restarts, then applications, versions and timelines are still there', async () => {
    const created = await submit();
    await send(created.id, { type: 'ACCEPT' }, clerk);
    await app.restart();
    const token = await api.login('reviewer');
    const reread = await api.get(`/api/v1/applications/${created.id}`, token);
    expect(reread.status).to.equal(200);
    // The stop finished issuing the 受理通知书, recorded as version 3.
    expect(reread.body).to.include({ status: 'under_review', version: 3 });
    expect(reread.body.timeline.map((t: { event: string }) => t.event)).to.deep.equal(['SUBMIT', 'ACCEPT', 'DOCUMENT_ISSUED']);
    const approved = await send(created.id, { type: 'APPROVE' }, token);
    expect(approved.body.status).to.equal('completed');
    clerk = await api.login('clerk');
    reviewer = token;
  });

  it('when an application was stored without its number index entry, then rebuilding the views adds it and the status lookup finds it', async () => {
    const created = await submit();
    const numbers = app.runtime.conn.db!.collection('application_numbers');
    await numbers.deleteOne({ _id: created.applicationNo } as never);
    const lookup = () => api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
    expect((await lookup()).status).to.equal(404);
    await app.restart();
    // Start-up reads nothing that grows with the data: the entry comes back with `npm run job -- rebuild-views`.
    expect((await lookup()).status).to.equal(404);
    await rebuildViewsJob.run(app.runtime.services, app.clock.now());
    expect((await lookup()).status).to.equal(200);
    const entry = await app.runtime.conn.db!.collection('application_numbers').findOne({ _id: created.applicationNo } as never);
    expect(entry).to.include({ applicationId: created.id });
    clerk = await api.login('clerk');
    reviewer = await api.login('reviewer');
  });

  it('when the wrong role sends an event, then 403 and nothing changes', async () => {
    const created = await submit();
    const res = await send(created.id, { type: 'ACCEPT' }, reviewer);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('FORBIDDEN');
    const res2 = await send(created.id, { type: 'APPROVE' }, clerk);
    expect(res2.status).to.equal(403);
    expect((await api.get(`/api/v1/applications/${created.id}`, clerk)).body.version).to.equal(1);
  });

  it('when no token is sent, then staff endpoints answer 401', async () => {
    expect((await api.get('/api/v1/applications')).status).to.equal(401);
    expect((await api.post('/api/v1/applications', applicationBody(PLAIN_ITEM))).status).to.equal(401);
  });

  describe('bad input is refused with 400 and nothing is written', () => {
    const cases: [string, (b: ReturnType<typeof applicationBody>) => unknown, RegExp][] = [
      ['a USCC with a wrong check character', (b) => ({ ...b, applicant: { ...b.applicant, uscc: '91440300192189148B' } }), /校验码|check character/],
      ['a USCC with a forbidden letter', (b) => ({ ...b, applicant: { ...b.applicant, uscc: '91350100M000100Y4Z' } }), /Z/],
      ['an unknown item', (b) => ({ ...b, itemCode: 'NO-SUCH-ITEM' }), /item code/i],
      ['an unknown material code', (b) => ({ ...b, materials: [{ code: 'M99', provided: true }] }), /M99/],
      ['a missing applicant name', (b) => ({ ...b, applicant: { ...b.applicant, name: undefined } }), /applicant\.name/],
      ['a missing contact email', (b) => ({ ...b, applicant: { ...b.applicant, contact: { ...b.applicant.contact, email: undefined } } }), /email/],
      ['an unknown division', (b) => ({ ...b, applicant: { ...b.applicant, divisionCode: '110105' } }), /110105/],
      ['a wrong channel', (b) => ({ ...b, channel: 'fax' }), /channel/],
      ['an operator instead of a string', (b) => ({ ...b, itemCode: { $ne: null } }), /itemCode/],
    ];
    for (const [what, mutate, message] of cases) {
      it(`when the body has ${what}, then 400 says what is wrong`, async () => {
        const before = await api.get('/api/v1/applications?limit=1', clerk);
        const res = await api.post('/api/v1/applications', mutate(applicationBody(PLAIN_ITEM)), clerk);
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.message + JSON.stringify(res.body.error.details)).to.match(message);
        const after = await api.get('/api/v1/applications?limit=1', clerk);
        expect(after.body.total).to.equal(before.body.total);
      });
    }

    it('when an event payload misses its reason, then 400 names the field and the version is unchanged', async () => {
      const created = await submit();
      const res = await send(created.id, { type: 'REJECT' }, clerk);
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0].field).to.equal('reason');
      expect((await api.get(`/api/v1/applications/${created.id}`, clerk)).body.version).to.equal(1);
    });

    it('when the JSON body is malformed, then 400', async () => {
      const res = await api.call('POST', '/api/v1/applications', { token: clerk, rawBody: '{"itemCode":' });
      expect(res.status).to.equal(400);
    });
  });

  it('when the public status is looked up with a wrong query code or an unknown number, then both answer the same 404', async () => {
    const created = await submit();
    const wrong = await api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=WRONGCOD`);
    const unknown = await api.get(`/api/v1/status?applicationNo=370600-20990101-00001&queryCode=${created.queryCode}`);
    expect(wrong.status).to.equal(404);
    expect(unknown.status).to.equal(404);
    expect(wrong.body).to.deep.equal(unknown.body);
  });

  it('when the enterprise withdraws its own application, then it is withdrawn; another application is out of its reach', async () => {
    const mine = await submit();
    const other = await submit();
    const et = (await api.post('/api/v1/auth/enterprise-token', { applicationNo: mine.applicationNo, queryCode: mine.queryCode })).body.token;
    expect((await api.get(`/api/v1/applications/${other.id}`, et)).status).to.equal(404);
    expect((await send(other.id, { type: 'WITHDRAW', reason: 'x' }, et)).status).to.equal(404);
    expect((await send(mine.id, { type: 'ACCEPT' }, et)).status).to.equal(403);
    const withdrawn = await send(mine.id, { type: 'WITHDRAW', reason: '企业搬迁，暂不申请' }, et);
    expect(withdrawn.body.status).to.equal('withdrawn');
  });

  it('when the catalog is read, then every item has the documented fields', async () => {
    const res = await api.get('/api/v1/catalog/items');
    expect(res.status).to.equal(200);
    for (const item of res.body.items) {
      expect(item).to.include.keys('code', 'name', 'level', 'department', 'legalLimitDays', 'promisedLimitDays', 'materials', 'validityMonths', 'allowsDeficientAcceptance', 'allowsCommitment', 'jointReview');
      for (const m of item.materials) expect(m).to.include.keys('code', 'name', 'core');
    }
    expect(res.body.items.some((i: { allowsDeficientAcceptance: boolean; allowsCommitment: boolean; jointReview: boolean }) => !i.allowsDeficientAcceptance && !i.allowsCommitment && !i.jointReview)).to.equal(true);
  });

  it('when /health is asked, then it reports the store up', async () => {
    const res = await api.get('/health');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok', store: 'up' });
  });
});

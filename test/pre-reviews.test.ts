import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { rebuildViewsJob } from '../src/jobs/rebuild-views-job';
import { repairConversions } from '../src/pre-reviews/from-pre-review';
import { FINDING_LABELS, VERDICT_LABELS } from '../src/pre-reviews/pre-review-labels';
import { apiClient } from './helpers/api-client';
import { samplePdf, samplePng } from './helpers/sample-files';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc } from './helpers/workflow';

const PRE_REVIEW_ITEM = '370000-AQ-XK-007'; // 危险化学品建设项目安全条件审查: city level, 容缺预审 in 5 working days
const PLAIN_ITEM = '370000-AQ-XK-004'; // no pre-review

function preReviewBody(uscc = freshUscc(), itemCode = PRE_REVIEW_ITEM) {
  return {
    itemCode,
    project: { name: '裕龙岛炼化一体化项目（一期）', location: '烟台市龙口市裕龙岛', description: '2000万吨/年炼油、300万吨/年乙烯及配套储运设施' },
    applicant: { name: '裕龙石化有限公司', uscc, divisionCode: '370681', contact: { name: '李工', phone: '0535-8812345', email: 'li@yulong.example' } },
    materials: [{ code: 'M02', provided: true }],
  };
}

/** Sends a pre-review online as a form: the JSON in `preReview`, each file in `files[<material>]`. */
async function submitOnlineForm(url: string, body: object, files: { material: string; bytes: Buffer; name: string }[]) {
  const form = new FormData();
  form.append('preReview', JSON.stringify(body));
  for (const f of files) form.append(`files[${f.material}]`, new Blob([f.bytes]), f.name);
  const res = await fetch(`${url}/api/v1/online-pre-reviews`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

// The formal application names its applicant (the pre-review's, same USCC) and no materials: it takes them over.
const fromPre = (uscc = '') => ({ itemCode: PRE_REVIEW_ITEM, applicant: { ...preReviewBody(uscc || undefined).applicant, contact: { name: '张经理', phone: '0535-8800000', email: 'zhang@yulong.example' } }, materials: [] });
const allSufficient = (codes: string[]) => codes.map((material) => ({ material, finding: 'sufficient', note: '' }));
const ITEM_MATERIALS = ['M01', 'M02', 'M03', 'M04', 'M05', 'M06'];

describe('容缺预审 (pre-review for major projects) through HTTP', function () {
  this.timeout(120_000);
  let app: TestApp;
  const api = apiClient(() => app.url);
  const tokens: Record<string, string> = {};

  before(async () => {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    for (const user of ['clerk', 'reviewer', 'admin']) tokens[user] = await api.login(user);
    const created = await api.post('/api/v1/staff', { username: 'qd-reviewer', name: '青岛审查员', role: 'reviewer', jurisdiction: '370200', password: 'qingdao-demo' }, tokens.admin);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    tokens.foreign = await api.login('qd-reviewer', 'qingdao-demo');
  });
  after(async () => app?.stop());

  it('when an enterprise submits a pre-review online with a file, answered by a reviewer, then the public page shows the findings with the query code and refuses a wrong one, and the application made from it carries its materials and files', async () => {
    const pdf = samplePdf('safety evaluation');
    const body = preReviewBody();
    const submitted = await submitOnlineForm(app.url, body, [{ material: 'M01', bytes: pdf, name: '安全评价报告.pdf' }]);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    const { id, preReviewNo, queryCode } = submitted.body;
    expect(preReviewNo).to.match(/^YS-370600-20260302-\d{5}$/);
    expect(submitted.body.target).to.include({ dueDate: '2026-03-09', light: 'green', limitWorkingDays: 5 });
    expect(submitted.body.files).to.have.length(1);

    const before = await api.get(`/api/v1/pre-review-status?preReviewNo=${preReviewNo}&queryCode=${queryCode}`);
    expect(before.status).to.equal(200);
    expect(before.body).to.include({ status: 'submitted', answer: null, answerDue: '2026-03-09', projectName: '裕龙岛炼化一体化项目（一期）' });
    expect(before.body.materials.find((m: { code: string }) => m.code === 'M01')).to.deep.include({ provided: true, files: ['安全评价报告.pdf'] });
    const wrong = await api.get(`/api/v1/pre-review-status?preReviewNo=${preReviewNo}&queryCode=WRONGCODE`);
    expect(wrong.status).to.equal(404);

    // The work list of the routed city shows it with its light; it turns yellow on the last working day before the target.
    const list = await api.get('/api/v1/pre-reviews', tokens.reviewer);
    expect(list.body.items.map((i: { id: string }) => i.id)).to.include(id);
    app.clock.set('2026-03-06T02:00:00Z');
    const later = await api.get('/api/v1/pre-reviews', tokens.reviewer);
    expect(later.body.items.find((i: { id: string }) => i.id === id).target.light).to.equal('yellow');
    app.clock.set('2026-03-10T02:00:00Z');
    expect((await api.get('/api/v1/pre-reviews', tokens.reviewer)).body.items.find((i: { id: string }) => i.id === id).target.light).to.equal('red');
    app.clock.set('2026-03-06T02:00:00Z');

    const staffView = await api.get(`/api/v1/pre-reviews/${id}`, tokens.reviewer);
    expect(staffView.body.mayAnswer).to.equal(true);
    const fileId = staffView.body.materials.find((m: { code: string }) => m.code === 'M01').files[0].fileId;
    const download = await fetch(`${app.url}/api/v1/pre-reviews/${id}/files/${fileId}`, { headers: { authorization: `Bearer ${tokens.reviewer}` } });
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).to.equal(true);

    const findings = [...allSufficient(['M01', 'M02', 'M04', 'M05', 'M06']), { material: 'M03', finding: 'to_be_revised', note: '平面布置图缺少防火间距标注' }];
    const answered = await api.post(`/api/v1/pre-reviews/${id}/answer`, { verdict: 'needs_more', findings, note: '修改后可正式申请' }, tokens.reviewer);
    expect(answered.status, JSON.stringify(answered.body)).to.equal(200);
    expect(answered.body).to.include({ status: 'answered' });
    expect(answered.body.target).to.include({ stopped: true });

    const after = await api.get(`/api/v1/pre-review-status?preReviewNo=${preReviewNo}&queryCode=${queryCode}`);
    expect(after.body.answer).to.include({ verdict: 'needs_more', note: '修改后可正式申请' });
    expect(after.body.answer.findings.find((f: { material: string }) => f.material === 'M03')).to.deep.include({ finding: 'to_be_revised', note: '平面布置图缺少防火间距标注', label: { zh: '需修改完善', en: 'To be revised' } });
    expect(after.body.answer.verdictLabel.zh).to.be.a('string').and.not.equal('');

    // Online, the formal application proves the pre-review is the enterprise's with its query code.
    const refused = await api.post('/api/v1/online-applications', { ...fromPre(body.applicant.uscc), fromPreReview: id, preReviewQueryCode: 'WRONGCODE' });
    expect(refused.status).to.equal(404);
    const formal = await api.post('/api/v1/online-applications', { ...fromPre(body.applicant.uscc), fromPreReview: id, preReviewQueryCode: queryCode });
    expect(formal.status, JSON.stringify(formal.body)).to.equal(201);
    const login = await api.post('/api/v1/auth/enterprise-token', { applicationNo: formal.body.applicationNo, queryCode: formal.body.queryCode });
    const application = await api.get(`/api/v1/applications/${login.body.applicationId}`, tokens.reviewer);
    expect(application.body.applicant).to.deep.include({ name: '裕龙石化有限公司', uscc: body.applicant.uscc, contact: body.applicant.contact });
    expect(application.body.materials.filter((m: { provided: boolean }) => m.provided).map((m: { code: string }) => m.code)).to.deep.equal(['M01', 'M02']);
    expect(application.body.preReview).to.include({ id, preReviewNo, verdict: 'needs_more' });
    expect(application.body.preReview.findings.find((f: { material: string }) => f.material === 'M03').note).to.equal('平面布置图缺少防火间距标注');
    const files = await api.get(`/api/v1/applications/${application.body.id}/files`, tokens.reviewer);
    const carried = files.body.materials.find((m: { code: string }) => m.code === 'M01').files;
    expect(carried).to.have.length(1);
    expect(carried[0]).to.include({ name: '安全评价报告.pdf', sha256: staffView.body.materials.find((m: { code: string }) => m.code === 'M01').files[0].sha256 });
    const bytes = await fetch(`${app.url}/api/v1/files/${carried[0].fileId}`, { headers: { authorization: `Bearer ${tokens.reviewer}` } });
    expect(Buffer.from(await bytes.arrayBuffer()).equals(pdf)).to.equal(true);

    // Linked both ways; made once.
    const converted = await api.get(`/api/v1/pre-reviews/${id}`, tokens.reviewer);
    expect(converted.body).to.deep.include({ status: 'converted', application: { id: application.body.id, applicationNo: formal.body.applicationNo } });
    expect((await api.get(`/api/v1/pre-review-status?preReviewNo=${preReviewNo}&queryCode=${queryCode}`)).body.applicationNo).to.equal(formal.body.applicationNo);
    const twice = await api.post('/api/v1/online-applications', { ...fromPre(body.applicant.uscc), fromPreReview: id, preReviewQueryCode: queryCode });
    expect(twice.status).to.equal(409);
    const lateAnswer = await api.post(`/api/v1/pre-reviews/${id}/answer`, { verdict: 'needs_more', findings, note: '' }, tokens.reviewer);
    expect(lateAnswer.status).to.equal(409);
  });

  it('when a clerk submits a pre-review and the window makes the application from it, then the intake takes over the applicant and materials, and an unanswered one is refused', async () => {
    const uscc = freshUscc('370681');
    const created = await api.post('/api/v1/pre-reviews', preReviewBody(uscc), tokens.clerk);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ status: 'submitted', channel: 'window' });
    const early = await api.post('/api/v1/applications', { ...fromPre(uscc), channel: 'window', fromPreReview: created.body.id }, tokens.clerk);
    expect(early.status).to.equal(409);

    const ready = await api.post(`/api/v1/pre-reviews/${created.body.id}/answer`, { verdict: 'ready', findings: allSufficient(ITEM_MATERIALS) }, tokens.reviewer);
    expect(ready.status, JSON.stringify(ready.body)).to.equal(200);
    expect((await api.get('/api/v1/pre-reviews', tokens.reviewer)).body.items.map((i: { id: string }) => i.id)).to.not.include(created.body.id);
    const recent = await api.get('/api/v1/pre-reviews?recent=true', tokens.reviewer);
    expect(recent.body.items.find((i: { id: string }) => i.id === created.body.id)).to.include({ status: 'answered' });

    const other = await api.post('/api/v1/applications', { ...fromPre(uscc), itemCode: PLAIN_ITEM, channel: 'window', fromPreReview: created.body.id }, tokens.clerk);
    expect(other.status).to.equal(400);
    const intake = await api.post('/api/v1/applications', { ...fromPre(uscc), channel: 'window', fromPreReview: created.body.id }, tokens.clerk);
    expect(intake.status, JSON.stringify(intake.body)).to.equal(201);
    expect(intake.body.applicant.uscc).to.equal(uscc);
    expect(intake.body.preReview).to.include({ verdict: 'ready', preReviewNo: created.body.preReviewNo });
    expect(intake.body.materials.find((m: { code: string }) => m.code === 'M02').provided).to.equal(true);
  });

  it('when staff of another jurisdiction or a clerk reach a pre-review, then reading is 404 and answering 404 or 403', async () => {
    const created = await api.post('/api/v1/pre-reviews', preReviewBody(), tokens.clerk);
    const id = created.body.id;
    expect((await api.get(`/api/v1/pre-reviews/${id}`, tokens.foreign)).status).to.equal(404);
    expect((await api.post(`/api/v1/pre-reviews/${id}/answer`, { verdict: 'ready', findings: allSufficient(ITEM_MATERIALS) }, tokens.foreign)).status).to.equal(404);
    expect((await api.get('/api/v1/pre-reviews', tokens.foreign)).body.items.map((i: { id: string }) => i.id)).to.not.include(id);
    const byClerk = await api.post(`/api/v1/pre-reviews/${id}/answer`, { verdict: 'ready', findings: allSufficient(ITEM_MATERIALS) }, tokens.clerk);
    expect(byClerk.status).to.equal(403);
    expect(byClerk.body.error.code).to.equal('FORBIDDEN');
    expect((await api.get(`/api/v1/pre-reviews/${id}`)).status).to.equal(401);
    const foreignIntake = await api.post('/api/v1/applications', { ...fromPre(), channel: 'window', fromPreReview: id }, await api.login('qd-reviewer', 'qingdao-demo'));
    expect(foreignIntake.status).to.equal(403); // intake is the clerk's
  });

  it('when the input is bad, then each is a 400 that names the problem and nothing is created', async () => {
    const bad = async (body: object, path = '/api/v1/online-pre-reviews', token?: string) => {
      const res = await api.post(path, body, token);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      return res.body.error.message as string;
    };
    expect(await bad(preReviewBody(freshUscc(), PLAIN_ITEM))).to.include('不办理容缺预审');
    expect(await bad({ ...preReviewBody(), applicant: { ...preReviewBody().applicant, uscc: '91440300192189148B' } })).to.match(/校验|check/i);
    expect(await bad({ ...preReviewBody(), materials: [{ code: 'M99', provided: true }] })).to.include('M99');
    expect(await bad({ ...preReviewBody(), project: { name: '', location: 'x', description: 'y' } })).to.include('project.name');
    const png = await submitOnlineForm(app.url, { ...preReviewBody(), itemCode: 'NOPE' }, [{ material: 'M01', bytes: samplePng(), name: 'a.png' }]);
    expect(png.status).to.equal(400);

    const created = await api.post('/api/v1/pre-reviews', preReviewBody(), tokens.clerk);
    const answer = `/api/v1/pre-reviews/${created.body.id}/answer`;
    expect(await bad({ verdict: 'ready', findings: allSufficient(['M01']) }, answer, tokens.reviewer)).to.include('M02');
    expect(await bad({ verdict: 'ready', findings: [...allSufficient(['M02', 'M03', 'M04', 'M05', 'M06']), { material: 'M01', finding: 'missing', note: '' }] }, answer, tokens.reviewer)).to.include('ready');
    expect(await bad({ verdict: 'needs_more', findings: [...allSufficient(['M02', 'M03', 'M04', 'M05', 'M06']), { material: 'M01', finding: 'to_be_revised' }] }, answer, tokens.reviewer)).to.include('note');
    expect(await bad({ verdict: 'maybe', findings: allSufficient(ITEM_MATERIALS) }, answer, tokens.reviewer)).to.include('verdict');
    expect(await bad({ ...fromPre(), fromPreReview: created.body.id }, '/api/v1/online-applications')).to.include('preReviewQueryCode');
    expect((await api.get(`/api/v1/pre-reviews/${created.body.id}`, tokens.reviewer)).body.status).to.equal('submitted');
  });

  it('when a reviewer reads a pre-review, then its answer form is the answer\'s own JSON Schema with a row per material, started from what was provided, and none once converted', async () => {
    const created = await api.post('/api/v1/pre-reviews', preReviewBody(), tokens.clerk);
    const view = (await api.get(`/api/v1/pre-reviews/${created.body.id}`, tokens.reviewer)).body;
    const form = view.answerForm;
    expect(form.properties).to.have.keys('verdict', 'findings', 'note');
    expect(form.properties.verdict.enum).to.deep.equal(Object.keys(VERDICT_LABELS));
    expect(form.properties.verdict['x-enumLabels']).to.deep.equal(VERDICT_LABELS);
    const row = form.properties.findings.items;
    expect(row.properties.finding.enum).to.deep.equal(Object.keys(FINDING_LABELS));
    expect(row.properties.material.enum).to.deep.equal(ITEM_MATERIALS);
    expect(form.properties.findings['x-default'].map((f: { material: string; finding: string }) => `${f.material}:${f.finding}`))
      .to.deep.equal(['M01:missing', 'M02:sufficient', 'M03:missing', 'M04:missing', 'M05:missing', 'M06:missing']);
    expect((await api.get(`/api/v1/pre-reviews/${created.body.id}`, tokens.clerk)).body.answerForm, 'a clerk does not answer').to.equal(null);
  });

  describe('when a writer stops half way through making an application from a pre-review', () => {
    const services = () => app.runtime.services;
    const answeredOnline = async () => {
      const body = preReviewBody(freshUscc('370681'));
      const submitted = await submitOnlineForm(app.url, body, [{ material: 'M01', bytes: samplePdf('carried over'), name: '安全评价报告.pdf' }]);
      expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
      expect((await api.post(`/api/v1/pre-reviews/${submitted.body.id}/answer`, { verdict: 'ready', findings: allSufficient(ITEM_MATERIALS) }, tokens.reviewer)).status).to.equal(200);
      return { id: submitted.body.id as string, preReviewNo: submitted.body.preReviewNo as string, queryCode: submitted.body.queryCode as string, uscc: body.applicant.uscc };
    };
    const later = (minutes: number) => app.clock.set(new Date(app.clock.now().getTime() + minutes * 60_000).toISOString());
    const pending = () => app.runtime.conn.db!.collection('pre_review_conversions_pending').countDocuments({});

    it('between creating the application and linking it back, then readers see the link at once, it is not made twice, and the sweep writes the link and the files', async () => {
      const pre = await answeredOnline();
      // The writer stops right after the application is created: its first write after that fails.
      const files = services().files;
      const add = files.add;
      files.add = async () => { throw new Error('writer stopped'); };
      let stopped;
      try {
        stopped = await api.post('/api/v1/applications', { ...fromPre(pre.uscc), channel: 'window', fromPreReview: pre.id }, tokens.clerk);
      } finally {
        files.add = add;
      }
      expect(stopped.status).to.equal(500);
      const applicationId = (await services().preReviews.conversionOf(pre.id))!.applicationId!;
      const application = await api.get(`/api/v1/applications/${applicationId}`, tokens.reviewer);
      expect(application.status).to.equal(200);
      expect(application.body.preReview).to.include({ id: pre.id, verdict: 'ready' });
      expect((await services().preReviews.get(pre.id))!.status, 'the link back is not written').to.equal('answered');

      // Read, the pre-review is already the application's; a second conversion and a late answer are refused.
      const staffView = await api.get(`/api/v1/pre-reviews/${pre.id}`, tokens.reviewer);
      expect(staffView.body).to.deep.include({ status: 'converted', application: { id: applicationId, applicationNo: application.body.applicationNo }, answerForm: null });
      expect((await api.get(`/api/v1/pre-review-status?preReviewNo=${pre.preReviewNo}&queryCode=${pre.queryCode}`)).body.applicationNo).to.equal(application.body.applicationNo);
      expect((await api.post('/api/v1/applications', { ...fromPre(pre.uscc), channel: 'window', fromPreReview: pre.id }, tokens.clerk)).status).to.equal(409);
      expect((await api.post('/api/v1/online-applications', { ...fromPre(pre.uscc), fromPreReview: pre.id, preReviewQueryCode: pre.queryCode })).status).to.equal(409);
      expect((await api.post(`/api/v1/pre-reviews/${pre.id}/answer`, { verdict: 'ready', findings: allSufficient(ITEM_MATERIALS) }, tokens.reviewer)).status).to.equal(409);

      // A writer may still be at work for a while: the sweep leaves a fresh marker alone, then finishes it.
      expect(await repairConversions(services())).to.deep.equal({ finished: 0, released: 0 });
      later(1);
      const report = await rebuildViewsJob.run(services(), app.clock.now());
      expect(report.lines.join('\n')).to.match(/1 conversion\(s\) finished/);
      const repaired = (await services().preReviews.get(pre.id))!;
      expect(repaired).to.deep.include({ status: 'converted', application: { id: applicationId, applicationNo: application.body.applicationNo } });
      expect(repaired.timeline.map((t) => t.event)).to.include('PRE_REVIEW_CONVERTED');
      const carried = async () => (await api.get(`/api/v1/applications/${applicationId}/files`, tokens.reviewer)).body.materials.find((m: { code: string }) => m.code === 'M01').files;
      expect((await carried()).map((f: { name: string }) => f.name)).to.deep.equal(['安全评价报告.pdf']);
      expect(await pending()).to.equal(0);
      // Once more changes nothing.
      expect(await repairConversions(services(), 0)).to.deep.equal({ finished: 0, released: 0 });
      expect(await carried()).to.have.length(1);
    });

    it('after claiming and before creating the application, then the sweep gives the claim back and the application can be made', async () => {
      const pre = await answeredOnline();
      expect(await services().preReviews.claimConversion(pre.id, { kind: 'staff', id: 'clerk', name: 'stopped writer' }, app.clock.now(), randomUUID())).to.equal(true);
      expect((await api.post('/api/v1/applications', { ...fromPre(pre.uscc), channel: 'window', fromPreReview: pre.id }, tokens.clerk)).status).to.equal(409);
      expect((await api.get(`/api/v1/pre-reviews/${pre.id}`, tokens.reviewer)).body.status, 'no application: not converted').to.equal('answered');
      later(1);
      expect(await repairConversions(services())).to.deep.equal({ finished: 0, released: 1 });
      const made = await api.post('/api/v1/applications', { ...fromPre(pre.uscc), channel: 'window', fromPreReview: pre.id }, tokens.clerk);
      expect(made.status, JSON.stringify(made.body)).to.equal(201);
      expect((await api.get(`/api/v1/pre-reviews/${pre.id}`, tokens.reviewer)).body.application).to.deep.equal({ id: made.body.id, applicationNo: made.body.applicationNo });
      expect(await pending()).to.equal(0);
    });
  });

  it('when the pre-review views are dropped and rebuilt, then the work list, the recent list and the lookup by number answer as before', async () => {
    const open = await api.post('/api/v1/pre-reviews', preReviewBody(), tokens.clerk);
    const answered = await api.post('/api/v1/pre-reviews', preReviewBody(), tokens.clerk);
    await api.post(`/api/v1/pre-reviews/${answered.body.id}/answer`, { verdict: 'ready', findings: allSufficient(ITEM_MATERIALS) }, tokens.reviewer);
    const answers = async () => Promise.all([
      api.get('/api/v1/pre-reviews?limit=200', tokens.reviewer),
      api.get('/api/v1/pre-reviews?recent=true&limit=200', tokens.reviewer),
      api.get(`/api/v1/pre-review-status?preReviewNo=${open.body.preReviewNo}&queryCode=${open.body.queryCode}`),
    ].map(async (r) => { const res = await r; return { status: res.status, body: res.body }; }));
    const before = await answers();
    expect(before[0].body.items.map((i: { id: string }) => i.id)).to.include(open.body.id).and.not.include(answered.body.id);
    expect(before[1].body.items.map((i: { id: string }) => i.id)).to.include.members([open.body.id, answered.body.id]);

    const db = app.runtime.conn.db!;
    for (const name of ['open_pre_reviews', 'pre_review_numbers', 'pre_review_log']) await db.collection(name).deleteMany({});
    const emptied = await answers();
    expect(emptied[0].body.items).to.deep.equal([]);
    expect(emptied[2].status).to.equal(404);
    const report = await rebuildViewsJob.run(app.runtime.services, app.clock.now());
    expect(report.ok).to.equal(true);
    expect(await answers()).to.deep.equal(before);
  });
});

import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { reminderKey, reminderMessageId } from '../src/certificates/reminder-plan';
import { apiClient, applicationBody } from './helpers/api-client';
import { ARTIFACTS, consoleHooks, launchBrowser, staffSignIn, staffSignOut, type TestBrowser } from './helpers/browser';
import { startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc } from './helpers/workflow';

const DEFICIENT_ITEM = '370000-AQ-XK-003'; // 危险化学品经营许可证（不带有储存设施）: county level, 容缺受理 allowed
const PLAIN_ITEM = '370000-AQ-XK-004';
const COMMITMENT_ITEM = '370000-AQ-XK-006'; // 烟花爆竹经营（零售）: county level, 告知承诺

describe('web consoles in headless Chromium', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const api = apiClient(() => app.url);
  const created = { applicationNo: '', queryCode: '', id: '' };
  let correction: { applicationNo: string; queryCode: string; id: string };

  before(async function () {
    app = await startTestApp();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // Printing opens no dialog in a test; count the calls instead.
    await page.addInitScript(() => {
      const w = globalThis as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => void (w.printed += 1);
    });
    await arrangeWorkList();
  });
  consoleHooks(() => ({ browser, page, app }));

  /** Applications that make the work list worth reading: one overdue, one verification task, one awaiting correction. */
  async function arrangeWorkList() {
    const clerk = await api.login('clerk');
    const submit = async (body: ReturnType<typeof applicationBody>) => (await api.post('/api/v1/applications', body, clerk)).body;
    const send = (id: string, event: object) => api.post(`/api/v1/applications/${id}/events`, event, clerk);

    app.clock.set('2026-01-05T02:00:00Z');
    const late = await submit(applicationBody(PLAIN_ITEM));
    await send(late.id, { type: 'ACCEPT' });
    app.clock.set('2026-03-02T02:00:00Z');

    const pledged = await submit({ ...applicationBody(COMMITMENT_ITEM), applicant: { ...applicationBody(COMMITMENT_ITEM).applicant, divisionCode: '370602' } });
    await send(pledged.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '王经理', signedAt: '2026-03-02T02:00:00Z' } });

    const fixable = await submit(applicationBody(PLAIN_ITEM));
    await send(fixable.id, { type: 'REQUEST_CORRECTION', items: [{ material: 'M03', description: '安全评价报告缺少评价机构签章页' }] });
    correction = { applicationNo: fixable.applicationNo, queryCode: fixable.queryCode, id: fixable.id };
  }

  const main = () => page.locator('main');
  const signIn = (username: string) => staffSignIn(page, app.url, username);
  const signOut = () => staffSignOut(page);

  it('when a clerk signs in, then the work list shows lights and due dates, with overdue and verification tasks standing out', async () => {
    await signIn('clerk');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('工作清单');
    const nav = await page.locator('#nav').textContent();
    expect(nav).to.include('收件受理').and.include('证照').and.not.include('账号管理');
    await page.locator('tr.row-overdue').first().waitFor();
    expect(await page.locator('tr.row-overdue').count()).to.equal(1);
    expect(await page.locator('tr.row-overdue').textContent()).to.include('红灯').and.include('逾期');
    expect(await page.locator('tr.row-verify').textContent()).to.include('核查任务').and.include('核查截止');
    expect(await main().textContent()).to.include('补正截止 2026-04-01');
    await browser.screenshot(page, 'staff-worklist');

    await page.getByLabel('计时灯').selectOption('red');
    await page.getByText('显示 1 件（共 3 件）').waitFor();
    expect(await page.locator('tbody tr.row-overdue').count()).to.equal(1);
    await page.getByLabel('计时灯').selectOption('');
    await page.getByText('显示 3 件（共 3 件）').waitFor();
  });

  it('when the clerk registers an application and accepts it with a deficiency, then the notice names the missing secondary material', async () => {
    await page.getByRole('link', { name: '收件受理' }).click();
    await page.getByLabel('按事项名称或编码搜索').fill('AQ-XK-003');
    await page.getByRole('radio', { name: new RegExp(DEFICIENT_ITEM) }).check();

    // Waived materials (数据共享, 告知承诺) start ticked and say why; M06 (secondary) stays missing.
    const checklist = page.locator('table.checklist');
    expect(await checklist.textContent()).to.include('数据共享').and.include('告知承诺').and.include('核心').and.include('次要');
    for (const code of ['M02', 'M04', 'M05']) expect(await page.locator(`input[data-material="${code}"]`).isChecked(), code).to.equal(true);
    for (const code of ['M01', 'M03', 'M07']) await page.locator(`input[data-material="${code}"]`).check();

    await page.getByLabel('申请单位名称').fill('烟台芝罘安达化工商贸有限公司');
    const uscc = page.getByLabel('统一社会信用代码');
    await uscc.pressSequentially('91440300192189148B');
    expect(await page.locator('.field-help.bad').textContent()).to.include('校验码错误').and.include('W');
    expect(await uscc.getAttribute('aria-invalid')).to.equal('true');
    await uscc.fill('91440300192317458F');
    expect(await page.locator('.field-help.good').textContent()).to.include('代码有效');
    await page.getByLabel('所在行政区划').selectOption('370602');
    await page.getByLabel('联系人').fill('王经理');
    await page.getByLabel('联系电话').fill('0535-6612345');
    await page.getByLabel('电子邮箱').fill('wang@anda-chem.example');
    await browser.screenshot(page, 'staff-intake-form');

    await page.getByRole('button', { name: '收件登记' }).click();
    await page.getByRole('heading', { name: '已收件登记' }).waitFor();
    created.applicationNo = (await page.locator('dd[data-field="applicationNo"]').textContent())!;
    created.queryCode = (await page.locator('dd[data-field="queryCode"]').textContent())!;
    expect(created.applicationNo).to.match(/^370602-20260302-\d{5}$/);
    expect(created.queryCode).to.match(/^[A-Z2-9]{8}$/);

    // Only what the item and state allow: this item takes 容缺 but not 告知承诺.
    const actions = page.locator('section.actions');
    expect(await actions.locator('button[data-event]').allTextContents()).to.deep.equal(['受理', '容缺受理', '审查材料', '一次性告知补正', '不予受理', '撤回申请']);
    await actions.getByRole('button', { name: '容缺受理', exact: true }).click();
    expect(await page.getByRole('checkbox', { name: /M06/ }).isChecked()).to.equal(true);
    expect(await page.getByLabel('承诺书签署人').inputValue()).to.equal('王经理');
    await page.getByRole('button', { name: '确认：容缺受理' }).click();
    await page.getByRole('status').filter({ hasText: '容缺受理，审查中' }).waitFor();

    await page.getByRole('button', { name: '打印容缺受理通知书' }).click();
    const notice = await page.locator('#print-area').textContent();
    expect(notice).to.include('容缺受理通知书').and.include('危险化学品事故应急预案').and.not.include('从业人员安全教育培训记录');
    expect(notice).to.match(/请于 2026-\d\d-\d\d 前补交/);
    expect(await page.evaluate(() => (globalThis as unknown as { printed: number }).printed)).to.equal(1);
    await browser.screenshot(page, 'staff-intake-decided');
  });

  it('when the clerk opens the application and records the supplement, then the deficiency is cleared and the diagram shows the state', async () => {
    await page.getByRole('link', { name: '打开办件' }).click();
    await page.getByRole('heading', { name: '流程图' }).waitFor();
    created.id = page.url().split('/').pop()!;
    expect(await page.locator('g.state.is-active').first().getAttribute('data-state')).to.equal('review');
    expect(await page.locator('g.child.is-active').getAttribute('data-state')).to.equal('review.active');
    expect(await page.locator('tr.row-missing').textContent()).to.include('M06');
    expect(await page.locator('.col-side').textContent()).to.include('容缺补交截止');

    await page.getByRole('button', { name: '补交容缺材料' }).click();
    await page.getByRole('button', { name: '确认：补交容缺材料' }).click();
    await page.getByRole('status').filter({ hasText: '审查中' }).waitFor();
    expect(await page.locator('tr.row-missing').count()).to.equal(0);
    expect(await page.locator('ol.timeline').textContent()).to.include('容缺受理').and.include('补齐容缺材料');
    await browser.screenshot(page, 'staff-application-clerk');
    await page.locator('figure.diagram').screenshot({ path: `${ARTIFACTS}/staff-process-diagram.png` });
  });

  it('when the clerk prints the one-time correction notice, then it lists every item with the deadline', async () => {
    await page.goto(`${app.url}/staff/#/applications/${correction.id}`);
    await page.getByRole('button', { name: '打印一次性告知书' }).click();
    const notice = await page.locator('#print-area').textContent();
    expect(notice).to.include('一次性告知').and.include('安全评价报告缺少评价机构签章页').and.include('2026-04-01');
    await signOut();
  });

  it('when a reviewer signs in, then intake is neither shown nor reachable, and the reviewer approves from the application page', async () => {
    await signIn('reviewer');
    expect(await page.locator('#nav').textContent()).to.not.include('收件受理');
    await page.goto(`${app.url}/staff/#/intake`);
    await page.getByRole('heading', { name: '无权访问' }).waitFor();

    await page.goto(`${app.url}/staff/#/worklist`);
    await page.getByRole('link', { name: created.applicationNo }).click();
    await page.getByRole('heading', { name: '流程图' }).waitFor();
    expect(await page.locator('g.edge.is-allowed').count()).to.be.greaterThan(0);
    expect(await page.locator('section.actions button[data-event]').allTextContents()).to.include.members(['准予许可', '不予许可']);
    await page.getByRole('button', { name: '准予许可', exact: true }).click();
    await page.getByRole('button', { name: '确认：准予许可' }).click();
    await page.getByRole('status').filter({ hasText: '已办结' }).waitFor();
    expect(await page.locator('g.state.is-active').getAttribute('data-state')).to.equal('completed');
    expect(await page.locator('ol.timeline').textContent()).to.include('证照已制发');
    await browser.screenshot(page, 'staff-application-reviewer');
    await signOut();
  });

  it('when the enterprise looks up its status, then it reads a plain-language timeline', async () => {
    await page.goto(`${app.url}/`);
    await page.getByLabel('申请编号').fill(created.applicationNo);
    await page.getByLabel('查询码').fill(created.queryCode.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    const result = page.locator('.status-result');
    await result.waitFor();
    expect(await result.textContent()).to.include('已办结');
    expect(await result.locator('ol.timeline li').allTextContents()).to.deep.equal([
      '2026-03-02提交申请', '2026-03-02容缺受理', '2026-03-02补齐容缺材料', '2026-03-02审查通过，准予许可', '2026-03-02证照已制发',
    ]);
    await browser.screenshot(page, 'public-status');
  });

  it('when instruments were issued, then the enterprise\'s status page and the staff application page list them with their 文号 and open the PDF', async () => {
    await app.runtime.services.effects.drain();
    await page.getByRole('button', { name: '查询' }).click();
    const listed = page.locator('.status-result [data-field="documents"] li');
    await listed.nth(2).waitFor();
    expect(await listed.allTextContents()).to.satisfy((rows: string[]) =>
      rows[0].includes('容缺受理通知书') && /芝应急许容〔2026〕\d+号/.test(rows[0]) && rows[1].includes('准予行政许可决定书') && rows[2].includes('电子证照'));
    await browser.screenshot(page, 'public-status-documents');

    await signIn('clerk');
    await page.goto(`${app.url}/staff/#/applications/${created.id}`);
    const rows = page.locator('section.card [data-field="documents"] li');
    await rows.nth(2).waitFor();
    expect(await rows.first().textContent()).to.include('容缺受理通知书').and.include('2026-03-02');
    const [popup] = await Promise.all([page.waitForEvent('popup'), rows.first().getByRole('button', { name: '下载 PDF' }).click()]);
    await popup.waitForLoadState();
    expect(popup.url()).to.match(/^blob:/);
    await popup.close();
    await page.locator('section.card', { has: page.locator('#documents-h') }).screenshot({ path: `${ARTIFACTS}/staff-application-documents.png` });
    await browser.screenshot(page, 'staff-application-documents-page');
    await signOut();
    await page.goto(`${app.url}/`);
  });

  it('when a correction is expected, then the enterprise sees what to supply and by when, and the English switch works', async () => {
    await page.getByLabel('申请编号').fill(correction.applicationNo);
    await page.getByLabel('查询码').fill(correction.queryCode);
    await page.getByRole('button', { name: '查询' }).click();
    const expected = page.locator('[data-field="expected"]');
    await expected.waitFor();
    expect(await expected.textContent()).to.include('补正材料').and.include('安全评价报告缺少评价机构签章页').and.include('截止 2026-04-01');
    await browser.screenshot(page, 'public-status-expected');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Application status' }).waitFor();
    expect(await page.locator('.status-result').textContent()).to.include('What you need to do now').and.include('by 2026-04-01');
    await page.getByRole('button', { name: '切换到中文' }).click();
  });

  it('when the query code is wrong, then the page answers neutrally, the same as for an unknown number', async () => {
    await page.getByLabel('申请编号').fill(created.applicationNo);
    await page.getByLabel('查询码').fill('WRONG234');
    await page.getByRole('button', { name: '查询' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const wrongCode = await alert.textContent();
    expect(wrongCode).to.equal('未查询到办件信息。请核对申请编号和查询码后重试。');
    await browser.screenshot(page, 'public-status-wrong-code');
    await page.getByLabel('申请编号').fill('370602-20990101-00001');
    await page.getByLabel('查询码').fill(created.queryCode);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).to.equal(wrongCode);
  });

  it('when an enterprise applies online, then it receives the application number and query code', async () => {
    await page.getByRole('tab', { name: '网上申请' }).click();
    await page.getByLabel('事项').selectOption(PLAIN_ITEM);
    for (const code of ['M01', 'M03', 'M04']) await page.locator(`input[data-material="${code}"]`).check();
    await page.getByLabel('申请单位名称').fill('烟台港城精细化工有限公司');
    await page.getByLabel('统一社会信用代码').fill('91110000710925462X');
    await page.getByLabel('所在行政区划').selectOption('370681');
    await page.getByLabel('联系人').fill('李工');
    await page.getByLabel('联系电话').fill('0535-8812345');
    await page.getByLabel('电子邮箱').fill('li@gangcheng.example');
    await browser.screenshot(page, 'public-apply');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: '申请已提交' }).waitFor();
    expect(await page.locator('dd[data-field="applicationNo"]').textContent()).to.match(/^370600-20260302-\d{5}$/);
    expect(await page.locator('dd[data-field="queryCode"]').textContent()).to.match(/^[A-Z2-9]{8}$/);
    await browser.screenshot(page, 'public-apply-done');
  });

  it('when the approved licence is checked, then the public check says valid and staff find it with its reminder history', async () => {
    const certificateNo = (await api.get(`/api/v1/applications/${created.id}`, await api.login('clerk'))).body.certificateNo as string;
    expect(certificateNo).to.be.a('string');
    await page.goto(`${app.url}/#certificate`);
    await page.getByLabel('证照编号').fill(certificateNo);
    await page.getByLabel('统一社会信用代码').fill('91440300192317458F');
    await page.getByRole('button', { name: '核验' }).click();
    await page.getByRole('heading', { name: '证照有效' }).waitFor();
    await browser.screenshot(page, 'public-certificate-check');
    await page.getByLabel('统一社会信用代码').fill('91110000710925462X');
    await page.getByRole('button', { name: '核验' }).click();
    await page.getByRole('heading', { name: /未找到该证照/ }).waitFor();

    await signIn('clerk');
    await page.getByRole('link', { name: '证照' }).click();
    await page.getByLabel('统一社会信用代码或证照编号').fill('91440300192317458F');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('button', { name: certificateNo }).click();
    await page.getByRole('heading', { name: '到期提醒记录' }).waitFor();
    expect(await main().textContent()).to.include('有效').and.include('烟台芝罘安达化工商贸有限公司');
    await page.getByRole('button', { name: '显示' }).click();
    await page.getByRole('heading', { name: /天内到期/ }).waitFor();
    await browser.screenshot(page, 'staff-certificates');
  });

  it('when a reminder was given up, then a clerk retries it from the certificate page and sees it sent', async () => {
    const certificateNo = (await api.get(`/api/v1/applications/${created.id}`, await api.login('clerk'))).body.certificateNo as string;
    const cert = (await app.runtime.services.certificates.find(certificateNo))!;
    const key = reminderKey(certificateNo, cert.validUntil!, 30);
    await app.runtime.services.reminders.queueOnce({
      key, certificateNumber: certificateNo, validUntil: cert.validUntil!, leadDays: 30, daysLeft: 30, itemCode: cert.itemCode, jurisdiction: cert.jurisdiction,
      holderName: cert.holder.name, to: cert.holder.email, subject: `证照到期提醒 ${certificateNo}`, text: '您的许可证即将到期。',
      messageId: reminderMessageId(certificateNo, cert.validUntil!, 30), queuedAt: new Date(), state: 'given_up', attempts: 10, nextAttemptAt: null,
      lastError: '451 mailbox unavailable', sentAt: null, smtpMessageId: null,
    });
    await page.getByRole('link', { name: '证照' }).click();
    await page.getByLabel('统一社会信用代码或证照编号').fill(certificateNo);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('button', { name: certificateNo }).click();
    await page.getByRole('button', { name: '重新发送' }).click();
    await page.getByText('提醒已重新发送').waitFor();
    expect(await page.getByRole('button', { name: '重新发送' }).count()).to.equal(0);
    expect(app.smtp.received.filter((m) => m.messageId === reminderMessageId(certificateNo, cert.validUntil!, 30))).to.have.length(1);
    await browser.screenshot(page, 'staff-reminder-retried');
  });

  it('when the API reference is opened, then every operation is listed', async () => {
    await page.goto(`${app.url}/api/docs/`);
    await page.locator('article.operation').first().waitFor();
    expect(await page.locator('article.operation').count()).to.be.greaterThan(15);
    await browser.screenshot(page, 'api-docs', false);
  });

  it('when a due date reaches 2027, whose schedule is not published, then the application page, the work list and the public status page mark it provisional', async () => {
    // Tokens are signed as of the test clock, so sign in after moving it.
    app.clock.set('2026-12-01T02:00:00Z');
    const clerk = await api.login('clerk');
    const submitted = await api.post('/api/v1/applications', applicationBody(PLAIN_ITEM, { uscc: freshUscc() }), clerk);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    const late = submitted.body;
    await api.post(`/api/v1/applications/${late.id}/events`, { type: 'ACCEPT' }, clerk);
    const extended = await api.post(`/api/v1/applications/${late.id}/events`, { type: 'EXTEND', reason: '涉及多部门会商，经负责人批准延长' }, await api.login('reviewer'));
    expect(extended.status, JSON.stringify(extended.body)).to.equal(200);
    expect(extended.body.clock).to.deep.include({ dueDate: '2027-01-13', provisional: true });
    const note = '暂按法定节假日计算，待国务院公布 2027 年节假日安排后确定';

    await signIn('clerk');
    await page.goto(`${app.url}/staff/#/applications/${late.id}`);
    await page.getByRole('heading', { name: '流程图' }).waitFor();
    expect(await page.locator('section:has(#clock-h)').textContent()).to.include('2027-01-13').and.include('暂定').and.include(note);
    await browser.screenshot(page, 'staff-application-provisional');
    await page.getByRole('link', { name: '工作清单', exact: true }).click();
    const row = page.locator('tbody tr', { hasText: late.applicationNo });
    await row.waitFor();
    expect(await row.textContent()).to.include('2027-01-13').and.include('暂定');
    expect(await row.locator('[data-provisional]').getAttribute('title')).to.equal(note);

    await page.goto(`${app.url}/`);
    await page.getByLabel('申请编号').fill(late.applicationNo);
    await page.getByLabel('查询码').fill(late.queryCode);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('[data-field="provisional"]').waitFor();
    expect(await page.locator('[data-field="dueDate"]').textContent()).to.include('2027-01-13').and.include('暂定');
    expect(await page.locator('[data-field="provisional"]').textContent()).to.equal(note);
    await browser.screenshot(page, 'public-status-provisional');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Application status' }).waitFor();
    expect(await page.locator('[data-field="provisional"]').textContent()).to.include('Provisional until the official 2027 holiday schedule is published');
    await page.getByRole('button', { name: '切换到中文' }).click();
  });
});

import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './helpers/browser';
import { startTestApp, type TestApp } from './helpers/test-app';
import { workflow } from './helpers/workflow';

const INSPECTED_ITEM = '370000-AQ-XK-005'; // 烟花爆竹批发: site inspection required, 协查 time excluded

describe('web consoles: 部门协查 and 现场核查 in headless Chromium', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const flow = workflow(() => app);
  let applicationId = '';
  let token = '';
  let applicationNo = '';

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await flow.signIn('clerk', 'reviewer');
    const created = await flow.submit(INSPECTED_ITEM);
    applicationId = created.id;
    applicationNo = created.applicationNo;
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    await flow.sendOk(created.id, { type: 'REQUEST_ASSISTANCE', department: '烟台市公安局', email: 'psb@example.gov.cn', questions: '请核实主要负责人有无违法犯罪记录。', workingDays: 5 }, 'reviewer');
    await flow.sendOk(created.id, { type: 'REQUEST_ASSISTANCE', department: '烟台市自然资源和规划局', email: 'zrzy@example.gov.cn', questions: '请核实仓库用地性质。', workingDays: 3 }, 'reviewer');
    await flow.sendOk(created.id, { type: 'RECORD_ASSISTANCE', requestId: 'A2', answer: '仓储用地，手续齐全。' }, 'reviewer');
    await flow.sendOk(created.id, { type: 'SCHEDULE_INSPECTION', date: '2026-03-02', place: '烟台市芝罘区仓库路 1 号', inspectors: ['reviewer', 'clerk'] }, 'reviewer');
    await flow.sendOk(created.id, {
      type: 'RECORD_INSPECTION', conclusion: 'fail', note: '消防设施不合格，整改后复查',
      points: [{ code: 'P1', result: 'pass' }, { code: 'P2', result: 'fail', note: '消防栓压力不足' }, { code: 'P3', result: 'pass' }, { code: 'P4', result: 'not_applicable', note: '新建仓库' }],
    }, 'reviewer');
    await flow.settled();
    const mail = app.smtp.received.filter((m) => m.to.includes('psb@example.gov.cn')).at(-1)!;
    token = /assistance\.html\?token=([A-Za-z0-9_.-]+)/.exec(mail.text)![1];
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });
  afterEach(() => expect(page.errors, 'script errors on the page').to.deep.equal([]));

  it('when a reviewer opens the application, then the 协查 requests with their light and answer and the inspection point by point are shown', async () => {
    await page.goto(`${app.url}/staff/`);
    await page.getByLabel('用户名').fill('reviewer');
    await page.getByLabel('密码').fill('demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '工作人员登录' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: applicationNo }).waitFor();
    // The work list shows the open request's deadline; the application opens from it.
    expect(await page.locator('main').textContent()).to.include('协查答复期限 A1');
    await page.getByRole('link', { name: applicationNo }).click();
    const assistance = page.locator('section[data-panel="assistance"]');
    await assistance.waitFor();
    expect(await assistance.locator('tr[data-request="A1"]').textContent()).to.include('待答复').and.include('烟台市公安局');
    expect(await assistance.locator('tr[data-request="A1"] .light').count()).to.equal(1);
    expect(await assistance.locator('tr[data-request="A2"]').textContent()).to.include('仓储用地，手续齐全。');
    const inspection = page.locator('section[data-panel="inspection"]');
    expect(await inspection.locator('tr.row-missing').textContent()).to.include('P2').and.include('消防栓压力不足');
    expect(await inspection.textContent()).to.include('不合格');
    await assistance.screenshot({ path: `${process.cwd()}/test-artifacts/staff-assistance.png` });
    await inspection.screenshot({ path: `${process.cwd()}/test-artifacts/staff-inspection.png` });
    await browser.screenshot(page, 'staff-application-assistance-inspection');
  });

  it('when the department opens its link, then it reads the request and answers it without an account', async () => {
    await page.goto(`${app.url}/assistance.html?token=${token}`);
    await page.getByText('请核实主要负责人有无违法犯罪记录。').waitFor();
    await page.getByLabel('答复 / Answer').fill('经核实，无违法犯罪记录。');
    await browser.screenshot(page, 'public-assistance-answer');
    await page.getByRole('button', { name: '提交答复 / Send the answer' }).click();
    await page.getByRole('status').filter({ hasText: '已答复' }).waitFor();
    const view = await flow.read(applicationId, 'reviewer');
    expect(view.details.assistance[0]).to.include({ status: 'answered' });
    expect(view.details.assistance[0].answer).to.include({ text: '经核实，无违法犯罪记录。', channel: 'link' });
  });
});

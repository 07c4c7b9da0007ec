import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { apiClient } from './helpers/api-client';
import { consoleHooks, launchBrowser, staffSignIn, staffSignOut, type TestBrowser } from './helpers/browser';
import { samplePdf } from './helpers/sample-files';
import { startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc } from './helpers/workflow';

const PRE_REVIEW_ITEM = '370000-AQ-XK-007'; // 危险化学品建设项目安全条件审查: 容缺预审 in 5 working days

// 容缺预审 through the pages: the enterprise submits on the public page, a reviewer answers in the console, the
// enterprise reads the findings, and a clerk registers the formal application from it.
describe('容缺预审 on the public pages and in the staff console (headless Chromium)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const api = apiClient(() => app.url);
  const uscc = freshUscc('370681');
  let submitted: { preReviewNo: string; queryCode: string };

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
  });
  consoleHooks(() => ({ browser, page, app }));

  const lookUp = async () => {
    await page.goto(`${app.url}/#pre-review-status`);
    await page.getByLabel('预审编号').fill(submitted.preReviewNo);
    await page.getByLabel('查询码').fill(submitted.queryCode.toLowerCase());
    await page.getByRole('button', { name: '查看预审意见' }).click();
    await page.locator('#pre-review-h').waitFor();
  };

  it('when an enterprise submits its project with a file on the public page, then it gets the number, the query code and the answer date', async () => {
    await page.goto(`${app.url}/#pre-review`);
    // The form is drawn once the catalog has loaded: its options are read after that, not before.
    await page.getByRole('heading', { name: '容缺预审申请' }).waitFor();
    const items = await page.getByLabel('事项').locator('option').allTextContents();
    expect(items.some((i) => i.startsWith(PRE_REVIEW_ITEM)), 'items that take pre-reviews are offered').to.equal(true);
    expect(items.some((i) => i.startsWith('370000-AQ-XK-004')), 'an item without pre-review is not').to.equal(false);
    await page.getByLabel('事项').selectOption(PRE_REVIEW_ITEM);
    await page.getByLabel('项目名称').fill('裕龙岛炼化一体化项目（一期）');
    await page.getByLabel('建设地点').fill('烟台市龙口市裕龙岛');
    await page.getByLabel('项目概况').fill('2000万吨/年炼油、300万吨/年乙烯及配套储运设施');
    await page.locator('input[type=checkbox][data-material="M02"]').check();
    await page.locator('input[type=file][data-material="M01"]').setInputFiles({ name: '安全评价报告.pdf', mimeType: 'application/pdf', buffer: samplePdf('Safety evaluation') });
    await page.getByLabel('申请单位名称').fill('裕龙石化有限公司');
    await page.getByLabel('统一社会信用代码').fill(uscc);
    await page.getByLabel('所在行政区划').selectOption('370681');
    await page.getByLabel('联系人').fill('李工');
    await page.getByLabel('联系电话').fill('0535-8812345');
    await page.getByLabel('电子邮箱').fill('li@yulong.example');
    await browser.screenshot(page, 'public-pre-review-submit');
    await page.getByRole('button', { name: '提交预审' }).click();
    await page.getByRole('heading', { name: '预审已提交' }).waitFor();
    submitted = {
      preReviewNo: (await page.locator('[data-field=preReviewNo]').textContent())!,
      queryCode: (await page.locator('[data-field=queryCode]').textContent())!,
    };
    expect(submitted.preReviewNo).to.match(/^YS-370600-20260302-\d{5}$/);
    expect(await page.locator('[data-field=answerDue]').textContent()).to.equal('2026-03-09');
    await browser.screenshot(page, 'public-pre-review-submitted');

    await lookUp();
    expect(await page.locator('[data-field=next]').textContent()).to.include('2026-03-09');
    expect(await page.locator('tr[data-material="M01"]').textContent()).to.include('安全评价报告.pdf');
  });

  it('when a reviewer opens the pre-review work list, then it waits there with its light, and the answer form has a finding per material from the answer\'s definition', async () => {
    await staffSignIn(page, app.url, 'reviewer');
    await page.getByRole('link', { name: '容缺预审' }).click();
    const row = page.locator('tr', { has: page.getByRole('link', { name: submitted.preReviewNo }) });
    expect(await row.locator('.light').textContent()).to.include('绿灯');
    await browser.screenshot(page, 'staff-pre-review-list');
    await row.getByRole('link', { name: submitted.preReviewNo }).click();
    await page.getByRole('heading', { name: submitted.preReviewNo }).waitFor();
    expect(await page.locator('#facts-h + dl').textContent()).to.include('裕龙岛炼化一体化项目（一期）').and.include(uscc);
    await page.locator('tr[data-material="M01"]').getByRole('button', { name: '预览' }).click();
    await page.locator('.pdf-pages[data-rendered="true"]').waitFor();

    const form = page.getByRole('form', { name: '出具预审意见' });
    const rows = form.locator('.row[data-row]');
    expect(await rows.count()).to.equal(6);
    // Started from what the enterprise provided: M01 (a file) and M02 (ticked) sufficient, the others missing.
    expect(await rows.filter({ has: page.locator('[data-value="M01"]') }).getByRole('radio', { name: '齐备' }).isChecked()).to.equal(true);
    expect(await form.locator('.row[data-row="M03"]').getByRole('radio', { name: '缺少' }).isChecked()).to.equal(true);
    expect(await form.getByRole('radio').count()).to.equal(6 * 3 + 2);
    // "Ready" with a core material missing is refused by the server, and the page says why.
    await form.getByRole('radio', { name: '材料基本齐备，可正式申请' }).check();
    await form.getByRole('button', { name: '出具预审意见' }).click();
    await form.getByRole('alert').filter({ hasText: 'ready' }).waitFor();

    for (const code of ['M04', 'M05', 'M06']) await form.locator(`.row[data-row="${code}"]`).getByRole('radio', { name: '齐备' }).check();
    const m03 = form.locator('.row[data-row="M03"]');
    await m03.getByRole('radio', { name: '需修改完善' }).check();
    await m03.getByLabel('缺少或修改意见').fill('平面布置图缺少防火间距标注');
    await form.getByRole('radio', { name: '需补充完善材料后再申请' }).check();
    await form.getByLabel('预审说明').fill('修改平面布置图后可正式申请');
    await browser.screenshot(page, 'staff-pre-review-answer');
    await form.getByRole('button', { name: '出具预审意见' }).click();
    await page.getByRole('status').filter({ hasText: '预审意见已出具' }).waitFor();
    expect(await page.locator('tr[data-material="M03"] [data-finding]').textContent()).to.equal('需修改完善：平面布置图缺少防火间距标注');
    expect(await page.locator('#findings-h').locator('..').textContent()).to.include('Yantai reviewer');
    await browser.screenshot(page, 'staff-pre-review-answered');
    await staffSignOut(page);
  });

  it('when the enterprise looks the pre-review up, then it reads the verdict and each finding in Chinese with English beside it', async () => {
    await lookUp();
    expect(await page.locator('[data-field=verdict]').textContent()).to.equal('需补充完善材料后再申请 Supply or revise materials first');
    const m03 = page.locator('tr[data-material="M03"] [data-finding]');
    expect(await m03.getAttribute('data-finding')).to.equal('to_be_revised');
    expect(await m03.textContent()).to.equal('需修改完善 To be revised平面布置图缺少防火间距标注');
    expect(await page.locator('tr[data-material="M01"] [data-finding]').textContent()).to.equal('齐备 Sufficient');
    expect(await page.locator('[data-field=next]').textContent()).to.include('补充或修改');
    await browser.screenshot(page, 'public-pre-review-findings');
  });

  it('when a clerk registers the formal application from the answered pre-review, then it carries the applicant, the materials, the file and the findings its reviewers read', async () => {
    await staffSignIn(page, app.url, 'clerk');
    await page.getByRole('link', { name: '容缺预审' }).click();
    await page.getByLabel('显示最近的预审').check();
    await page.getByRole('link', { name: submitted.preReviewNo }).click();
    expect(await page.getByRole('form', { name: '出具预审意见' }).count(), 'a clerk does not answer').to.equal(0);
    await browser.screenshot(page, 'staff-pre-review-clerk');
    await page.getByRole('button', { name: '据此正式申请（窗口收件）' }).click();
    await page.getByRole('heading', { name: '已收件登记' }).waitFor();
    const applicationNo = (await page.locator('[data-field=applicationNo]').textContent())!;
    expect(applicationNo).to.match(/^370600-20260302-\d{5}$/);
    await browser.screenshot(page, 'staff-pre-review-registered');
    await page.getByRole('link', { name: '打开办件' }).click();
    await page.locator('#pre-review-h').waitFor();
    expect(await page.locator('#pre-review-h').textContent()).to.include(submitted.preReviewNo);
    expect(await page.locator('section', { has: page.locator('#pre-review-h') }).locator('tr[data-material="M03"]').textContent()).to.include('平面布置图缺少防火间距标注');
    expect(await page.locator('#facts-h + dl').textContent()).to.include(uscc);
    await page.locator('#files-h').locator('..').getByText('安全评价报告.pdf').waitFor();
    await browser.screenshot(page, 'staff-application-from-pre-review');
    await staffSignOut(page);

    // The reviewer of the application reads the findings too; the enterprise's lookup names the application.
    await staffSignIn(page, app.url, 'reviewer');
    const login = await api.login('reviewer');
    const list = await api.get(`/api/v1/applications?q=${applicationNo}`, login);
    await page.goto(`${app.url}/staff/#/applications/${list.body.items[0].id}`);
    await page.locator('#pre-review-h').waitFor();
    await staffSignOut(page);
    await lookUp();
    expect(await page.locator('[data-field=applicationNo]').textContent()).to.equal(applicationNo);
  });

  it('when a clerk submits a pre-review for an enterprise at the window, then the same form gives the number and query code, and the pre-review waits for findings', async () => {
    await staffSignIn(page, app.url, 'clerk');
    await page.getByRole('link', { name: '容缺预审' }).click();
    await page.getByRole('link', { name: '代企业提交预审' }).click();
    await page.getByLabel('事项').selectOption(PRE_REVIEW_ITEM);
    await page.getByLabel('项目名称').fill('烟台港西港区液体化工码头扩建项目');
    await page.getByLabel('建设地点').fill('烟台市福山区西港区');
    await page.getByLabel('项目概况').fill('新建5万吨级液体化工泊位1个及配套罐区');
    await page.locator('input[type=file][data-material="M02"]').setInputFiles({ name: '安全预评价报告.pdf', mimeType: 'application/pdf', buffer: samplePdf('Pre-assessment') });
    await page.getByLabel('申请单位名称').fill('烟台港西港区化工码头有限公司');
    await page.getByLabel('统一社会信用代码').fill(freshUscc('370611'));
    await page.getByLabel('所在行政区划').selectOption('370611');
    await page.getByLabel('联系人').fill('赵经理');
    await page.getByLabel('联系电话').fill('0535-6390000');
    await page.getByLabel('电子邮箱').fill('zhao@xigang.example');
    await browser.screenshot(page, 'staff-pre-review-window');
    await page.getByRole('button', { name: '提交预审' }).click();
    await page.getByRole('heading', { name: '预审已提交' }).waitFor();
    const preReviewNo = (await page.locator('[data-field=preReviewNo]').textContent())!;
    expect(preReviewNo).to.match(/^YS-370600-20260302-\d{5}$/);
    expect(await page.locator('[data-field=queryCode]').textContent()).to.match(/^[0-9A-Z]{6,16}$/);
    await page.getByRole('link', { name: '查看预审' }).click();
    await page.getByRole('heading', { name: preReviewNo }).waitFor();
    expect(await page.locator('#facts-h + dl').textContent()).to.include('窗口').and.include('烟台港西港区液体化工码头扩建项目');
    expect(await page.locator('tr[data-material="M02"]').textContent()).to.include('安全预评价报告.pdf');
    await page.getByRole('link', { name: '← 容缺预审' }).click();
    await page.getByRole('link', { name: preReviewNo }).waitFor();
    await staffSignOut(page);
  });
});

import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addCalendarDays } from '../src/calendar';
import { ARTIFACTS, consoleHooks, launchBrowser, staffSignIn, staffSignOut, type TestBrowser } from './helpers/browser';
import { COUNTY_ITEM, certificateIssued } from './helpers/certificates';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

describe('web: 好差评 on the public status page and 整改 in the staff console, in headless Chromium', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const flow = workflow(() => app);
  let created: { id: string; applicationNo: string; queryCode: string };
  consoleHooks(() => ({ browser, page, app }));

  before(async () => {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    await flow.signIn('clerk', 'reviewer');
    created = (await certificateIssued(flow, COUNTY_ITEM, '2026-03-02T02:00:00Z')).application;
  });

  it('when the enterprise looks up its completed application, then it rates the service on the page, the reasons asked only for a low rating, and sees its rating', async () => {
    await page.goto(`${app.url}/`);
    await page.getByLabel('申请编号').fill(created.applicationNo);
    await page.getByLabel('查询码').fill(created.queryCode);
    await page.getByRole('button', { name: '查询' }).click();
    const section = page.locator('.status-result [data-field="evaluation"]');
    await section.waitFor();
    expect(await section.textContent()).to.include('服务评价（好差评）').and.include('请于 2026-03-17 前评价');
    const reasons = section.locator('fieldset.reasons');
    await page.getByLabel('满意', { exact: true }).check();
    expect(await reasons.isHidden(), 'no reasons for 满意').to.equal(true);
    await page.getByLabel('不满意', { exact: true }).check();
    expect(await reasons.isVisible(), 'reasons for 不满意').to.equal(true);
    await page.getByLabel('多次跑动，重复提交材料').check();
    await page.getByLabel('评价内容').fill('补正通知不清楚，跑了两趟。');
    await browser.screenshot(page, 'public-status-evaluation-form');
    await page.getByRole('button', { name: '提交评价' }).click();
    await section.getByText('感谢您的评价。').waitFor();
    const given = section.locator('.rating-given');
    expect(await given.textContent()).to.include('评价结果：不满意（2026-03-02）').and.include('多次跑动').and.include('我们已安排整改');
    expect(await section.locator('form.rating').count()).to.equal(0);
    await browser.screenshot(page, 'public-status-evaluation-rated');

    const stored = await flow.api.get(`/api/v1/applications/${created.id}/evaluations`, flow.token('clerk'));
    expect(stored.body.stages[0].evaluation).to.deep.include({ level: 2, channel: 'online', comment: '补正通知不清楚，跑了两趟。' });
  });

  it('when the office opens 整改 once the task is overdue, then it is red in its list, and the reply and the call back close it', async () => {
    const task = (await flow.api.get('/api/v1/rectifications', flow.token('clerk'))).body.items.find((r: { applicationId: string }) => r.applicationId === created.id);
    flow.at(`${addCalendarDays(task.dueDate, 7)}T02:00:00Z`);
    await staffSignIn(page, app.url, 'chief');
    // The work list points to the open rectifications, with how many are overdue.
    const chip = page.locator('[data-field="rectifications"]');
    await chip.waitFor();
    expect(await chip.textContent()).to.include('整改待办 1 件').and.include('逾期 1 件');
    await chip.click();
    const row = page.locator(`tr[data-rectification="${task.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).to.include(created.applicationNo).and.include('不满意').and.include('红灯').and.include('待答复').and.include('已超期');
    await browser.screenshot(page, 'staff-rectifications-overdue');

    await row.getByLabel('整改答复').fill('已约谈窗口人员，补正通知书改为逐项列明材料要求。');
    await row.getByRole('button', { name: '提交答复' }).click();
    await row.getByText('已答复，待回访').waitFor();
    await row.getByLabel('已联系到申请人').check();
    await row.getByLabel('申请人对整改满意').check();
    await row.getByLabel('回访记录').fill('电话回访，企业认可整改结果。');
    await row.getByRole('button', { name: '记录回访并办结' }).click();
    await page.getByText('没有整改任务。').waitFor();

    await page.getByLabel('状态').selectOption('closed');
    const closed = page.locator(`tr[data-rectification="${task.id}"]`);
    await closed.waitFor();
    expect(await closed.textContent()).to.include('已回访办结').and.include('超期').and.include('电话回访，企业认可整改结果。');
    await browser.screenshot(page, 'staff-rectifications-closed');

    // The application page shows the rating with the office's answer.
    await closed.getByRole('link', { name: created.applicationNo }).click();
    const rating = page.locator('main [data-field="evaluation"]');
    await rating.waitFor();
    expect(await rating.textContent()).to.include('评价结果：不满意（2026-03-02）').and.include('整改答复：已约谈窗口人员');
    await rating.screenshot({ path: `${ARTIFACTS}/staff-application-evaluation.png` });
  });

  it('when the applicant rates at the window, then the clerk records it on the application page (channel window) and the form gives way to the rating', async () => {
    const other = (await certificateIssued(flow, COUNTY_ITEM, '2026-03-02T02:00:00Z')).application;
    await staffSignOut(page);
    await staffSignIn(page, app.url, 'clerk');
    await page.goto(`${app.url}/staff/#/applications/${other.id}`);
    const card = page.locator('main [data-field="evaluation"]');
    await card.locator('form.rating').waitFor();
    await card.getByLabel('非常满意').check();
    await card.getByLabel('评价内容').fill('窗口服务热情。');
    await card.getByRole('button', { name: '提交评价' }).click();
    await card.locator('.rating-given').waitFor();
    expect(await card.textContent()).to.include('评价结果：非常满意').and.include('窗口服务热情。');
    const stored = await flow.api.get(`/api/v1/applications/${other.id}/evaluations`, flow.token('clerk'));
    expect(stored.body.stages[0].evaluation).to.deep.include({ level: 5, channel: 'window' });
  });
});

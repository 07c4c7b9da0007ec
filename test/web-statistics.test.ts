import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { consoleHooks, launchBrowser, staffSignIn, type TestBrowser } from './helpers/browser';
import { startTestApp, type TestApp } from './helpers/test-app';
import { workflow } from './helpers/workflow';

const CITY_ITEM = '370000-AQ-XK-002';
const COMMITMENT_ITEM = '370000-AQ-XK-006';
const pledge = { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' };

describe('web console: 监管统计 (statistics page) in headless Chromium', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const flow = workflow(() => app);
  const approved: string[] = [];
  consoleHooks(() => ({ browser, page, app }));

  before(async function () {
    app = await startTestApp({ now: '2026-03-10T02:00:00Z' });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await flow.signIn('clerk', 'reviewer', 'chief');
    for (const [day, n] of [['2026-03-02', 3], ['2026-03-04', 2], ['2026-03-09', 1]] as const) {
      flow.at(`${day}T02:00:00Z`);
      for (let i = 0; i < n; i++) {
        const a = await flow.submit(CITY_ITEM);
        await flow.sendOk(a.id, { type: 'ACCEPT' }, 'clerk');
        if (i === 0) await flow.sendOk(a.id, { type: 'DENY', reason: '安全条件不符合要求' }, 'reviewer');
        else {
          await flow.sendOk(a.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
          approved.push(a.id);
        }
      }
    }
    const onPledge = await flow.submit(COMMITMENT_ITEM, { divisionCode: '370602', provided: ['M01', 'M02', 'M03'] });
    await flow.sendOk(onPledge.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk');
    approved.push(onPledge.id);
    await flow.submit(CITY_ITEM); // received, still open
    flow.at('2026-03-10T02:00:00Z');
    await flow.settled();
  });

  it('when the chief opens the statistics page, then the figures are the API\'s, the charts are drawn, and a figure opens the applications behind it', async () => {
    const api = (await flow.api.get('/api/v1/statistics?from=2026-03-01&to=2026-03-10', flow.token('chief'))).body;
    expect(api.totals.received).to.equal(8);

    await staffSignIn(page, app.url, 'chief');
    await page.getByRole('link', { name: '监管统计' }).click();
    await page.getByRole('heading', { name: '监管统计', level: 1 }).waitFor();
    await page.getByLabel('起始日期').fill('2026-03-01');
    await page.getByLabel('截止日期').fill('2026-03-10');
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.locator('#stat-counts [data-figure="received"] .stat-value', { hasText: '8' }).waitFor();

    for (const key of ['received', 'accepted', 'approved', 'denied', 'completed', 'decided', 'immediate', 'commitment', 'waivedDataSharing', 'waivedPledge']) {
      expect(await page.locator(`#stat-counts [data-figure="${key}"] .stat-value`).innerText(), key).to.equal(String(api.totals[key]));
    }
    expect(await page.locator('#stat-measures [data-figure="onTimeRate"] .stat-value').innerText()).to.equal(`${(api.totals.onTimeRate * 100).toFixed(1)}%`);
    expect(await page.locator('#stat-measures [data-figure="workingDaysMean"] .stat-value').innerText()).to.equal(String(api.totals.workingDaysMean));
    const rows = await page.locator('#stat-by-jurisdiction tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-jurisdiction')));
    expect(rows).to.deep.equal(api.byJurisdiction.map((r: { jurisdiction: string }) => r.jurisdiction));
    // Both charts are drawn by echarts (served from this origin) as SVG, with a bar per day of the range that had counts.
    await page.locator('.stat-chart svg').nth(1).waitFor();
    expect(await page.locator('.stat-chart').count()).to.equal(2);
    await browser.screenshot(page, 'staff-statistics');

    await page.locator('#stat-counts [data-figure="approved"] button').click();
    await page.getByRole('heading', { name: `准予许可：${api.totals.approved} 件` }).waitFor();
    const listed = await page.locator('#stat-drill tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-application-id')));
    expect(listed).to.have.members(approved);
    await browser.screenshot(page, 'staff-statistics-drill-down');
    await page.locator('#stat-drill tbody a').first().click();
    await page.locator('main h1').filter({ hasText: /370/ }).waitFor();
  });

  it('when the chief narrows to one item and exports, then the page and the downloaded CSV show that item\'s figures', async () => {
    await page.goto(`${app.url}/staff/#/statistics`);
    await page.getByRole('heading', { name: '监管统计', level: 1 }).waitFor();
    await page.getByLabel('起始日期').fill('2026-03-01');
    await page.getByLabel('截止日期').fill('2026-03-10');
    await page.getByLabel('事项', { exact: true }).selectOption(COMMITMENT_ITEM);
    await page.getByRole('button', { name: '统计', exact: true }).click();
    await page.locator('#stat-counts [data-figure="received"] .stat-value', { hasText: /^1$/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[2].split(',').slice(1, 3)).to.deep.equal(['1', '1']);
  });
});

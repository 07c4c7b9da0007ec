import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { apiClient, applicationBody } from './helpers/api-client';
import { consoleHooks, launchBrowser, staffSignIn, staffSignOut, type TestBrowser } from './helpers/browser';
import { startTestApp, type TestApp } from './helpers/test-app';

const THREE_STEPS = '370000-AQ-XK-007'; // handler → chief → leader

// The staff console's view of each step of 承办 → 审核 → 签发: the forms come from the event definitions.
describe('the review chain in the staff console (headless Chromium)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const api = apiClient(() => app.url);
  let created: { id: string; applicationNo: string };

  before(async function () {
    app = await startTestApp();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const clerk = await api.login('clerk');
    created = (await api.post('/api/v1/applications', applicationBody(THREE_STEPS), clerk)).body;
    expect((await api.post(`/api/v1/applications/${created.id}/events`, { type: 'ACCEPT' }, clerk)).status).to.equal(200);
  });
  consoleHooks(() => ({ browser, page, app }));

  const signIn = (username: string) => staffSignIn(page, app.url, username);
  const signOut = () => staffSignOut(page);
  const actionButtons = () => page.locator('section.actions button[data-event]').allTextContents();
  const openFromWaitingList = async () => {
    await page.getByLabel('待我办理').check();
    await page.locator('tr', { has: page.getByRole('link', { name: created.applicationNo }) }).locator('span.chip.step').waitFor();
    await page.getByRole('link', { name: created.applicationNo }).click();
    await page.getByRole('heading', { name: '审批环节（3 步）' }).waitFor();
  };

  it('when the chief opens the queue, then the unassigned case waits there with its step light, and the chief assigns it', async () => {
    await signIn('chief');
    await openFromWaitingList();
    expect(await actionButtons()).to.include('分办').and.not.include('审核');
    await page.getByRole('button', { name: '分办', exact: true }).click();
    await page.getByRole('textbox', { name: '承办人（账号） *' }).fill('reviewer');
    await browser.screenshot(page, 'staff-chain-assign');
    await page.getByRole('button', { name: '确认：分办' }).click();
    await page.locator('section.card', { has: page.locator('#chain-h') }).getByText('Yantai reviewer', { exact: false }).waitFor();
    await signOut();
  });

  it('when the handler opens the case, then the proposal form offers approve or deny with an opinion, and an internal note can be kept', async () => {
    await signIn('reviewer');
    await openFromWaitingList();
    expect(await actionButtons()).to.include('提出审查意见').and.not.include('准予许可');
    await page.getByLabel('添加内部意见').fill('储存设施与居民区距离需现场复核');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('ol.notes').getByText('储存设施与居民区距离需现场复核').waitFor();
    await page.getByRole('button', { name: '提出审查意见' }).click();
    expect(await page.getByRole('radio').count()).to.equal(2);
    await page.getByRole('textbox', { name: '审查意见 *' }).fill('材料齐全，安全条件符合要求，拟准予许可');
    await browser.screenshot(page, 'staff-chain-handling');
    await page.getByRole('button', { name: '确认：提出审查意见' }).click();
    await page.locator('#chain-h').waitFor();
    await page.locator('li.current[data-step="checking"]').waitFor();
    await signOut();
  });

  it('when the chief checks, then agree or disagree is a choice with a note, and agreeing sends it on to the leader', async () => {
    await signIn('chief');
    await openFromWaitingList();
    await page.getByRole('button', { name: '审核', exact: true }).click();
    await page.getByRole('radio', { name: '同意', exact: true }).check();
    await page.getByRole('textbox', { name: '审核说明 *' }).fill('同意承办意见');
    await browser.screenshot(page, 'staff-chain-checking');
    await page.getByRole('button', { name: '确认：审核' }).click();
    await page.locator('li.current[data-step="signing"]').waitFor();
    await signOut();
  });

  it('when the leader signs, then approve, deny and return are offered, and approving ends the chain', async () => {
    await signIn('leader');
    await openFromWaitingList();
    expect(await actionButtons()).to.include.members(['准予许可', '不予许可', '退回承办人']);
    await page.getByRole('button', { name: '准予许可', exact: true }).click();
    await browser.screenshot(page, 'staff-chain-signing');
    await page.getByRole('button', { name: '确认：准予许可' }).click();
    await page.getByRole('status').filter({ hasText: '已办结' }).waitFor();
    expect(await page.locator('ol.timeline').textContent()).to.include('承办人提出审查意见').and.include('科室负责人审核');
    await signOut();
  });
});

import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { apiClient, applicationBody } from './helpers/api-client';
import { launchBrowser, type TestBrowser } from './helpers/browser';
import { samplePdf, samplePng } from './helpers/sample-files';
import { startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc } from './helpers/workflow';

describe('material files in the web consoles (headless Chromium)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page & { errors: string[] };
  const api = apiClient(() => app.url);
  let application: { id: string; applicationNo: string; queryCode: string };

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const clerk = await api.login('clerk');
    application = (await api.post('/api/v1/applications', applicationBody('370000-AQ-XK-004', { uscc: freshUscc(), materials: [{ code: 'M01', provided: true }] }), clerk)).body;
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await browser.screenshot(page, `failed-files-${this.currentTest.title.slice(5, 40).replace(/\W+/g, '-')}`);
    expect(page.errors, 'script errors on the page').to.deep.equal([]);
  });

  it('when the clerk uploads a PDF to a material, then it is listed beside the checklist and previewed in the page, and the material can be marked', async () => {
    await page.goto(`${app.url}/staff/`);
    await page.getByLabel('用户名').fill('clerk');
    await page.getByLabel('密码').fill('demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: application.applicationNo }).click();
    const row = page.locator('table.files tr[data-material="M01"]');
    await row.waitFor();
    await row.locator('input[type=file]').setInputFiles({ name: '危险化学品经营许可证申请书.pdf', mimeType: 'application/pdf', buffer: samplePdf('Application form') });
    await row.getByText('v1 危险化学品经营许可证申请书.pdf').waitFor();
    await row.getByRole('button', { name: '预览' }).click();
    const pages = page.locator('.pdf-pages[data-rendered="true"] canvas');
    await pages.first().waitFor();
    // The canvas holds the drawn square: some pixels are far from white.
    // The test runs in Node (no DOM types): the canvas is described by the little it is asked for.
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const inked = await pages.first().evaluate((element) => {
      const canvas = element as unknown as Canvas;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 600) n++;
      return n;
    });
    expect(inked).to.be.greaterThan(1000);
    await page.locator('.file-viewer').scrollIntoViewIfNeeded();
    await browser.screenshot(page, 'staff-material-pdf-preview');

    await row.getByRole('button', { name: '合格' }).click();
    await page.locator('table.files tr[data-material="M01"] [data-verdict="accepted"]').waitFor();
    expect(await page.locator('ol.timeline').textContent()).to.include('材料审查');
  });

  it('when the enterprise looks up its application, then it uploads a file to a material from the status page', async () => {
    await page.goto(`${app.url}/`);
    await page.getByLabel('申请编号').fill(application.applicationNo);
    await page.getByLabel('查询码').fill(application.queryCode);
    await page.getByRole('button', { name: '查询' }).click();
    const form = page.locator('form.upload');
    await form.waitFor();
    await form.getByLabel('申请材料').selectOption('M02');
    await form.getByLabel('文件', { exact: true }).setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: samplePng(32, 32) });
    await form.getByRole('button', { name: '上传文件' }).click();
    await form.getByText('已上传 现场照片.png（第 1 版）').waitFor();
    await browser.screenshot(page, 'public-material-upload');
    const clerk = await api.login('clerk');
    const files = await api.get(`/api/v1/applications/${application.id}/files`, clerk);
    expect(files.body.materials.find((m: { code: string }) => m.code === 'M02').files.map((f: { name: string; uploadedBy: { kind: string } }) => [f.name, f.uploadedBy.kind])).to.deep.equal([['现场照片.png', 'enterprise']]);
  });
});

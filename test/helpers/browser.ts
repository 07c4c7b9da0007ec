import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'chai';

const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab that fails the test on any script error or console error it records. */
  newPage(): Promise<Page & { errors: string[] }>;
  screenshot(page: Page, name: string, fullPage?: boolean): Promise<string>;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a fresh profile and a 1366×768 counter screen; installed first when missing. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) execFileSync('sh', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
  const profile = mkdtempSync(join(tmpdir(), 'permit-chromium-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    async newPage() {
      const page = (await context.newPage()) as Page & { errors: string[] };
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        // A failed fetch is logged by the browser itself; the pages show API errors, so only script errors count.
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.errors.push(`console: ${m.text()}`);
      });
      return page;
    },
    async screenshot(page, name, fullPage = true) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs a staff member in on the staff console (demo password) and waits for the first page. */
export async function staffSignIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/staff/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor({ state: 'detached' });
  await page.locator('main h1').waitFor();
}

/** Signs out of the staff console. */
export async function staffSignOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
}

/**
 * The hooks every console test file needs: close the browser and the app after the file, and after each test keep a
 * screenshot when it failed and fail it on any script error of the page.
 */
export function consoleHooks(get: () => { browser?: TestBrowser; page?: Page & { errors: string[] }; app?: { stop(): Promise<void> } }): void {
  after(async () => {
    const { browser, app } = get();
    await browser?.close();
    await app?.stop();
  });
  afterEach(async function () {
    const { browser, page } = get();
    if (!browser || !page) return;
    if (this.currentTest?.state === 'failed') await browser.screenshot(page, `failed-${this.currentTest.title.slice(5, 40).replace(/\W+/g, '-')}`);
    expect(page.errors, 'script errors on the page').to.deep.equal([]);
  });
}

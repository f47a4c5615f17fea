import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../src/http/console.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { screenshot, watchPage } from '../support/console-page.ts';
import { startChildServer, type ChildServer } from '../support/server.ts';
import { existsSync } from 'node:fs';

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
const built = existsSync(join(CONSOLE_DIST, 'index.html'));
if (!built && process.env.CI) throw new Error('the console is not built: npm install builds it (web/scripts/build.ts)');

/** The console as its first user meets it: `huoma serve` on a new data folder, driven in Chromium. */
describe.skipIf(!hasChromium || !built)('the console in a browser', () => {
  let browser: Browser;
  let server: ChildServer;
  const problems: string[] = [];
  const owner = { name: '王经理', email: 'wang@example.com', password: '双十一-活码-2026' };

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startChildServer(['--data', mkdtempSync(join(tmpdir(), 'huoma-console-'))]);
  });
  afterAll(async () => {
    await browser?.close();
    server?.process.kill('SIGTERM');
    await server?.exited;
  });

  // Every problem a page reports fails the test that saw it (each ends expecting none).
  const watch = (page: Page) => watchPage(page, problems);
  const shot = screenshot;
  const noHorizontalScroll = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  let desktop: BrowserContext;
  let page: Page;
  let codeUrl: string;

  it('creates the owner with the setup code from the server log, and signs them in', async () => {
    await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/"setupCode":"[2-9A-Z-]+"/);
    const code = server.output().match(/"setupCode":"([2-9A-Z-]+)"/)![1]!;
    desktop = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    page = watch(await desktop.newPage());
    await page.goto(`${server.url}/`);
    await page.waitForURL('**/console/setup');
    await page.getByText('创建所有者账号').waitFor();
    await shot(page, '01-setup');
    await page.getByLabel('设置码').fill('WRNG-WRNG-WRNG');
    await page.getByLabel('姓名').fill(owner.name);
    await page.getByLabel('邮箱').fill(owner.email);
    await page.getByLabel('密码').fill(owner.password);
    await page.getByRole('button', { name: '创建并登录' }).click();
    // The API's refusal, in Chinese, under the field it names.
    await page.locator('.ant-form-item-has-error').filter({ hasText: '设置码' }).waitFor();
    await page.getByLabel('设置码').fill(code);
    await page.getByRole('button', { name: '创建并登录' }).click();
    await page.waitForURL('**/console/codes');
    await page.getByRole('button', { name: owner.name }).waitFor();
    expect((await fetch(`${server.url}/api/v1/setup`).then((r) => r.json())).needed).toBe(false);
    await shot(page, '02-codes-empty');
    expect(problems).toEqual([]);
  });

  it('creates a live code, with the API’s field error shown inline first', async () => {
    await page.getByRole('button', { name: '新建活码' }).click();
    await page.waitForURL('**/console/codes/new');
    await page.getByLabel('名称').fill('双十一海报');
    await page.getByLabel('跳转网址').fill('javascript:alert(1)');
    await page.getByTestId('save-code').click();
    const urlError = page.locator('.ant-form-item-has-error').filter({ hasText: '跳转网址' });
    await urlError.waitFor();
    expect(await urlError.locator('.ant-form-item-explain').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await shot(page, '03-code-form-error');
    await page.getByLabel('跳转网址').fill('https://shop.example/sale');
    await page.getByTestId('add-rule').click();
    await page.getByLabel('规则名称').fill('夜间');
    await page.getByLabel('开始（时:分）').fill('22:00');
    await page.getByLabel('结束（时:分）').fill('06:00');
    await page.getByLabel('跳转到').fill('https://shop.example/night');
    await shot(page, '04-code-form');
    await page.getByTestId('save-code').click();
    await page.waitForURL(/\/console\/codes\/[^/]+$/);
    await page.getByTestId('code-url').filter({ hasText: 'https://shop.example/sale' }).waitFor();
    codeUrl = page.url();
    expect(problems).toEqual([]);
  });

  it('changes its destination, and a phone scan over HTTP follows it and shows in the chart', async () => {
    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL('**/edit');
    await expect.poll(() => page.getByLabel('跳转网址').inputValue()).toBe('https://shop.example/sale');
    await page.getByLabel('跳转网址').fill('https://shop.example/double-11');
    await page.getByTestId('save-code').click();
    await page.waitForURL(codeUrl);
    await page.getByTestId('code-url').filter({ hasText: 'https://shop.example/double-11' }).waitFor();

    const shortUrl = await page.getByText(/\/s\/[A-Za-z0-9]+$/).first().innerText();
    const slug = shortUrl.split('/s/')[1]!;
    const scan = await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
    expect(scan.status).toBe(302);
    expect(scan.headers.get('location')).toMatch(/^https:\/\/shop\.example\/(double-11|night)$/);

    // The recorder commits in batches: the scan is counted within a moment.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('stats-scans').locator('.ant-statistic-content-value').innerText({ timeout: 5_000 });
        },
        { timeout: 15_000 },
      )
      .toBe('1');
    const chart = page.getByTestId('scans-chart').locator('canvas');
    await chart.waitFor();
    expect((await chart.boundingBox())!.height).toBeGreaterThan(100);
    await shot(page, '05-code-detail');
    expect(problems).toEqual([]);
  });

  it('previews and offers the QR code, tests a scan before printing, and shows the history', async () => {
    await page.getByRole('tab', { name: '二维码' }).click();
    const preview = page.getByTestId('qr-preview');
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    const png = await page.getByRole('link', { name: /PNG/ }).getAttribute('href');
    const res = await desktop.request.get(server.url + png!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/png');
    await shot(page, '06-code-qr');

    await page.getByRole('tab', { name: '印刷前测试' }).click();
    await page.getByTestId('simulate').click();
    const result = page.getByTestId('simulate-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('redirect');
    await page.getByText('夜间').first().waitFor();
    await shot(page, '07-code-test');

    await page.getByRole('tab', { name: '版本历史' }).click();
    await page.getByText('https://shop.example/double-11').first().waitFor();
    await shot(page, '08-code-history');
    expect(problems).toEqual([]);
  });

  it('restores the first version in one click, and the next scan goes back to its destination', async () => {
    await page.getByTestId('restore-version-1').click();
    await page.locator('.ant-popconfirm').getByText('会保存为一个新版本').waitFor();
    await page.locator('.ant-popconfirm .ant-popconfirm-buttons .ant-btn-primary').click();
    await page.getByTestId('code-url').filter({ hasText: 'https://shop.example/sale' }).waitFor();
    // Version 3 is the code now; versions 1 and 2 can be restored.
    await page.getByTestId('restore-version-2').waitFor();
    expect(await page.getByTestId('restore-version-3').count()).toBe(0);
    const slug = (await page.getByText(/\/s\/[A-Za-z0-9]+$/).first().innerText()).split('/s/')[1]!;
    const scan = await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
    expect(scan.status).toBe(302);
    expect(scan.headers.get('location')).toMatch(/^https:\/\/shop\.example\/(sale|night)$/);
    await page.locator('.ant-popconfirm').waitFor({ state: 'hidden' });
    await shot(page, '08b-code-restored');
    expect(problems).toEqual([]);
  });

  it('filters the list by type', async () => {
    await page.goto(`${server.url}/console/codes`);
    const code = page.locator('.ant-table-row').filter({ hasText: '双十一海报' });
    await code.waitFor();
    const pick = async (label: string) => {
      await page.locator('.ant-select').filter({ hasText: /全部类型|网址活码|员工活码/ }).click();
      await page.locator('.ant-select-item-option').filter({ hasText: label }).click();
    };
    await pick('员工活码');
    await code.waitFor({ state: 'detached' });
    await pick('网址活码');
    await code.waitFor();
    await page.keyboard.press('Escape');
    await shot(page, '02b-codes-filtered');
    await page.goto(codeUrl);
    expect(problems).toEqual([]);
  });

  it('switches to English and remembers it for the person', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByRole('tab', { name: 'QR code' }).waitFor();
    const other = watch(await desktop.newPage());
    await other.goto(`${server.url}/console/codes`);
    await other.getByRole('button', { name: 'New code' }).waitFor();
    await other.close();
    await page.getByTestId('language-switch').click();
    await page.getByRole('tab', { name: '二维码' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('fits a phone at 390 px with no horizontal scrolling, the menu in a drawer', async () => {
    const phone = await browser.newContext({
      locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await desktop.storageState(),
    });
    const small = watch(await phone.newPage());
    await small.goto(`${server.url}/console/codes`);
    await small.getByText('双十一海报').waitFor();
    await noHorizontalScroll(small);
    await shot(small, '09-phone-codes');
    await small.getByRole('button', { name: 'menu' }).click();
    await small.locator('.ant-drawer').getByText('活码管理').waitFor();
    await small.keyboard.press('Escape');
    await small.goto(codeUrl);
    await small.getByTestId('scans-chart').locator('canvas').waitFor();
    await noHorizontalScroll(small);
    await shot(small, '10-phone-code-detail');
    for (const tab of ['二维码', '印刷前测试', '版本历史']) {
      await small.getByRole('tab', { name: tab }).click();
      await noHorizontalScroll(small);
    }
    await phone.close();
    expect(problems).toEqual([]);
  });

  it('signs out to the sign-in screen, and signs in again', async () => {
    await page.getByTestId('user-menu').hover();
    await page.getByText('退出登录').click();
    await page.waitForURL('**/console/login');
    await shot(page, '11-login');
    await page.getByLabel('邮箱').fill(owner.email);
    await page.getByLabel('密码').fill(owner.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/console/codes');
    await page.getByText('双十一海报').waitFor();
    expect(problems).toEqual([]);
  });
});

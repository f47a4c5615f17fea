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
import sharp from 'sharp';
import { decodeBoth } from '../support/decode-qr.ts';

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
    // Behind a trusted proxy, as in production, so scans can come from a Shanghai address.
    server = await startChildServer(['--data', mkdtempSync(join(tmpdir(), 'huoma-console-'))], { HUOMA_TRUST_PROXY: 'true' });
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
    // Before anything changes, the confirmation shows what will: the URL back to the first one.
    await page.getByTestId('restore-preview').getByText('https://shop.example/double-11 → https://shop.example/sale').waitFor();
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

  it('breaks the scans down by hour, OS and province, and exports them as CSV', async () => {
    const slug = (await page.getByText(/\/s\/[A-Za-z0-9]+$/).first().innerText()).split('/s/')[1]!;
    for (let i = 0; i < 2; i++) {
      const scan = await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA, 'x-forwarded-for': '116.228.111.118' } });
      expect(scan.status).toBe(302);
    }
    await page.getByRole('tab', { name: '统计' }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('tab', { name: '统计' }).click();
          return page.getByTestId('range-scans').locator('.ant-statistic-content-value').innerText({ timeout: 5_000 });
        },
        { timeout: 15_000 },
      )
      .toBe('4');
    await page.getByTestId('province-table').getByText(/上海/).waitFor();
    const map = page.getByTestId('province-map').locator('canvas');
    await map.waitFor();
    expect((await map.boundingBox())!.height).toBeGreaterThan(300);
    await page.getByTestId('by-hour').locator('canvas').waitFor();
    await shot(page, '08c-code-stats');

    // The export is the signed-in person's download: their session cookie, no key.
    const href = await page.getByTestId('export-csv').getAttribute('href');
    const csv = await desktop.request.get(server.url + href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^扫码时间,扫码ID,结果/);
    expect(lines).toHaveLength(5);
    expect(problems).toEqual([]);
  });

  it('centres an uploaded logo in the QR code, still scannable, and designs a poster to print', async () => {
    await page.getByRole('tab', { name: '二维码' }).click();
    const logo = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#e4393c' } }).png().toBuffer();
    await page.locator('input[type=file]').setInputFiles({ name: '店标.png', mimeType: 'image/png', buffer: logo });
    await expect.poll(() => page.getByTestId('logo-switch').getAttribute('aria-checked')).toBe('true');
    const preview = page.getByTestId('qr-preview');
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    const png = await page.getByRole('link', { name: /PNG/ }).getAttribute('href');
    expect(png).toContain('logo=true');
    const image = await desktop.request.get(server.url + png!);
    const shortUrl = await page.getByText(/\/s\/[A-Za-z0-9]+$/).first().innerText();
    expect(await decodeBoth(await image.body())).toEqual({ jsqr: shortUrl, zxing: shortUrl });
    await shot(page, '06b-code-qr-logo');

    await page.getByRole('tab', { name: '海报' }).click();
    const poster = page.getByTestId('poster-preview');
    await poster.waitFor();
    const before = await poster.getAttribute('src');
    await page.getByTestId('poster-text').fill('扫码添加店长微信\n领取新人礼');
    await expect.poll(() => poster.getAttribute('src')).not.toBe(before);
    await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    // The code has a logo now: the poster's QR code carries it too.
    expect(await page.getByTestId('poster-png').getAttribute('href')).toContain('logo=true');
    const pdf = await desktop.request.get(server.url + (await page.getByTestId('poster-pdf').getAttribute('href'))!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(page, '06c-code-poster');
    expect(problems).toEqual([]);
  });

  it('designs the landing pages, and a paused code’s page shows the guide text in its colour', async () => {
    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL('**/edit');
    await page.getByTestId('page-guide-text').fill('活动已暂停，添加店长微信了解下一场');
    await page.getByLabel('暂停', { exact: true }).click();
    await shot(page, '04b-code-form-page-design');
    await page.getByTestId('save-code').click();
    await page.waitForURL(codeUrl);
    await page.getByText('已暂停').first().waitFor();
    const slug = (await page.getByText(/\/s\/[A-Za-z0-9]+$/).first().innerText()).split('/s/')[1]!;
    const phone = await browser.newPage({ userAgent: PHONE_UA, viewport: { width: 390, height: 844 } });
    await phone.goto(`${server.url}/s/${slug}`);
    await phone.getByText('活动已暂停，添加店长微信了解下一场').waitFor();
    await phone.close();
    // Back to serving scans for the steps after this one.
    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL('**/edit');
    await page.getByLabel('暂停', { exact: true }).click();
    await page.getByTestId('save-code').click();
    await page.waitForURL(codeUrl);
    await page.getByText('生效中').first().waitFor();
    expect(problems).toEqual([]);
  });

  it('filters the list by type', async () => {
    await page.goto(`${server.url}/console/codes`);
    const code = page.locator('.ant-table-row').filter({ hasText: '双十一海报' });
    await code.waitFor();
    // Today's scans (the paused page's scan too: it happened) and the last seven days' line, from one request for the whole page.
    await code.locator('svg[role=img]').waitFor();
    expect(await code.locator('svg[role=img] title').textContent()).toMatch(/: 5$/);
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

  it('orders rules by dragging one onto another, and saves that order', async () => {
    await page.goto(`${server.url}/console/codes/new`);
    await page.getByLabel('名称', { exact: true }).fill('拖动排序');
    await page.getByLabel('跳转网址').fill('https://shop.example/base');
    for (const [i, name] of ['白天', '晚上'].entries()) {
      await page.getByTestId('add-rule').click();
      const rule = page.getByTestId(`rule-${i}`);
      await rule.getByLabel('规则名称').fill(name);
      await rule.getByLabel('开始（时:分）').fill(i === 0 ? '09:00' : '18:00');
      await rule.getByLabel('结束（时:分）').fill(i === 0 ? '18:00' : '23:00');
      await rule.getByLabel('跳转到').fill(`https://shop.example/${i}`);
    }
    // A person's drag: press on the handle, move over the first rule (more than one step, as a hand does), release.
    await page.getByTestId('rule-handle-1').hover();
    await page.mouse.down();
    const target = (await page.getByTestId('rule-0').boundingBox())!;
    for (const step of [0.2, 0.5, 0.6]) await page.mouse.move(target.x + target.width / 2, target.y + target.height * step, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('rule-0').getByLabel('规则名称').inputValue()).toBe('晚上');
    await page.getByTestId('save-code').click();
    // The new code's own page (the form's address, …/codes/new, would match a looser pattern).
    await page.waitForURL(/\/console\/codes\/(?!new$)[^/]+$/);
    const saved = await (await desktop.request.get(`${server.url}/api/v1/codes/${page.url().split('/').pop()}`)).json();
    expect(saved.rules.map((r: { name: string }) => r.name)).toEqual(['晚上', '白天']);
    expect(problems).toEqual([]);
  });

  it('says plainly when an approval rule holds an edit, and the code stays as it was', async () => {
    // The owner's own session (cookie and CSRF token) sets a rule: destination changes need a lead's approval.
    const { csrfToken } = await (await desktop.request.get(`${server.url}/api/v1/me`)).json();
    const policy = (rules: unknown[]) =>
      desktop.request.put(`${server.url}/api/v1/settings/approvals`, { data: { rules }, headers: { 'x-csrf-token': csrfToken } });
    expect((await policy([{ fields: ['url'], levels: [{ name: '组长', roles: ['admin'] }] }])).status()).toBe(200);
    try {
      await page.goto(`${codeUrl}/edit`);
      await expect.poll(() => page.getByLabel('跳转网址').inputValue()).toBe('https://shop.example/sale');
      await page.getByLabel('跳转网址').fill('https://shop.example/held');
      await page.getByTestId('save-code').click();
      await page.getByText('这项修改需要审批').waitFor();
      await page.waitForURL(codeUrl);
      await page.getByTestId('code-url').filter({ hasText: 'https://shop.example/sale' }).waitFor();
    } finally {
      expect((await policy([])).status()).toBe(200);
    }
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

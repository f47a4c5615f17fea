import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_DIST } from '../../src/http/console.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { startChildServer, type ChildServer } from '../support/server.ts';

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
const SCREENSHOTS = join(import.meta.dirname, '../../test-output/screenshots');
const built = existsSync(join(CONSOLE_DIST, 'index.html'));
/** Near 徐汇店 (WGS-84): a scanner there is matched to it. */
const QUOTA_KB = 30;
const MAX_KB = 20;

/** A real PNG of about `kb` kilobytes: noise barely compresses. */
async function noisePng(kb: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt((kb * 1024) / 3));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

/** A dialog or dropdown in its opening or closing animation. */
const MOVING = ['.ant-modal', '.ant-select-dropdown', '.ant-popover']
  .flatMap((c) => ['appear', 'enter', 'leave'].map((m) => `${c}[class*="-${m}"]`))
  .join(', ');
/** A code's own page, not the new-code form. */
const CODE_PAGE = /\/console\/codes\/(?!new)[^/?]+$/;
const NEAR_XUHUI = { lat: 31.1935, lng: 121.4375 };

/** Stores, store codes, staff codes and the material library as an operations person sets them up in the console. */
describe.skipIf(!hasChromium || !built)('stores, staff and store codes, materials in the console', () => {
  let browser: Browser;
  let server: ChildServer;
  let desktop: BrowserContext;
  let page: Page;
  let csrf = '';
  const problems: string[] = [];
  const staff: Record<string, string> = {};
  const work = mkdtempSync(join(tmpdir(), 'huoma-places-'));
  const owner = { name: '李店长', email: 'li@example.com', password: '门店-活码-2026-ok' };

  /** The API as the signed-in console calls it: the session cookie and its CSRF token. */
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: object) => {
    const request: APIRequestContext = desktop.request;
    const res = await request.fetch(`${server.url}${path}`, { method, headers: { 'x-csrf-token': csrf }, ...(data ? { data } : {}) });
    const text = await res.text();
    return { status: res.status(), json: text ? JSON.parse(text) : null };
  };

  const watch = (p: Page) => {
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    p.on('console', (msg) => {
      // Chromium's own line for an API refusal that the console asked for and shows.
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
    });
    return p;
  };
  const shot = async (p: Page, name: string) => {
    // Dialogs and dropdowns open and close with an animation: the picture is of where they end.
    await p.waitForFunction((moving) => !document.querySelector(moving), MOVING);
    const path = join(SCREENSHOTS, `${name}.png`);
    await p.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  };
  /** Picks `label` in the Select of the form item or block `within`. */
  const choose = async (within: ReturnType<Page['locator']>, label: string) => {
    await within.locator('.ant-select').first().click();
    await page.keyboard.type(label);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).first().click();
    await page.keyboard.press('Escape');
  };
  const item = (label: string) => page.locator('.ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) });
  const confirm = () => page.locator('.ant-popconfirm:visible .ant-btn-primary').click();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    // A small library, so that a file over the limit and a full library are quick to reach.
    server = await startChildServer(['--data', join(work, 'data')], {
      HUOMA_MATERIAL_QUOTA_MB: String(QUOTA_KB / 1024), HUOMA_MATERIAL_MAX_MB: String(MAX_KB / 1024),
    });
    const code = await vi.waitFor(() => server.output().match(/"setupCode":"([2-9A-Z-]+)"/)![1]!, { timeout: 10_000 });
    const made = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...owner, code }),
    });
    expect(made.status).toBe(201);
    desktop = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const signedIn = await desktop.request.post(`${server.url}/api/v1/session`, { data: { email: owner.email, password: owner.password } });
    expect(signedIn.status()).toBeLessThan(300);
    csrf = (await call('GET', '/api/v1/me')).json.csrfToken;
    for (const name of ['张三', '李四', '值班']) {
      const member = await call('POST', '/api/v1/staff', { name, contactQrUrl: `https://img.example/${encodeURIComponent(name)}.png` });
      expect(member.status, JSON.stringify(member.json)).toBe(201);
      staff[name] = member.json.id;
    }
    page = watch(await desktop.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    server?.process.kill('SIGTERM');
    await server?.exited;
  });

  it('adds two stores, finds one by name, exports them as CSV', async () => {
    await page.goto(`${server.url}/console/stores`);
    await page.getByText('还没有门店').waitFor();
    const add = async (name: string, district: string, address: string, at: { lat: number; lng: number }, member: string) => {
      await page.getByRole('button', { name: '新建门店' }).click();
      const dialog = page.locator('.ant-modal:visible');
      await dialog.getByLabel('门店名称').fill(name);
      await dialog.getByLabel('省份').fill('上海');
      await dialog.getByLabel('城市').fill('上海');
      await dialog.getByLabel('区县').fill(district);
      await dialog.getByLabel('地址').fill(address);
      await dialog.getByLabel('纬度').fill(String(at.lat));
      await dialog.getByLabel('经度').fill(String(at.lng));
      await choose(dialog.locator('.ant-form-item').filter({ hasText: '门店员工' }), member);
      if (name === '静安店') await shot(page, '20-store-form');
      await dialog.getByTestId('save-store').click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.ant-table-row').filter({ hasText: name }).waitFor();
    };
    await add('静安店', '静安区', '南京西路 1 号', { lat: 31.2289, lng: 121.4482 }, '张三');
    await add('徐汇店', '徐汇区', '漕溪北路 2 号', { lat: 31.1935, lng: 121.4375 }, '李四');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);
    await shot(page, '21-stores');

    await page.getByTestId('stores-search').locator('input').fill('徐汇');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.ant-table-row').allInnerTexts()).toEqual([expect.stringContaining('徐汇店')]);
    await page.getByTestId('stores-search').locator('input').fill('');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);

    await page.locator('.ant-table-row').filter({ hasText: '静安店' }).getByRole('button', { name: '编辑' }).click();
    const dialog = page.locator('.ant-modal:visible');
    await expect.poll(() => dialog.getByLabel('地址').inputValue()).toBe('南京西路 1 号');
    await dialog.getByLabel('地址').fill('南京西路 88 号');
    await dialog.getByTestId('save-store').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.ant-table-row').filter({ hasText: '南京西路 88 号' }).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stores-export').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('静安店,上海市,上海市,静安区');
    expect(csv).toContain('徐汇店');
    expect(problems).toEqual([]);
  });

  it('imports stores from CSV: one bad row is reported as a table and nothing is written, then the good rows only, then deletes them', async () => {
    const file = join(work, 'stores.csv');
    writeFileSync(file, ['name,province,city,district,address,lat,lng', '浦东店,上海,上海,浦东新区,世纪大道 3 号,31.2304,121.5405', '火星店,火星,上海,,某路,31.2,121.4'].join('\n'));
    await page.getByRole('button', { name: '导入 CSV' }).click();
    const dialog = page.locator('.ant-modal:visible');
    await dialog.locator('input[type=file]').setInputFiles(file);
    await dialog.getByTestId('stores-import-run').click();
    const report = dialog.getByTestId('stores-import-report');
    await report.getByText('共 2 行，导入 0 行，1 行有错误').waitFor();
    const row = report.locator('.ant-table-row').filter({ hasText: 'province' });
    expect(await row.locator('td').first().innerText()).toBe('3');
    await shot(page, '22-stores-import-report');
    await dialog.getByText('只导入正确的行').click();
    await dialog.getByTestId('stores-import-run').click();
    await report.getByText('共 2 行，导入 1 行，1 行有错误').waitFor();
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await page.locator('.ant-table-row').filter({ hasText: '浦东店' }).waitFor();

    // Batch delete, confirmed: only the selected store goes.
    await page.locator('.ant-table-row').filter({ hasText: '浦东店' }).locator('.ant-checkbox-input').check();
    await page.getByTestId('stores-batch-delete').click();
    await page.locator('.ant-popconfirm:visible').getByText('删除选中的 1 家门店？').waitFor();
    await confirm();
    await page.locator('.ant-table-row').filter({ hasText: '浦东店' }).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);
    expect(problems).toEqual([]);
  });

  let storeCodeId: string;
  it('creates a store code choosing both stores, edits it, and a scan near one store is matched to it', async () => {
    await page.goto(`${server.url}/console/codes/new`);
    await choose(page.locator('.ant-form-item').filter({ has: page.getByTestId('code-type') }), '门店活码');
    await page.getByLabel('名称').fill('门店导购码');
    for (const name of ['静安店', '徐汇店']) {
      await page.getByTestId('store-picker').click();
      await page.keyboard.type(name.slice(0, 2));
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).click();
      await page.keyboard.press('Escape');
    }
    await page.getByTestId('save-code').click();
    // The API's refusal: a store code needs backup staff, said under that field.
    const backup = item('备用员工');
    await backup.locator('.ant-form-item-explain-error').first().waitFor();
    await choose(backup, '值班');
    await shot(page, '23-store-code-form');
    await page.getByTestId('save-code').click();
    await page.waitForURL(CODE_PAGE);
    storeCodeId = page.url().split('/').pop()!;
    await page.getByText('门店活码').first().waitFor();

    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL('**/edit');
    const km = page.getByLabel('半径（公里）');
    await expect.poll(() => km.inputValue()).toBe('10');
    await km.fill('5');
    await page.getByTestId('save-code').click();
    await page.waitForURL(CODE_PAGE);
    const saved = (await call('GET', `/api/v1/codes/${storeCodeId}`)).json;
    expect(saved.serviceArea).toEqual({ mode: 'distance', km: 5 });
    expect(saved.backupStaffIds).toEqual([staff['值班']]);
    expect(saved.storeIds).toHaveLength(2);

    const first = await (await fetch(`${server.url}/s/${saved.slug}`, { headers: { accept: 'application/json', 'user-agent': PHONE_UA } })).json();
    expect(first.decision.action).toBe('locate');
    const located = await fetch(`${server.url}/s/${saved.slug}/locate`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': PHONE_UA },
      body: JSON.stringify({ scanId: first.scanId, ...NEAR_XUHUI, coordSystem: 'wgs84', consent: true }),
    });
    const answer = await located.json();
    expect(answer.decision).toMatchObject({ action: 'contact', staffId: staff['李四'], fallback: false });
    const xuhui = (await call('GET', '/api/v1/stores?q=徐汇')).json.items[0];
    expect(answer.decision.storeId).toBe(xuhui.id);
    expect(problems).toEqual([]);
  });

  let staffCodeId: string;
  it('creates a staff code with two members by weight, edits a weight, and the API has the change', async () => {
    await page.goto(`${server.url}/console/codes/new?type=staff`);
    await page.getByLabel('名称').fill('双十一导购');
    await choose(page.getByTestId('member-0'), '张三');
    await page.getByTestId('member-0').getByRole('spinbutton').fill('3');
    await page.getByTestId('add-member').click();
    await choose(page.getByTestId('member-1'), '李四');
    await page.getByTestId('member-1').getByRole('spinbutton').fill('7');
    await page.getByTestId('save-code').click();
    // Neither backup staff nor a backup page: the API says so under the backup staff.
    await item('备用员工').locator('.ant-form-item-explain-error').first().waitFor();
    await shot(page, '25-staff-code-error');
    await choose(item('备用员工'), '值班');
    await page.getByTestId('add-welcome').click();
    await page.getByLabel('文字', { exact: true }).fill('你好，我是你的专属导购');
    await shot(page, '24-staff-code-form');
    await page.getByTestId('save-code').click();
    await page.waitForURL(CODE_PAGE);
    staffCodeId = page.url().split('/').pop()!;

    await page.getByRole('button', { name: '编辑' }).click();
    await page.waitForURL('**/edit');
    const weight = page.getByTestId('member-1').getByRole('spinbutton');
    await expect.poll(() => weight.inputValue()).toBe('7');
    await weight.fill('5');
    await page.getByTestId('save-code').click();
    await page.waitForURL(CODE_PAGE);
    const saved = (await call('GET', `/api/v1/codes/${staffCodeId}`)).json;
    expect(saved.members).toEqual([{ staffId: staff['张三'], weight: 3 }, { staffId: staff['李四'], weight: 5 }]);
    expect(saved.backupStaffIds).toEqual([staff['值班']]);
    expect(saved.welcomeMessages).toEqual([{ text: '你好，我是你的专属导购' }]);
    expect(saved.strategy).toBe('weighted');

    const scan = await (await fetch(`${server.url}/s/${saved.slug}`, { headers: { accept: 'application/json', 'user-agent': PHONE_UA } })).json();
    expect(scan.decision.action).toBe('contact');
    expect([staff['张三'], staff['李四']]).toContain(scan.decision.staffId);
    expect(problems).toEqual([]);
  });

  it('uploads a PNG to the material library, the quota bar moves; too large a file and a full library are said plainly', async () => {
    const png = join(work, '海报背景.png');
    writeFileSync(png, await sharp({ create: { width: 320, height: 200, channels: 3, background: '#cc3333' } }).png().toBuffer());
    await page.goto(`${server.url}/console/materials`);
    await page.getByText('还没有素材').waitFor();
    const usage = page.getByTestId('materials-usage');
    await usage.getByText(/^已用 0 B/).waitFor();
    await page.locator('input[type=file]').setInputFiles(png);
    const card = page.getByTestId('material-card').filter({ hasText: '海报背景' });
    await card.waitFor();
    await expect.poll(() => usage.innerText()).toMatch(/^已用 1\.\d KB \/ 共 30\.0 KB/);
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    await shot(page, '26-materials');

    const refusal = page.getByTestId('material-refusal');
    writeFileSync(join(work, '太大.png'), await noisePng(MAX_KB + 4));
    await page.locator('input[type=file]').setInputFiles(join(work, '太大.png'));
    await refusal.getByText(/超过单个文件上限 20\.0 KB/).waitFor();
    writeFileSync(join(work, '噪点一.png'), await noisePng(16));
    writeFileSync(join(work, '噪点二.png'), await noisePng(16));
    await page.locator('input[type=file]').setInputFiles(join(work, '噪点一.png'));
    await page.getByTestId('material-card').filter({ hasText: '噪点一' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(join(work, '噪点二.png'));
    await refusal.getByText(/^素材库已满：已用 1[78]\.\d KB \/ 共 30\.0 KB，这张图片 16\.\d KB/).waitFor();
    await shot(page, '26b-materials-full');
    expect(await page.getByTestId('material-card').count()).toBe(2);
    // Deleting one gives its bytes back.
    await page.getByTestId('material-card').filter({ hasText: '噪点一' }).getByTestId('material-delete').click();
    await confirm();
    await page.getByTestId('material-card').filter({ hasText: '噪点一' }).waitFor({ state: 'detached' });
    await expect.poll(() => usage.innerText()).toMatch(/^已用 1\.\d KB/);

    await card.getByLabel('重命名').click();
    await page.locator('.ant-modal:visible input').fill('门店海报背景');
    await page.locator('.ant-modal:visible .ant-btn-primary').click();
    await page.getByTestId('material-card').filter({ hasText: '门店海报背景' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('refuses to delete a material while a code uses it, showing where, and deletes it once unused', async () => {
    const card = page.getByTestId('material-card').filter({ hasText: '门店海报背景' });
    const material = (await call('GET', '/api/v1/materials')).json.items[0];
    expect((await call('PATCH', `/api/v1/codes/${staffCodeId}`, { page: { backgroundImageId: material.id } })).status).toBe(200);
    await card.getByTestId('material-delete').click();
    await confirm();
    const uses = page.getByTestId('material-uses');
    await uses.getByText('双十一导购').waitFor();
    await uses.getByText('落地页背景图').waitFor();
    await shot(page, '27-material-in-use');
    await page.locator('.ant-modal:visible .ant-modal-close').click();
    expect(await card.count()).toBe(1);

    expect((await call('PATCH', `/api/v1/codes/${staffCodeId}`, { page: null })).status).toBe(200);
    await card.getByTestId('material-delete').click();
    await confirm();
    await card.waitFor({ state: 'detached' });
    await page.getByTestId('materials-usage').getByText(/^已用 0 B/).waitFor();
    expect((await call('GET', '/api/v1/materials')).json.items).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('fits the stores and materials screens on a phone at 390 px', async () => {
    const phone = await browser.newContext({
      locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await desktop.storageState(),
    });
    const small = watch(await phone.newPage());
    for (const [path, text] of [['stores', '静安店'], ['materials', '还没有素材']]) {
      await small.goto(`${server.url}/console/${path}`);
      await small.getByText(text!).first().waitFor();
      expect(await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await shot(small, `28-phone-${path}`);
    }
    await phone.close();
    expect(problems).toEqual([]);
  });
});

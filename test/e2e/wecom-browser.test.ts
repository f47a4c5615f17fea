import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../src/http/console.ts';
import { WeComSimulator } from '../../src/wecom/simulator/server.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { startChildServer, type ChildServer } from '../support/server.ts';

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
const SCREENSHOTS = join(import.meta.dirname, '../../test-output/screenshots');
const TOKEN = 'HuomaCallback2026';
const AES_KEY = 'c'.repeat(21) + 'D'.repeat(21) + '7';
const built = existsSync(join(CONSOLE_DIST, 'index.html'));

/** The WeCom screens as an owner uses them: `huoma serve` against the local WeCom simulator, driven in Chromium. */
describe.skipIf(!hasChromium || !built)('the WeCom screens in a browser', () => {
  let browser: Browser;
  let server: ChildServer;
  let page: Page;
  let receiver: Server;
  let receiverUrl: string;
  const received: string[] = [];
  const wecom = new WeComSimulator('ww_sim_corp', 'sim-secret', { now: () => Date.now() });
  let apiBase: string;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    apiBase = await wecom.start();
    for (const u of ['zhangsan', 'lisi']) wecom.members.set(u, { refuseCode: 0 });
    receiver = createServer((req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        received.push(String(req.headers['x-huoma-event'] ?? req.url));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    server = await startChildServer(['--data', mkdtempSync(join(tmpdir(), 'huoma-wecom-console-'))], {
      HUOMA_WECOM_ALLOW_HOSTS: '127.0.0.1', HUOMA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    });
    wecom.callbackTo(`${server.url}/wecom/callback`, TOKEN, AES_KEY);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.process.kill('SIGTERM');
    await server?.exited;
    await wecom.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const shot = async (name: string) => {
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  };
  /** The API as the signed-in page calls it (session cookie and CSRF header): for what a scan or another system does. */
  const call = (method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ([method, path, body]) => {
        const me = await (await fetch('/api/v1/me')).json();
        const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken };
        const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
        const res = await fetch(path, init);
        return { status: res.status, json: res.status === 204 ? null : await res.json() };
      },
      [method, path, body] as const,
    );
  const menu = (name: string) => page.getByRole('menuitem', { name, exact: true }).click();
  const dialog = () => page.getByRole('dialog');

  it('signs the owner in and shows the WeCom group in the menu', async () => {
    await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(/"setupCode":"[2-9A-Z-]+"/);
    const code = server.output().match(/"setupCode":"([2-9A-Z-]+)"/)![1]!;
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
    });
    await page.goto(`${server.url}/console/setup`);
    await page.getByLabel('设置码').fill(code);
    await page.getByLabel('姓名').fill('王经理');
    await page.getByLabel('邮箱').fill('wang@example.com');
    await page.getByLabel('密码').fill('双十一-活码-2026');
    await page.getByRole('button', { name: '创建并登录' }).click();
    await page.waitForURL('**/console/codes');
    for (const entry of ['员工', '渠道', '客户', '企业微信设置', 'Webhooks']) await page.getByRole('menuitem', { name: entry, exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('saves the WeCom settings; the secrets are never shown back, only that they are set; reconciles', async () => {
    await menu('企业微信设置');
    await page.getByText('尚未连接企业微信。').waitFor();
    await page.getByLabel('企业 ID（corpid）').fill('ww_sim_corp');
    await page.getByLabel('应用 Secret').fill('sim-secret');
    await page.getByLabel('回调 Token').fill(TOKEN);
    await page.getByLabel('回调 EncodingAESKey').fill('too-short');
    await page.getByLabel('API 地址').fill(apiBase);
    await page.getByTestId('save-wecom').click();
    // The API's refusal, under the field it names.
    await page.locator('.ant-form-item-has-error').filter({ hasText: 'EncodingAESKey' }).waitFor();
    await page.getByLabel('回调 EncodingAESKey').fill(AES_KEY);
    await page.getByTestId('save-wecom').click();
    await page.getByTestId('wecom-current').getByText('ww_sim_corp').waitFor();
    expect(await page.getByTestId('wecom-current').getByText('已设置').count()).toBe(2);
    expect(await page.getByLabel('应用 Secret').inputValue()).toBe('');
    await page.reload();
    await page.getByTestId('wecom-current').waitFor();
    expect(await page.getByLabel('应用 Secret').getAttribute('placeholder')).toBe('已设置，重新填写以保存');
    const html = await page.content();
    for (const secret of ['sim-secret', TOKEN, AES_KEY]) expect(html).not.toContain(secret);
    await page.getByTestId('reconcile').click();
    await page.getByTestId('reconcile-result').getByText('对账完成：补记 0 位客户').waitFor();
    await page.getByLabel('最近触点（客户计入最近一次带来他的渠道）').click();
    await page.getByText('已保存').first().waitFor();
    expect((await call('GET', '/api/v1/settings/attribution')).json.model).toBe('last_touch');
    await shot('wecom-01-settings');
    expect(problems).toEqual([]);
  });

  it('adds staff members, and a member leaves with the hand-over explained first', async () => {
    await menu('员工');
    await page.getByText('还没有员工').waitFor();
    for (const [name, userid] of [['张三', 'zhangsan'], ['李四', 'lisi']] as const) {
      await page.getByRole('button', { name: '添加员工' }).click();
      await dialog().getByLabel('姓名').fill(name);
      await dialog().getByLabel('企业微信 userid').fill(userid);
      if (name === '张三') await dialog().getByLabel('每日上限').fill('50');
      await page.getByTestId('save-staff').click();
      await page.getByTestId('staff-table').getByText(name).waitFor();
    }
    await page.getByTestId('today-张三').getByText('0 / 50').waitFor();
    await shot('wecom-02-staff');
    await page.getByTestId('staff-table').getByRole('row').filter({ hasText: '李四' }).getByRole('button', { name: '标记离职' }).click();
    await dialog().getByText('离职继承').waitFor();
    await dialog().getByLabel('交接给').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '张三' }).click();
    await shot('wecom-03-staff-leave');
    await dialog().getByRole('button', { name: '确认离职交接' }).click();
    await page.getByText('已交接给 张三').waitFor();
    await page.getByTestId('staff-table').getByRole('row').filter({ hasText: '李四' }).getByText('已离职').waitFor();
    expect(problems).toEqual([]);
  });

  it('builds a two-level channel tree; a channel with a sub-channel is not deleted', async () => {
    await menu('渠道');
    await page.getByText('还没有渠道').waitFor();
    await page.getByRole('button', { name: '添加一级渠道' }).click();
    await dialog().getByLabel('渠道名称').fill('双十一主会场');
    await dialog().getByLabel('渠道代码').fill('s11');
    await dialog().getByRole('button', { name: '保存' }).click();
    await page.getByTestId('channel-tree').getByText('S11', { exact: true }).waitFor();
    await page.getByRole('button', { name: '添加子渠道 S11' }).click();
    await dialog().getByLabel('渠道名称').fill('抖音信息流');
    await dialog().getByLabel('渠道代码').fill('BJ_TT_AD');
    await dialog().getByRole('button', { name: '保存' }).click();
    await page.getByTestId('channel-tree').getByText('BJ_TT_AD').waitFor();
    await page.getByRole('button', { name: '添加子渠道 S11' }).click();
    await dialog().getByLabel('渠道名称').fill('重复');
    await dialog().getByLabel('渠道代码').fill('BJ_TT_AD');
    await dialog().getByRole('button', { name: '保存' }).click();
    await dialog().locator('.ant-form-item-has-error').filter({ hasText: '渠道代码' }).waitFor();
    await dialog().getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: '删除 S11' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('与当前数据冲突').waitFor();
    const tree = (await call('GET', '/api/v1/channels')).json.items;
    expect(tree).toMatchObject([{ code: 'S11', children: [{ code: 'BJ_TT_AD', name: '抖音信息流' }] }]);
    expect(problems).toEqual([]);
  });

  it('creates a webhook and shows its signing secret once', async () => {
    await menu('Webhooks');
    await page.getByText('还没有 Webhook').waitFor();
    await page.getByRole('button', { name: '添加 Webhook' }).click();
    await dialog().getByLabel('接收地址').fill(receiverUrl);
    await dialog().getByLabel('code.created').check();
    await dialog().getByLabel('说明').fill('CRM 同步');
    await page.getByTestId('save-webhook').click();
    const secret = (await page.getByTestId('webhook-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    await shot('wecom-04-webhook-secret');
    await page.getByRole('dialog').getByRole('button', { name: '关闭' }).first().click();
    await page.getByTestId('webhooks-table').getByText('CRM 同步').waitFor();
    await page.reload();
    await page.getByTestId('webhooks-table').getByText('CRM 同步').waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(problems).toEqual([]);
  });

  let codeSlug: string;
  it('a scan of a staff code on the sub-channel, an add in WeCom: the report, the customers list, the delivery log', async () => {
    const [campaign] = (await call('GET', '/api/v1/channels')).json.items;
    const zhang = (await call('GET', '/api/v1/staff')).json.items.find((m: { name: string }) => m.name === '张三');
    const made = await call('POST', '/api/v1/codes', {
      type: 'staff', name: '双十一导购码', members: [{ staffId: zhang.id }], backupStaffIds: [zhang.id], channelId: campaign.children[0].id, tags: ['双十一'],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    codeSlug = made.json.slug;
    const scan = await (await fetch(`${server.url}/s/${codeSlug}`, { headers: { accept: 'application/json', 'user-agent': PHONE_UA } })).json();
    expect(scan.decision.action).toBe('contact');
    const way = [...wecom.contactWays.values()].find((w) => w.qr_code === scan.decision.qrUrl)!;
    const added = await wecom.customerAdds(way.config_id, { name: '小王' });
    expect(added.response!.status).toBe(200);

    await menu('客户');
    await page.getByTestId('customers-table').getByText('小王').waitFor({ timeout: 10_000 });
    await page.getByTestId('customers-table').getByRole('row').filter({ hasText: '小王' }).getByRole('cell', { name: '抖音信息流', exact: true }).waitFor();
    await page.getByPlaceholder('按客户名称搜索').fill('没有这个人');
    await page.getByPlaceholder('按客户名称搜索').press('Enter');
    await page.getByText('还没有客户').waitFor();
    await page.getByPlaceholder('按客户名称搜索').fill('王');
    await page.getByPlaceholder('按客户名称搜索').press('Enter');
    await shot('wecom-05-customers');
    await page.getByTestId('customers-table').getByText('小王').click();
    await page.getByTestId('customer-drawer').getByText('双十一导购码').first().waitFor();
    await page.getByTestId('customer-drawer').getByText('添加好友').waitFor();
    await shot('wecom-06-customer');
    await page.keyboard.press('Escape');

    await menu('渠道');
    const row = page.getByTestId('channel-report').getByRole('row').filter({ hasText: '抖音信息流' });
    await row.getByText('100.0%').waitFor();
    expect(await row.locator('td').allInnerTexts()).toEqual(expect.arrayContaining(['1', '100.0%']));
    await page.getByTestId('channel-chart').locator('canvas').waitFor();
    await shot('wecom-07-channels');

    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await menu('Webhooks');
    await page.getByRole('button', { name: '投递记录' }).click();
    const delivery = page.getByTestId('deliveries-table').getByRole('row').filter({ hasText: 'code.created' });
    await delivery.getByText('已送达').waitFor();
    await delivery.getByRole('button', { name: '重新投递' }).click();
    await page.getByText('已重新加入投递队列').waitFor();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(1);
    await shot('wecom-08-deliveries');
    expect(problems).toEqual([]);
  });

  it('switches to English', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await page.getByTestId('customers-table').getByText('小王').waitFor();
    await page.getByRole('menuitem', { name: 'Staff', exact: true }).click();
    await page.getByTestId('staff-table').getByText('Left', { exact: true }).waitFor();
    // The scan routed to 张三 counts toward today's figure beside the daily limit.
    await page.getByTestId('today-张三').getByText('1 / 50').waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: '员工' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('an analyst sees only the entries they may open, no buttons to change staff, and a refused screen says so', async () => {
    const analyst = { name: '数据分析', email: 'analyst@example.com', password: '只读-活码-2026-分析', role: 'analyst' };
    expect((await call('POST', '/api/v1/users', analyst)).status).toBe(201);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const limited = await context.newPage();
    limited.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await limited.goto(`${server.url}/console/login`);
    await limited.getByLabel('邮箱').fill(analyst.email);
    await limited.getByLabel('密码').fill(analyst.password);
    await limited.getByRole('button', { name: '登录' }).click();
    await limited.waitForURL('**/console/codes');
    await limited.getByRole('menuitem', { name: '渠道', exact: true }).click();
    await limited.getByTestId('channel-report').getByText('抖音信息流').waitFor();
    expect(await limited.getByRole('button', { name: '添加一级渠道' }).count()).toBe(0);
    for (const hidden of ['客户', '企业微信设置', 'Webhooks']) expect(await limited.getByRole('menuitem', { name: hidden, exact: true }).count()).toBe(0);
    await limited.getByRole('menuitem', { name: '员工', exact: true }).click();
    await limited.getByTestId('staff-table').getByText('张三').waitFor();
    expect(await limited.getByRole('button', { name: '添加员工' }).count()).toBe(0);
    await limited.goto(`${server.url}/console/wecom/customers`);
    await limited.getByTestId('load-error').getByText('没有权限查看此内容').waitFor();
    await limited.screenshot({ path: join(SCREENSHOTS, 'wecom-09-forbidden.png'), fullPage: true });
    await context.close();
    expect(problems).toEqual([]);
  });
});

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../src/http/console.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { screenshot, watchPage } from '../support/console-page.ts';
import { runCli, startChildServer, type ChildServer } from '../support/server.ts';

const built = existsSync(join(CONSOLE_DIST, 'index.html'));

/** The team and settings screens as an owner runs them, and what an editor does not see of them. */
describe.skipIf(!hasChromium || !built)('the console’s team and settings screens', () => {
  let browser: Browser;
  let server: ChildServer;
  let page: Page;
  let key: string;
  const problems: string[] = [];
  const owner = { email: 'zhao@example.com', password: '团队设置-2026-owner' };
  const editor = { name: '李编辑', email: 'li.bianji@example.com', password: '编辑的密码-2026' };

  beforeAll(async () => {
    const data = mkdtempSync(join(tmpdir(), 'huoma-team-'));
    const made = await runCli(['user', 'create', '--email', owner.email, '--password', owner.password, '--role', 'owner', '--name', '赵总', '--data', data]);
    expect(made.code).toBe(0);
    key = (await runCli(['token', 'create', '--role', 'owner', '--name', '部署脚本', '--data', data])).stdout.trim().split('\n').at(-1)!;
    server = await startChildServer(['--data', data]);
    // A custom role that edits codes and nothing of the team.
    const role = await fetch(`${server.url}/api/v1/roles`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'editor', permissions: ['codes.read', 'codes.write'] }),
    });
    expect(role.status).toBe(201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.process.kill('SIGTERM');
    await server?.exited;
  });

  const signIn = async (who: { email: string; password: string }) => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const signedIn = watchPage(await context.newPage(), problems);
    await signedIn.goto(`${server.url}/console/login`);
    await signedIn.getByLabel('邮箱').fill(who.email);
    await signedIn.getByLabel('密码').fill(who.password);
    await signedIn.getByRole('button', { name: '登录' }).click();
    await signedIn.waitForURL('**/console/codes');
    return signedIn;
  };
  const openMenu = async (entry: string) => {
    await page.getByRole('menuitem', { name: entry }).click();
  };
  /** Picks an option of the antd Select labelled `label` in the open dialog. */
  const pick = async (label: string, option: string) => {
    await page.locator('.ant-modal:visible').getByLabel(label, { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).click();
    // A multiple choice stays open over the dialog's buttons until something else is clicked.
    await dialog().locator('.ant-modal-title').click();
  };
  const dialog = () => page.locator('.ant-modal:visible');
  const row = (text: string) => page.locator('.ant-table-row').filter({ hasText: text });

  it('lets the owner create a department and a user in it, the API’s field error shown on its field first', async () => {
    page = await signIn(owner);
    // The side menu's groups are open: the team screens are one click away.
    await page.getByRole('menuitem', { name: '团队与设置' }).waitFor();
    await openMenu('部门');
    await page.waitForURL('**/console/team/departments');
    await page.getByText('还没有部门').waitFor();
    await page.getByRole('button', { name: '新建部门' }).click();
    await dialog().getByLabel('部门名称').fill('华东');
    await dialog().getByRole('button', { name: '保存' }).click();
    await row('华东').getByRole('button', { name: '重命名' }).click();
    await dialog().getByLabel('部门名称').fill('华东大区');
    await dialog().getByRole('button', { name: '保存' }).click();
    await row('华东大区').waitFor();
    await page.getByRole('button', { name: '新建部门' }).click();
    await dialog().getByLabel('部门名称').fill('上海');
    await dialog().getByLabel('上级部门').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title').filter({ hasText: '华东大区' }).click();
    await dialog().getByRole('button', { name: '保存' }).click();
    // Shown under its parent, the tree open.
    await page.locator('.ant-table-row-level-1').filter({ hasText: '上海' }).waitFor();
    await screenshot(page, 'team-01-departments');

    await openMenu('成员');
    await page.waitForURL('**/console/team/users');
    await row(owner.email).waitFor();
    await page.getByRole('button', { name: '添加成员' }).click();
    await dialog().getByLabel('邮箱').fill('not-an-email');
    await dialog().getByLabel('姓名').fill(editor.name);
    await dialog().getByLabel('密码').fill(editor.password);
    await pick('角色', 'editor');
    await pick('部门', '华东大区');
    await dialog().getByRole('button', { name: '保存' }).click();
    const emailError = dialog().locator('.ant-form-item-has-error').filter({ hasText: '邮箱' });
    await emailError.waitFor();
    expect(await emailError.locator('.ant-form-item-explain').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await dialog().getByLabel('邮箱').fill(editor.email);
    await dialog().getByRole('button', { name: '保存' }).click();
    await row(editor.email).filter({ hasText: '华东大区' }).filter({ hasText: 'editor' }).waitFor();
    await screenshot(page, 'team-02-users');
    // Disabled, then enabled again: the editor signs in at the end.
    await row(editor.email).getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: '确定' }).click();
    await row(editor.email).filter({ hasText: '已停用' }).getByRole('button', { name: '启用' }).click();
    await row(editor.email).filter({ hasText: '正常' }).getByRole('button', { name: '停用' }).waitFor();

    // In use now: the refusal says so plainly, and the department stays.
    await openMenu('部门');
    await row('华东大区').getByRole('button', { name: '删除' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: '确定' }).click();
    await page.locator('.ant-modal-confirm-title').filter({ hasText: '无法删除：此部门仍被使用' }).waitFor();
    expect(await page.locator('.ant-modal-confirm').innerText()).toContain('请先移走或删除它的下级部门');
    await screenshot(page, 'team-03-department-in-use');
    await page.locator('.ant-modal-confirm').getByRole('button').click();
    await row('华东大区').waitFor();
    expect(problems).toEqual([]);
  });

  it('creates an API key shown once with a copy button, and revokes it', async () => {
    await openMenu('API 密钥');
    await page.waitForURL('**/console/team/keys');
    await row('部署脚本').waitFor();
    await page.getByRole('button', { name: '创建 API 密钥' }).click();
    await dialog().getByLabel('密钥名称').fill('ERP 对接');
    await pick('角色', 'viewer');
    await dialog().getByRole('button', { name: '保存' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor();
    const key = (await shown.innerText()).trim();
    expect(key).toMatch(/^hm_/);
    await page.getByText('密钥只显示这一次').waitFor();
    await shown.getByRole('button', { name: '复制' }).waitFor();
    await screenshot(page, 'team-04-key-once');
    expect((await fetch(`${server.url}/api/v1/codes`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await page.getByRole('button', { name: '我已保存' }).click();
    await shown.waitFor({ state: 'detached' });
    await row('ERP 对接').waitFor();
    expect(await page.content()).not.toContain(key);

    await row('ERP 对接').getByRole('button', { name: '撤销' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: '确定' }).click();
    await row('ERP 对接').filter({ hasText: '已撤销' }).waitFor();
    expect((await fetch(`${server.url}/api/v1/codes`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    await screenshot(page, 'team-05-keys');
    expect(problems).toEqual([]);
  });

  it('shows those actions in the operation log, newest first, and filters it', async () => {
    await openMenu('操作日志');
    await page.waitForURL('**/console/team/audit');
    const actions = page.locator('.ant-table-row [data-action]');
    await actions.first().waitFor();
    const listed = await actions.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
    // Newest first: the sub-department (上海) was made after the rename of its parent.
    const order = ['token.revoke', 'token.create', 'user.update', 'user.create', 'department.create', 'department.update'].map((a) => listed.indexOf(a));
    expect(order.every((i) => i >= 0), listed.join(' ')).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    await row('撤销 API 密钥').filter({ hasText: '赵总' }).waitFor();
    await screenshot(page, 'team-06-audit');
    await page.getByTestId('audit-action').locator('input').fill('token.create');
    await page.getByTestId('audit-action').locator('input').press('Enter');
    await expect.poll(() => actions.evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-action')))])).toEqual(['token.create']);
    expect(problems).toEqual([]);
  });

  it('offers two-factor setup as a QR code, with the API’s refusal of a wrong code on the field', async () => {
    await page.getByTestId('user-menu').hover();
    await page.getByText('我的账号').click();
    await page.waitForURL('**/console/team/account');
    await page.getByRole('button', { name: '开始设置' }).click();
    await page.getByTestId('totp-qr').locator('canvas').waitFor();
    await page.getByLabel('应用显示的 6 位动态码').fill('12345');
    await page.getByRole('button', { name: '确认开启' }).click();
    await page.locator('.ant-form-item-has-error').filter({ hasText: '动态码' }).waitFor();
    await screenshot(page, 'team-07-two-factor');
    expect(problems).toEqual([]);
  });

  it('sets an approval policy, and approves a held change from the inbox with a reason', async () => {
    await openMenu('审批');
    await page.getByText('没有待审批的变更').waitFor();
    await page.getByRole('tab', { name: '审批设置' }).click();
    await page.getByRole('button', { name: '添加审批规则' }).click();
    await page.getByLabel('层级名称').fill('主管');
    await page.getByLabel('可审批的角色').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'owner' }).click();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();

    const call = (method: string, path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const code = (await (await call('POST', '/api/v1/codes', { name: '门店海报', url: 'https://shop.example/a' })).json()) as { id: string };
    expect((await call('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/b' })).status).toBe(202);

    await page.reload();
    const proposal = page.getByTestId('proposal').filter({ hasText: '部署脚本' }).filter({ hasText: 'https://shop.example/b' });
    await proposal.waitFor();
    await screenshot(page, 'team-08-approvals');
    await proposal.getByRole('button', { name: '同意' }).click();
    await dialog().getByLabel('理由').fill('符合活动安排');
    await dialog().getByRole('button', { name: '同意' }).click();
    await page.getByText('没有待审批的变更').waitFor();
    const applied = await fetch(`${server.url}/api/v1/codes/${code.id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await applied.json()) as { url: string }).url).toBe('https://shop.example/b');
    await page.getByRole('tab', { name: '全部' }).click();
    await page.getByTestId('proposal').filter({ hasText: '已生效' }).filter({ hasText: '符合活动安排' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('fits the team screens on a phone at 390 px with no horizontal scrolling', async () => {
    const phone = await browser.newContext({
      locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await page.context().storageState(),
    });
    const small = watchPage(await phone.newPage(), problems);
    for (const [path, shown] of [['users', '李编辑'], ['departments', '华东大区'], ['keys', 'ERP 对接'], ['audit', '赵总'], ['approvals', '待审批']]) {
      await small.goto(`${server.url}/console/team/${path}`);
      await small.getByText(shown!).first().waitFor();
      expect(await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), path).toBeLessThanOrEqual(0);
    }
    await screenshot(small, 'team-10-phone-approvals');
    await phone.close();
    expect(problems).toEqual([]);
  });

  it('switches to English and shows the team screens in English', async () => {
    await openMenu('操作日志');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'Team & settings' }).waitFor();
    await page.getByRole('heading', { name: 'Operation log' }).waitFor();
    await page.getByRole('columnheader', { name: 'Who' }).waitFor();
    await row('Revoked an API key').waitFor();
    await openMenu('Users');
    await page.getByRole('button', { name: 'Add user' }).waitFor();
    await page.getByRole('columnheader', { name: 'Departments' }).waitFor();
    await page.getByTestId('language-switch').click();
    await page.getByRole('button', { name: '添加成员' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows an editor no team menu, and the server’s refusal should they open a team screen anyway', async () => {
    const editorPage = await signIn(editor);
    await editorPage.getByRole('menuitem', { name: '活码管理' }).waitFor();
    expect(await editorPage.getByRole('menuitem', { name: '团队与设置' }).count()).toBe(0);
    await editorPage.goto(`${server.url}/console/team/users`);
    await editorPage.getByTestId('query-error').filter({ hasText: '没有权限' }).waitFor();
    await screenshot(editorPage, 'team-09-editor-refused');
    expect(problems).toEqual([]);
  });
});

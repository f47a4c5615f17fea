import { afterAll, beforeAll, expect, it } from 'vitest';
import { WeComSimulator } from '../../src/wecom/simulator/server.ts';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const qr = (name: string) => `https://img.example/${name}.png`;
/** The same URL as stored: WHATWG percent-encodes the Chinese name. */
const storedQr = (name: string) => `https://img.example/${encodeURIComponent(name)}.png`;
/** Tuesday 2026-11-24 10:00 in Shanghai. */
const TUESDAY_10 = Date.parse('2026-11-24T02:00:00Z');
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50';
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

describeEngines('staff codes', (engine) => {
  let server: TestServer;
  let now = TUESDAY_10;
  const clock = { now: () => now };
  let sales: string;
  let service: string;
  const staff: Record<string, string> = {};

  const scan = (slug: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/s/${slug}`, { headers: { accept: 'application/json', 'user-agent': PHONE, ...headers }, redirect: 'manual' });
  const addStaff = async (name: string, extra: object = {}) => {
    const made = await server.api('POST', '/api/v1/staff', { name, contactQrUrl: qr(name), ...extra });
    expect(made.status).toBe(201);
    return (staff[name] = made.json.id);
  };
  const newCode = async (body: object) => {
    const made = await server.api('POST', '/api/v1/codes', { type: 'staff', name: '门店导购码', ...body });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    return made.json;
  };

  beforeAll(async () => {
    server = await startServer(await engine.open(), {}, { clock });
    sales = (await server.api('POST', '/api/v1/departments', { name: '销售一部' })).json.id;
    service = (await server.api('POST', '/api/v1/departments', { name: '客服部' })).json.id;
    await addStaff('张三', { departmentId: sales, schedule: [{ weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] });
    await addStaff('李四', { departmentId: service });
    await addStaff('王五', { departmentId: service });
    await addStaff('值班', {});
  });
  afterAll(() => server.close());

  it('follows the contract: a member and a department by weight, the scanner sees one of them with their QR', async () => {
    const code = await newCode({
      members: [{ staffId: staff['张三'], weight: 3 }, { departmentId: service, weight: 7 }],
      strategy: 'weighted', backupStaffIds: [staff['值班']], tags: ['双十一'], welcomeMessages: [{ text: '欢迎！' }],
    });
    expect(code).toMatchObject({
      type: 'staff', strategy: 'weighted', dedupeHours: 3, url: null, members: [{ staffId: staff['张三'], weight: 3 }, { departmentId: service, weight: 7 }],
    });
    const seen = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const body = await (await scan(code.slug)).json();
      expect(body.decision).toMatchObject({ action: 'contact', reason: 'members', fallback: false });
      expect(body.decision.qrUrl).toBe(storedQr(Object.entries(staff).find(([, id]) => id === body.decision.staffId)![0]));
      seen.set(body.decision.name, (seen.get(body.decision.name) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['张三', '李四', '王五'].sort());
    expect((await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json).toMatchObject({ scans: 60, repeats: 0 });
  });

  it('shows a mobile page with the member\'s name and contact QR to long-press', async () => {
    const code = await newCode({ members: [{ staffId: staff['李四'] }], backupStaffIds: [staff['值班']] });
    const res = await fetch(`${server.url}/s/${code.slug}`);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('李四');
    expect(page).toContain(`src="${storedQr('李四')}"`);
    expect(page).toContain('长按识别');
  });

  it('sends a device back to the same member within the dedupe window, recorded but not counted again', async () => {
    const code = await newCode({ members: [{ staffId: staff['李四'] }, { staffId: staff['王五'] }], strategy: 'round_robin', backupStaffIds: [staff['值班']] });
    const first = await scan(code.slug);
    const met = (await first.json()).decision.staffId;
    for (let i = 0; i < 3; i++) {
      const again = await (await scan(code.slug, { cookie: cookiesOf(first) })).json();
      expect(again.decision).toMatchObject({ staffId: met, reason: 'repeat' });
    }
    expect((await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json).toMatchObject({ scans: 1, repeats: 3 });
    expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json.scanCount).toBe(1);
    now += 4 * 3_600_000;
    const later = await (await scan(code.slug, { cookie: cookiesOf(first) })).json();
    expect(later.decision.reason).toBe('members');
    now = TUESDAY_10;
  });

  it('never passes a daily limit: the member takes exactly their limit, then the backup takes over', async () => {
    const limited = await addStaff('限额', { dailyLimit: 2 });
    const code = await newCode({ members: [{ staffId: limited }], backupStaffIds: [staff['值班']] });
    const picks = await Promise.all(Array.from({ length: 6 }, async () => (await (await scan(code.slug)).json()).decision));
    expect(picks.filter((d) => d.staffId === limited)).toHaveLength(2);
    expect(picks.filter((d) => d.staffId === staff['值班'] && d.fallback === true && d.reason === 'backup')).toHaveLength(4);
  });

  it('holds a bot User-Agent by the daily limit too, and leaves it out of statistics', async () => {
    const limited = await addStaff('限额机器', { dailyLimit: 1 });
    const code = await newCode({ members: [{ staffId: limited }], backupStaffIds: [staff['值班']] });
    expect((await (await scan(code.slug, { 'user-agent': 'curl/8.5.0' })).json()).decision).toMatchObject({ staffId: limited, reason: 'members' });
    expect((await (await scan(code.slug, { 'user-agent': 'curl/8.5.0' })).json()).decision).toMatchObject({ staffId: staff['值班'], reason: 'backup' });
    expect((await (await scan(code.slug)).json()).decision).toMatchObject({ staffId: staff['值班'], reason: 'backup' });
    expect((await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json).toMatchObject({ scans: 1 });
  });

  it('passes over a member at maxOpen as the customer-service system reports, until the report is 10 minutes old', async () => {
    const busy = await addStaff('忙碌', { maxOpen: 5 });
    const code = await newCode({ members: [{ staffId: busy }], overflowColleagues: false, backupStaffIds: [staff['值班']] });
    expect((await (await scan(code.slug)).json()).decision.staffId).toBe(busy);

    const reported = await server.api('PUT', `/api/v1/staff/${busy}/open-conversations`, { count: 5 });
    expect(reported.status).toBe(200);
    expect(reported.json.openConversations).toEqual({ count: 5, reportedAt: new Date(now).toISOString(), fresh: true });
    expect((await (await scan(code.slug)).json()).decision).toMatchObject({ staffId: staff['值班'], reason: 'backup' });
    const simulated = await server.api('POST', `/api/v1/codes/${code.id}/simulate`, {});
    expect(simulated.json.trace.candidates).toContainEqual({ tier: 'members', staffId: busy, available: false, reason: 'busy' });

    // The batch form: below maxOpen again, the member takes scans again.
    expect((await server.api('PUT', '/api/v1/staff/open-conversations', { counts: [{ staffId: busy, count: 4 }] })).json).toEqual({ reported: 1 });
    expect((await (await scan(code.slug)).json()).decision.staffId).toBe(busy);
    await server.api('PUT', '/api/v1/staff/open-conversations', { counts: [{ staffId: busy, count: 9 }] });
    expect((await (await scan(code.slug)).json()).decision.staffId).toBe(staff['值班']);

    // The reporting system went quiet: its last numbers no longer hold the member back.
    now += 10 * 60_000 + 1;
    expect((await server.api('GET', `/api/v1/staff/${busy}`)).json.openConversations).toMatchObject({ count: 9, fresh: false });
    expect((await (await scan(code.slug)).json()).decision.staffId).toBe(busy);
    const later = await server.api('POST', `/api/v1/codes/${code.id}/simulate`, {});
    expect(later.json.trace.candidates).toContainEqual({ tier: 'members', staffId: busy, available: true, reason: null });
    now = TUESDAY_10;
  });

  it('takes open-conversation reports only for members that exist, in the reporter\'s departments, all or nothing', async () => {
    const online = (await server.api('POST', '/api/v1/departments', { name: '在线客服' })).json.id;
    const member = await addStaff('报告', { departmentId: online, maxOpen: 3 });
    const bad = await server.api('PUT', '/api/v1/staff/open-conversations', { counts: [{ staffId: member, count: 3 }, { staffId: 'stf_nobody', count: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('counts.1.staffId');
    expect((await server.api('PUT', '/api/v1/staff/open-conversations', { counts: [{ staffId: member, count: -1 }] })).json.error.field).toBe('counts.0.count');
    expect((await server.api('GET', `/api/v1/staff/${member}`)).json.openConversations).toBeNull();
    expect((await server.api('PUT', '/api/v1/staff/stf_nobody/open-conversations', { count: 1 })).status).toBe(404);

    const serviceAdmin = (await server.api('POST', '/api/v1/tokens', { name: '客服部管理员', role: 'admin', departments: [service] })).json.token;
    expect((await server.api('PUT', `/api/v1/staff/${member}/open-conversations`, { count: 1 }, serviceAdmin)).status).toBe(403);
    const counts = [{ staffId: staff['李四'], count: 1 }, { staffId: member, count: 1 }];
    const batch = await server.api('PUT', '/api/v1/staff/open-conversations', { counts }, serviceAdmin);
    expect(batch.status).toBe(403);
    expect(batch.json.error.field).toBe('counts.1.staffId');
    expect((await server.api('PUT', '/api/v1/staff/open-conversations', { counts: [{ staffId: staff['李四'], count: 1 }] }, serviceAdmin)).status).toBe(200);
    expect((await server.api('GET', `/api/v1/staff/${member}`)).json.openConversations).toBeNull();
    expect((await server.api('PUT', `/api/v1/staff/${member}/open-conversations`, { count: 1 }, await server.token('operator'))).status).toBe(403);
  });

  it('overflows to colleagues of the same department when the listed member is off duty, and closes when asked to', async () => {
    now = Date.parse('2026-11-24T14:00:00Z'); // 22:00 in Shanghai: 张三 is off
    const colleague = await addStaff('同事', { departmentId: sales });
    const overflow = await newCode({ members: [{ staffId: staff['张三'] }], backupStaffIds: [staff['值班']] });
    expect((await (await scan(overflow.slug)).json()).decision).toMatchObject({ staffId: colleague, reason: 'colleagues', fallback: false });
    const closing = await newCode({ members: [{ staffId: staff['张三'] }], backupStaffIds: [staff['值班']], offHours: 'close' });
    expect((await (await scan(closing.slug)).json()).decision).toMatchObject({ action: 'inactive', reason: 'off_hours' });
    const page = await (await fetch(`${server.url}/s/${closing.slug}`)).text();
    expect(page).toContain('当前为非工作时间');
    const simulated = await server.api('POST', `/api/v1/codes/${overflow.id}/simulate`, {});
    expect(simulated.json.decision).toMatchObject({ action: 'contact', staffId: colleague });
    expect(simulated.json.trace.candidates).toContainEqual({ tier: 'members', staffId: staff['张三'], available: false, reason: 'off_duty' });
    now = TUESDAY_10;
  });

  it('picks another roster by rule: weekends go to the weekend pool', async () => {
    const code = await newCode({
      members: [{ staffId: staff['李四'] }], backupStaffIds: [staff['值班']],
      memberRules: [{ name: '周末', when: { weekdays: [6, 7] }, members: [{ staffId: staff['王五'] }] }],
    });
    expect((await (await scan(code.slug)).json()).decision.staffId).toBe(staff['李四']);
    now = Date.parse('2026-11-28T02:00:00Z'); // Saturday
    expect((await (await scan(code.slug)).json()).decision).toMatchObject({ staffId: staff['王五'], rule: { index: 0, name: '周末' } });
    now = TUESDAY_10;
  });

  it('refuses, naming the field, a code with no way out, unknown people, and staff fields on a URL code', async () => {
    const cases: [object, string][] = [
      [{ type: 'staff', name: 'x', members: [{ staffId: staff['李四'] }] }, 'backupStaffIds'],
      [{ type: 'staff', name: 'x', members: [{ staffId: 'stf_nobody' }], backupStaffIds: [staff['值班']] }, 'members.0.staffId'],
      [{ type: 'staff', name: 'x', members: [{ departmentId: 'dep_nowhere' }], url: 'https://shop.example/sorry' }, 'members.0.departmentId'],
      [{ type: 'staff', name: 'x', members: [], url: 'https://shop.example/sorry' }, 'members'],
      [{ type: 'staff', name: 'x', members: [{ staffId: staff['李四'], departmentId: service }], url: 'https://shop.example/sorry' }, 'members.0.staffId'],
      [{ name: 'x', url: 'https://shop.example', members: [{ staffId: staff['李四'] }] }, 'members'],
    ];
    for (const [body, field] of cases) {
      const res = await server.api('POST', '/api/v1/codes', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
    const code = await newCode({ members: [{ staffId: staff['李四'] }], url: 'https://shop.example/sorry' });
    const patch = await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: null });
    expect(patch.status).toBe(400);
    expect(patch.json.error.field).toBe('backupStaffIds');
  });

  it('sends the scanner to the backup page when nobody at all can take the scan', async () => {
    const away = await addStaff('休假', { status: 'away' });
    const code = await newCode({ members: [{ staffId: away }], overflowColleagues: false, url: 'https://shop.example/leave-a-message' });
    const res = await scan(code.slug, { accept: 'text/html' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/leave-a-message');
  });
});

describeEngines('staff codes with WeCom contact ways', (engine) => {
  let server: TestServer;
  const clock = { now: () => Date.now() };
  const wecom = new WeComSimulator('ww_sim_corp', 'sim-secret', clock);

  beforeAll(async () => {
    server = await startServer(await engine.open(), {}, { clock });
    const apiBase = await wecom.start();
    await server.api('PUT', '/api/v1/wecom/settings', {
      corpId: 'ww_sim_corp', secret: 'sim-secret', token: 'HuomaToken', encodingAESKey: 'k'.repeat(43), apiBase,
    });
    wecom.members.set('zhangsan', { refuseCode: 0 });
    wecom.members.set('lisi', { refuseCode: 0 });
    wecom.members.set('nolicence', { refuseCode: 84074 });
  });
  afterAll(async () => {
    await server.close();
    await wecom.close();
  });

  it('keeps one single-person contact way per member, tied to the code by state, and deletes it when the member leaves the code', async () => {
    const zhang = (await server.api('POST', '/api/v1/staff', { name: '张三', wecomUserId: 'zhangsan' })).json.id;
    const li = (await server.api('POST', '/api/v1/staff', { name: '李四', wecomUserId: 'lisi' })).json.id;
    const code = (await server.api('POST', '/api/v1/codes', { type: 'staff', name: '企微码', members: [{ staffId: zhang }], backupStaffIds: [li] })).json;
    const ways = () => [...wecom.contactWays.values()].filter((w) => w.state === `hm:${code.slug}`);
    expect(ways().map((w) => w.user)).toEqual([['zhangsan'], ['lisi']]);
    expect(ways().every((w) => w.type === 1)).toBe(true);
    const body = await (await fetch(`${server.url}/s/${code.slug}`, { headers: { accept: 'application/json' } })).json();
    expect(body.decision).toMatchObject({ staffId: zhang, qrUrl: ways()[0]!.qr_code });

    const changed = await server.api('PATCH', `/api/v1/codes/${code.id}`, { backupStaffIds: [], url: 'https://shop.example/sorry' });
    expect(changed.status).toBe(200);
    await expect.poll(() => ways().map((w) => w.user)).toEqual([['zhangsan']]);

    // The member moves to another WeCom account: scanners get a way to the new one, the old one goes.
    wecom.members.set('zhangsan2', { refuseCode: 0 });
    expect((await server.api('PATCH', `/api/v1/staff/${zhang}`, { wecomUserId: 'zhangsan2' })).status).toBe(200);
    const moved = await (await fetch(`${server.url}/s/${code.slug}`, { headers: { accept: 'application/json' } })).json();
    expect(ways().map((w) => w.user)).toEqual([['zhangsan2']]);
    expect(moved.decision.qrUrl).toBe(ways()[0]!.qr_code);
  });

  it('refuses a member who cannot hold WeCom customers, saying why', async () => {
    const cannot = (await server.api('POST', '/api/v1/staff', { name: '无许可', wecomUserId: 'nolicence' })).json.id;
    const res = await server.api('POST', '/api/v1/codes', { type: 'staff', name: '企微码', members: [{ staffId: cannot }], url: 'https://shop.example/sorry' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ field: 'members.0.staffId' });
    expect(res.json.error.message).toContain('84074');
  });
});

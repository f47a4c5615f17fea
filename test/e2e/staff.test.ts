import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describeEngines('staff', (engine) => {
  let server: TestServer;
  let east: string;
  let shanghai: string;

  beforeAll(async () => {
    server = await startServer(await engine.open());
    east = (await server.api('POST', '/api/v1/departments', { name: '华东' })).json.id;
    shanghai = (await server.api('POST', '/api/v1/departments', { name: '上海', parentId: east })).json.id;
  });
  afterAll(() => server.close());

  const weekdays = {
    shifts: [{ weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, { weekdays: [6], from: '10:00', to: '16:00' }],
    holidays: ['2026-12-25'],
  };

  it('keeps a member with schedule, limits and skills, nested departments included', async () => {
    expect((await server.api('GET', '/api/v1/departments')).json.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: shanghai, parentId: east })]),
    );
    const made = await server.api('POST', '/api/v1/staff', {
      name: '张三', departmentId: shanghai, wecomUserId: 'zhangsan', weight: 3, dailyLimit: 50, schedule: weekdays, skills: ['售后'], efficiency: 1.5, maxOpen: 20,
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ name: '张三', status: 'active', weight: 3, dailyLimit: 50, efficiency: 1.5, schedule: weekdays, skills: ['售后'] });
    const left = await server.api('PATCH', `/api/v1/staff/${made.json.id}`, { status: 'left' });
    expect(left.json.status).toBe('left');
    expect((await server.api('GET', '/api/v1/staff?status=left')).json.items.map((s: { id: string }) => s.id)).toEqual([made.json.id]);
  });

  it("shows each member's scans today beside their daily limit", async () => {
    const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
    const busy = (await server.api('POST', '/api/v1/staff', { name: '当班', contactQrUrl: 'https://img.example/busy.png', dailyLimit: 5 })).json.id;
    const idle = (await server.api('POST', '/api/v1/staff', { name: '轮休', contactQrUrl: 'https://img.example/idle.png' })).json.id;
    const code = (await server.api('POST', '/api/v1/codes', { type: 'staff', name: '今日', members: [{ staffId: busy }], backupStaffIds: [busy] })).json;
    for (const device of [1, 2]) {
      const headers = { 'user-agent': `${PHONE} ${device}`, 'x-forwarded-for': `203.0.113.${device}` };
      const res = await fetch(`${server.url}/s/${code.slug}`, { headers });
      expect(res.status).toBe(200);
    }
    await fetch(`${server.url}/s/${code.slug}`, { headers: { 'user-agent': 'curl/8.5.0' } });
    const today = new Map((await server.api('GET', '/api/v1/staff')).json.items.map((m: { id: string; scansToday: number }) => [m.id, m.scansToday]));
    expect(today.get(busy)).toBe(2);
    expect(today.get(idle)).toBe(0);
  });

  it('refuses members nobody could reach, impossible schedules and a WeCom userid taken twice, naming the field', async () => {
    const cases: [object, string][] = [
      [{ name: '无人' }, 'wecomUserId'],
      [{ name: '夜班', wecomUserId: 'night', schedule: { shifts: [{ weekdays: [1], from: '25:00', to: '06:00' }] } }, 'schedule.shifts.0.from'],
      [{ name: '周八', wecomUserId: 'w8', schedule: { shifts: [{ weekdays: [8], from: '09:00', to: '18:00' }] } }, 'schedule.shifts.0.weekdays.0'],
      [{ name: '零', wecomUserId: 'zero', weight: 0 }, 'weight'],
      [{ name: '外', wecomUserId: 'x1', departmentId: 'dep_nope' }, 'departmentId'],
    ];
    for (const [body, field] of cases) {
      const res = await server.api('POST', '/api/v1/staff', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
    await server.api('POST', '/api/v1/staff', { name: '李四', wecomUserId: 'lisi' });
    const twice = await server.api('POST', '/api/v1/staff', { name: '李四二', wecomUserId: 'lisi' });
    expect(twice.status).toBe(409);
    expect(twice.json.error.field).toBe('wecomUserId');
  });

  it('limits a department’s admin to its own members', async () => {
    const south = (await server.api('POST', '/api/v1/departments', { name: '华南' })).json.id;
    const southMember = (await server.api('POST', '/api/v1/staff', { name: '王五', departmentId: south, contactQrUrl: 'https://img.example/wangwu.png' })).json;
    const eastAdmin = (await server.api('POST', '/api/v1/tokens', { name: '华东管理员', role: 'admin', departments: [east] })).json.token;
    const mine = await server.api('POST', '/api/v1/staff', { name: '赵六', wecomUserId: 'zhaoliu' }, eastAdmin);
    expect(mine.json.departmentId).toBe(east);
    expect((await server.api('GET', `/api/v1/staff/${southMember.id}`, undefined, eastAdmin)).status).toBe(403);
    expect((await server.api('PATCH', `/api/v1/staff/${southMember.id}`, { weight: 9 }, eastAdmin)).status).toBe(403);
    const seen = (await server.api('GET', '/api/v1/staff', undefined, eastAdmin)).json.items.map((s: { name: string }) => s.name);
    expect(seen).toEqual(['赵六']);
    const operator = await server.token('operator');
    expect((await server.api('POST', '/api/v1/staff', { name: 'x', wecomUserId: 'x' }, operator)).status).toBe(403);
  });
});

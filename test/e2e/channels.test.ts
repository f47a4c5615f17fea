import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describeEngines('channels', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engine.open());
  });
  afterAll(() => server.close());

  it('keeps channels as a tree of any depth, and codes belong to one', async () => {
    const main = (await server.api('POST', '/api/v1/channels', { name: '双十一主会场', code: 'D11' })).json;
    const douyin = (await server.api('POST', '/api/v1/channels', { name: '抖音信息流', code: 'D11_DY', parentId: main.id })).json;
    const burst = (await server.api('POST', '/api/v1/channels', { name: '11.11爆发期', code: 'D11_DY_BURST', parentId: douyin.id })).json;
    const tree = (await server.api('GET', '/api/v1/channels')).json.items;
    expect(tree).toMatchObject([{ code: 'D11', children: [{ code: 'D11_DY', children: [{ code: 'D11_DY_BURST', children: [] }] }] }]);
    const code = await server.api('POST', '/api/v1/codes', { name: '爆发期海报', url: 'https://shop.example/d11', channelId: burst.id });
    expect(code.json.channelId).toBe(burst.id);
    const moved = await server.api('PATCH', `/api/v1/channels/${main.id}`, { parentId: burst.id });
    expect(moved.status).toBe(400);
    expect(moved.json.error.field).toBe('parentId');
    expect((await server.api('PATCH', `/api/v1/channels/${burst.id}`, { parentId: main.id })).json.parentId).toBe(main.id);
  });

  it('reports every served scan of a channel: URL, staff and region codes; refusals, repeats and bots left out', async () => {
    const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
    const channelId = (await server.api('POST', '/api/v1/channels', { name: '地推', code: 'OFFLINE' })).json.id;
    const member = (await server.api('POST', '/api/v1/staff', { name: '门店顾问', contactQrUrl: 'https://img.example/a.png' })).json.id;
    const storeBody = { name: '徐汇店', province: '上海', city: '上海', address: '漕溪北路 1 号', lat: 31.19, lng: 121.43, staffIds: [member] };
    const store = (await server.api('POST', '/api/v1/stores', storeBody)).json.id;
    const made = await Promise.all([
      { name: '地推海报', url: 'https://shop.example/a', maxScans: 1 },
      { type: 'staff', name: '地推导购', members: [{ staffId: member }], backupStaffIds: [member] },
      { type: 'region', name: '地推门店', storeIds: [store], serviceArea: { mode: 'city' }, backupStaffIds: [member] },
    ].map(async (body) => {
      const res = await server.api('POST', '/api/v1/codes', { ...body, channelId });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      return res.json.slug as string;
    }));
    const scan = (slug: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE, ...headers } });
    const served = [];
    for (const slug of made) served.push(await scan(slug));
    expect(served.map((r) => r.status)).toEqual([302, 200, 200]);
    const cookie = served[1]!.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await (await scan(made[1]!, { cookie, accept: 'application/json' })).json()).decision.reason).toBe('repeat');
    expect((await scan(made[0]!)).status).toBe(200); // past maxScans: refused, not served
    await scan(made[2]!, { 'user-agent': 'curl/8.5.0' });
    const report = (await server.api('GET', '/api/v1/channels/report')).json.items.find((c: { id: string }) => c.id === channelId);
    expect(report.scans).toEqual({ own: 3, total: 3 });
  });

  it('refuses a taken or malformed channel code and an unknown channel on a code, naming the field', async () => {
    await server.api('POST', '/api/v1/channels', { name: '北京头条', code: 'BJ_TT_AD' });
    const taken = await server.api('POST', '/api/v1/channels', { name: '又一个', code: 'BJ_TT_AD' });
    expect(taken.status).toBe(409);
    expect(taken.json.error.field).toBe('code');
    expect((await server.api('POST', '/api/v1/channels', { name: 'x', code: 'bj-tt' })).json.error.field).toBe('code');
    const unknown = await server.api('POST', '/api/v1/codes', { name: 'x', url: 'https://a.example', channelId: 'chn_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.field).toBe('channelId');
  });

  it('deletes a channel nothing points at, and refuses one with sub-channels or codes', async () => {
    const parent = (await server.api('POST', '/api/v1/channels', { name: '线下活动', code: 'EVENT' })).json;
    const child = (await server.api('POST', '/api/v1/channels', { name: '展会', code: 'EVENT_EXPO', parentId: parent.id })).json;
    const withChild = await server.api('DELETE', `/api/v1/channels/${parent.id}`);
    expect(withChild.status).toBe(409);
    expect(withChild.json.error.message).toMatch(/sub-channel/);
    const code = (await server.api('POST', '/api/v1/codes', { name: '展会海报', url: 'https://shop.example/expo', channelId: child.id })).json;
    expect((await server.api('DELETE', `/api/v1/channels/${child.id}`)).status).toBe(409);
    await server.api('POST', `/api/v1/codes/${code.id}/archive`);
    expect((await server.api('DELETE', `/api/v1/channels/${child.id}`)).status, 'an archived code still names it').toBe(409);
    expect((await server.api('PATCH', `/api/v1/codes/${code.id}`, { channelId: null })).json.channelId).toBeNull();
    expect((await server.api('DELETE', `/api/v1/channels/${child.id}`)).status).toBe(204);
    expect((await server.api('DELETE', `/api/v1/channels/${parent.id}`)).status).toBe(204);
    expect(JSON.stringify((await server.api('GET', '/api/v1/channels')).json.items)).not.toContain('EVENT');
    expect((await server.api('DELETE', '/api/v1/channels/chn_nope')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe.each(engines())('channels on $name', (engine) => {
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
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describeEngines('department scope', (engine) => {
  let server: TestServer;
  let east: string;
  let south: string;
  let eastOperator: string;
  let eastAdmin: string;
  let southCode: { id: string };

  beforeAll(async () => {
    server = await startServer(await engine.open());
    east = (await server.api('POST', '/api/v1/departments', { name: '华东' })).json.id;
    south = (await server.api('POST', '/api/v1/departments', { name: '华南' })).json.id;
    eastOperator = (await server.api('POST', '/api/v1/tokens', { name: '华东运营', role: 'operator', departments: [east] })).json.token;
    eastAdmin = (await server.api('POST', '/api/v1/tokens', { name: '华东管理员', role: 'admin', departments: [east] })).json.token;
    southCode = (await server.api('POST', '/api/v1/codes', { name: '广州门店', url: 'https://shop.example/gz', departmentId: south })).json;
  });
  afterAll(() => server.close());

  it('lets an operator of 华东 see and change only 华东’s codes', async () => {
    const mine = await server.api('POST', '/api/v1/codes', { name: '上海门店', url: 'https://shop.example/sh' }, eastOperator);
    expect(mine.status).toBe(201);
    expect(mine.json.departmentId).toBe(east);
    const listed = (await server.api('GET', '/api/v1/codes?limit=100', undefined, eastOperator)).json.items.map((c: { id: string }) => c.id);
    expect(listed).toEqual([mine.json.id]);
    expect((await server.api('GET', '/api/v1/codes?limit=100')).json.items).toHaveLength(2);

    for (const [method, path, body] of [
      ['GET', `/api/v1/codes/${southCode.id}`, undefined],
      ['PATCH', `/api/v1/codes/${southCode.id}`, { url: 'https://evil.example' }],
      ['GET', `/api/v1/codes/${southCode.id}/stats`, undefined],
      ['GET', `/api/v1/codes/${southCode.id}/qr.png`, undefined],
      ['DELETE', `/api/v1/codes/${southCode.id}`, undefined],
      ['GET', `/api/v1/codes/qr.zip?ids=${southCode.id}`, undefined],
    ] as const) {
      const res = await server.api(method, path, body, eastOperator);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const moved = await server.api('PATCH', `/api/v1/codes/${mine.json.id}`, { departmentId: south }, eastOperator);
    expect(moved.status).toBe(403);
    expect(moved.json.error.field).toBe('departmentId');
    expect((await server.api('GET', `/api/v1/codes/${southCode.id}`)).json.url).toBe('https://shop.example/gz');
    const denied = (await server.api('GET', `/api/v1/audit?outcome=denied&objectId=${southCode.id}`)).json.items;
    expect(denied.length).toBeGreaterThanOrEqual(5);
    expect(denied[0].actor.name).toBe('华东运营');
  });

  it('never lets a scoped admin hand out another department', async () => {
    const outside = await server.api('POST', '/api/v1/tokens', { name: 'x', role: 'viewer', departments: [south] }, eastAdmin);
    expect(outside.status).toBe(403);
    expect(outside.json.error.field).toBe('departments');
    const inherited = await server.api('POST', '/api/v1/tokens', { name: 'y', role: 'viewer' }, eastAdmin);
    expect(inherited.json.departments).toEqual([east]);
    const unknown = await server.api('POST', '/api/v1/codes', { name: 'z', url: 'https://a.example', departmentId: 'dep_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.field).toBe('departmentId');
  });
});

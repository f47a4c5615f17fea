import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describeEngines('renaming and deleting departments', (engine) => {
  let server: TestServer;
  const made = async (path: string, body: unknown) => {
    const res = await server.api('POST', path, body);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json as { id: string; token: string };
  };
  const remove = (id: string) => server.api('DELETE', `/api/v1/departments/${id}`);
  const names = async () => (await server.api('GET', '/api/v1/departments')).json.items.map((d: { name: string }) => d.name);

  beforeAll(async () => {
    server = await startServer(await engine.open());
  });
  afterAll(() => server.close());

  it('renames a department, refusing a name another has, and logs the change', async () => {
    const east = await made('/api/v1/departments', { name: '华东' });
    await made('/api/v1/departments', { name: '华南' });
    const renamed = await server.api('PATCH', `/api/v1/departments/${east.id}`, { name: '华东大区' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: east.id, name: '华东大区' });
    expect(await names()).toContain('华东大区');
    const taken = await server.api('PATCH', `/api/v1/departments/${east.id}`, { name: '华南' });
    expect(taken.status).toBe(409);
    expect(taken.json.error.field).toBe('name');
    const empty = await server.api('PATCH', `/api/v1/departments/${east.id}`, { name: '  ' });
    expect(empty.status).toBe(400);
    expect((await server.api('PATCH', '/api/v1/departments/dep_nope', { name: '西北' })).status).toBe(404);
    const entry = (await server.api('GET', `/api/v1/audit?objectId=${east.id}&action=department.update`)).json.items[0];
    expect(entry.detail.changes).toContainEqual({ field: 'name', from: '华东', to: '华东大区' });
  });

  it('refuses to delete a department anything still names, saying what, and deletes it once nothing does', async () => {
    const north = await made('/api/v1/departments', { name: '华北' });
    const child = await made('/api/v1/departments', { name: '北京', parentId: north.id });
    const code = await made('/api/v1/codes', { name: '北京门店', url: 'https://shop.example/bj', departmentId: north.id });
    const person = { email: 'north@a.example', name: '北区', password: 'long enough password', role: 'viewer' };
    const user = await made('/api/v1/users', { ...person, departments: [north.id] });
    const key = await made('/api/v1/tokens', { name: '北区密钥', role: 'viewer', departments: [north.id] });

    const refused = await remove(north.id);
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/1 sub-department.*1 code.*1 user.*1 API key/);
    expect(await names()).toContain('华北');

    expect((await remove(child.id)).status).toBe(200);
    await server.api('PATCH', `/api/v1/codes/${code.id}`, { departmentId: null });
    await server.api('PATCH', `/api/v1/users/${user.id}`, { departments: null });
    const stillKey = await remove(north.id);
    expect(stillKey.status).toBe(409);
    expect(stillKey.json.error.message).toMatch(/^the department is still used by 1 API key\(s\)/);
    // A revoked key names nothing any more.
    expect((await server.api('DELETE', `/api/v1/tokens/${key.id}`)).status).toBe(200);
    const deleted = await remove(north.id);
    expect(deleted.status).toBe(200);
    expect(deleted.json.name).toBe('华北');
    expect(await names()).not.toContain('华北');
    expect((await remove(north.id)).status).toBe(404);
    const logged = (await server.api('GET', `/api/v1/audit?objectId=${north.id}&action=department.delete`)).json.items;
    expect(logged.map((e: { outcome: string }) => e.outcome)).toEqual(['ok']);
  });

  it('lets only a workspace-wide manager of settings change departments', async () => {
    const west = await made('/api/v1/departments', { name: '西南' });
    const operator = await server.token('operator');
    expect((await server.api('PATCH', `/api/v1/departments/${west.id}`, { name: 'x' }, operator)).status).toBe(403);
    expect((await server.api('DELETE', `/api/v1/departments/${west.id}`, undefined, operator)).status).toBe(403);
    const { token } = await made('/api/v1/tokens', { name: '西南管理员', role: 'admin', departments: [west.id] });
    expect((await server.api('PATCH', `/api/v1/departments/${west.id}`, { name: 'y' }, token)).status).toBe(403);
    expect(await names()).toContain('西南');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines, engines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { startServer, type TestServer } from '../support/server.ts';

describeEngines('API keys and the operation log', (engine) => {
  let server: TestServer;
  let now = Date.now();
  const clock = { now: () => now };

  beforeAll(async () => {
    server = await startServer(await engine.open(), {}, { clock });
  });
  afterAll(() => server.close());

  it('lists when each key was last used, written at most once a minute', async () => {
    const key = (await server.api('POST', '/api/v1/tokens', { name: 'erp', role: 'viewer' })).json;
    const lastUsed = async () => (await server.api('GET', '/api/v1/tokens')).json.items.find((k: { id: string }) => k.id === key.id).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const first = now;
    expect((await server.api('GET', '/api/v1/codes', undefined, key.token)).status).toBe(200);
    expect(await lastUsed()).toBe(new Date(first).toISOString());
    now += 30_000;
    await server.api('GET', '/api/v1/codes', undefined, key.token);
    expect(await lastUsed()).toBe(new Date(first).toISOString());
    now += 30_000;
    await server.api('GET', '/api/v1/codes', undefined, key.token);
    expect(await lastUsed()).toBe(new Date(now).toISOString());

    const listing = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()).paths['/api/v1/tokens'].get.responses[200];
    expect(listing.content['application/json'].schema.properties.items.items.properties.lastUsedAt).toMatchObject({ type: 'string', nullable: true });
  });

  it('shows a key once, lists it without the key, refuses it once revoked or expired', async () => {
    const created = await server.api('POST', '/api/v1/tokens', { name: 'crm', role: 'operator', expiresAt: new Date(now + 3_600_000).toISOString() });
    expect(created.status).toBe(201);
    const { id, token } = created.json;
    expect(token).toMatch(/^hm_/);
    const listed = (await server.api('GET', '/api/v1/tokens')).json.items.find((k: { id: string }) => k.id === id);
    expect(listed).toMatchObject({ name: 'crm', role: 'operator', scopes: null, revokedAt: null });
    expect(JSON.stringify((await server.api('GET', '/api/v1/tokens')).json)).not.toContain(token);
    expect((await server.api('GET', '/api/v1/codes', undefined, token)).status).toBe(200);

    now += 3_600_001;
    const expired = await server.api('GET', '/api/v1/codes', undefined, token);
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toContain('expired');

    const other = (await server.api('POST', '/api/v1/tokens', { name: 'pos', role: 'analyst' })).json;
    expect((await server.api('DELETE', `/api/v1/tokens/${other.id}`)).json.revokedAt).not.toBeNull();
    expect((await server.api('GET', '/api/v1/codes', undefined, other.token)).status).toBe(401);
  });

  it('never lets a key create a key with more than it holds', async () => {
    const admin = (await server.api('POST', '/api/v1/tokens', { name: 'ops lead', role: 'admin' })).json.token;
    const owner = await server.api('POST', '/api/v1/tokens', { name: 'sneaky', role: 'owner' }, admin);
    expect(owner.status).toBe(403);
    expect(owner.json.error.field).toBe('role');
    const past = await server.api('POST', '/api/v1/tokens', { name: 'late', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.json.error.field).toBe('expiresAt');
    const badScope = await server.api('POST', '/api/v1/tokens', { name: 'odd', role: 'viewer', scopes: ['codes.delete'] });
    expect(badScope.json.error.field).toBe('scopes.0');
  });

  it('makes custom roles from the list of permissions, and keys of them get exactly those', async () => {
    const made = await server.api('POST', '/api/v1/roles', { name: '数据分析', permissions: ['codes.read', 'scans.read', 'audit.read'] });
    expect(made.status).toBe(201);
    expect((await server.api('POST', '/api/v1/roles', { name: 'admin', permissions: ['codes.read'] })).status).toBe(409);
    expect((await server.api('POST', '/api/v1/roles', { name: 'x', permissions: ['codes.fly'] })).json.error.field).toBe('permissions.0');
    const roles = (await server.api('GET', '/api/v1/roles')).json.items.map((r: { name: string }) => r.name);
    expect(roles).toEqual(['owner', 'admin', 'operator', 'analyst', 'viewer', '数据分析']);

    const key = (await server.api('POST', '/api/v1/tokens', { name: 'bi', role: '数据分析' })).json.token;
    expect((await server.api('GET', '/api/v1/me', undefined, key)).json.permissions).toEqual(['codes.read', 'scans.read', 'audit.read']);
    expect((await server.api('GET', '/api/v1/audit', undefined, key)).status).toBe(200);
    expect((await server.api('POST', '/api/v1/codes', { name: 'no', url: 'https://a.example' }, key)).status).toBe(403);
    const unknown = await server.api('POST', '/api/v1/tokens', { name: 'ghost', role: '不存在' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.field).toBe('role');
    // An operator could not hand this role out: it grants the operation log, which an operator does not hold.
    const operatorAdmin = (await server.api('POST', '/api/v1/roles', { name: '发码员', permissions: ['codes.write', 'codes.read', 'tokens.manage'] })).json;
    expect(operatorAdmin.name).toBe('发码员');
    const issuer = (await server.api('POST', '/api/v1/tokens', { name: 'issuer', role: '发码员' })).json.token;
    const escalate = await server.api('POST', '/api/v1/tokens', { name: 'up', role: '数据分析' }, issuer);
    expect(escalate.status).toBe(403);
    expect(escalate.json.error.field).toBe('role');
  });

  it('logs every change with who, when, from where and what changed, and cannot be edited', async () => {
    const code = (await server.api('POST', '/api/v1/codes', { name: 'logged', url: 'https://shop.example/a' })).json;
    await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/b', tags: ['秋季'] });
    await server.api('DELETE', `/api/v1/codes/${code.id}`);
    const entries = (await server.api('GET', `/api/v1/audit?objectId=${code.id}`)).json.items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['code.delete', 'code.update', 'code.create']);
    expect(entries[1]).toMatchObject({
      actor: { name: 'owner' },
      ip: '127.0.0.1',
      object: { type: 'code', id: code.id },
      outcome: 'ok',
      detail: {
        changes: expect.arrayContaining([
          { field: 'url', from: 'https://shop.example/a', to: 'https://shop.example/b' },
          { field: 'tags', from: [], to: ['秋季'] },
        ]),
      },
    });
    expect(entries[1].detail.changes.map((c: { field: string }) => c.field).sort()).toEqual(['tags', 'url']);
    expect(entries[2].detail.changes).toEqual(expect.arrayContaining([{ field: 'name', from: null, to: 'logged' }]));
    expect(Date.parse(entries[0].at)).toBe(now);
    const updates = (await server.api('GET', '/api/v1/audit?action=code.update&limit=200')).json.items;
    expect(updates.every((e: { action: string }) => e.action === 'code.update')).toBe(true);
    for (const method of ['PATCH', 'DELETE', 'POST']) {
      expect((await server.api(method, `/api/v1/audit/${entries[0].id}`, method === 'DELETE' ? undefined : {})).status).toBe(404);
    }
  });
});

describe('rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open(), { HUOMA_RATE_LIMIT_API_KEY: '5', HUOMA_RATE_LIMIT_API_IP: '8', HUOMA_RATE_LIMIT_SCAN_IP: '3' });
  });
  afterAll(() => server.close());

  it('answers 429 with Retry-After past the per-key and per-address limits, for the API and for scans', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await server.api('GET', '/api/v1/codes')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await server.api('GET', '/api/v1/codes');
    expect(limited.json.error.code).toBe('rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);

    // Another key from the same address runs into the address's limit instead.
    const other = await server.token('viewer');
    const fromAddress = [];
    for (let i = 0; i < 3; i++) fromAddress.push((await server.api('GET', '/api/v1/codes', undefined, other)).status);
    expect(fromAddress).toContain(429);

    const scans = [];
    for (let i = 0; i < 4; i++) scans.push(await fetch(`${server.url}/s/Zz9Zz9Zz`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } }));
    expect(scans.map((r) => r.status)).toEqual([404, 404, 404, 429]);
    expect(scans[3]!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await scans[3]!.text()).toContain('扫码过于频繁');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, ROLE_PERMISSIONS, type Role } from '../../src/shared/actor.ts';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

interface Operation {
  method: string;
  path: string;
  permission: string;
}

/** Every authenticated operation the server documents, with the permission it needs. */
async function operations(server: TestServer): Promise<Operation[]> {
  const doc = (await server.api('GET', '/api/v1/openapi.json')).json;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      if (op.security) ops.push({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, 'nosuch$1'), permission: op['x-huoma-permission'] });
    }
  }
  return ops;
}

describe('permissions: every endpoint × every role', () => {
  let server: TestServer;
  let ops: Operation[];
  const keys = new Map<Role, string>();

  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
    ops = await operations(server);
    for (const role of ROLES) keys.set(role, await server.token(role));
  });
  afterAll(() => server.close());

  it('documents a permission for every authenticated operation', () => {
    expect(ops.length).toBeGreaterThan(25);
    for (const op of ops) expect(op.permission, `${op.method} ${op.path}`).toMatch(/^\w+\.\w+$/);
  });

  it('allows exactly what each role holds, refuses the rest with 403 and logs each refusal', async () => {
    let refused = 0;
    for (const role of ROLES) {
      for (const op of ops) {
        const res = await fetch(server.url + op.path, {
          method: op.method,
          headers: {
            authorization: `Bearer ${keys.get(role)}`,
            ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
          },
          body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
        });
        const allowed = (ROLE_PERMISSIONS[role] as readonly string[]).includes(op.permission);
        const label = `${role} ${op.method} ${op.path} (${op.permission}) → ${res.status}`;
        if (allowed) expect([401, 403], label).not.toContain(res.status);
        else {
          expect(res.status, label).toBe(403);
          expect((await res.json()).error.message, label).toContain(op.permission);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(40);
    const denied = (await server.api('GET', `/api/v1/audit?outcome=denied&limit=200`)).json.items;
    expect(denied).toHaveLength(refused);
    expect(denied[0]).toMatchObject({ outcome: 'denied', ip: '127.0.0.1', actor: { name: expect.any(String) } });
  });

  it('holds a key to its scopes even when its role could do more', async () => {
    const scoped = (await server.api('POST', '/api/v1/tokens', { name: 'bi export', role: 'admin', scopes: ['scans.read', 'codes.read'] })).json.token;
    expect((await server.api('GET', '/api/v1/codes', undefined, scoped)).status).toBe(200);
    expect((await server.api('POST', '/api/v1/codes', { name: 'x', url: 'https://a.example' }, scoped)).status).toBe(403);
    expect((await server.api('GET', '/api/v1/webhooks', undefined, scoped)).status).toBe(403);
  });
});

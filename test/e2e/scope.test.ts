import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/db.ts';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** What a department-owned object of each kind is made of; each check makes fresh ones, so changes and deletions never collide. */
type Kind = 'code' | 'staff' | 'proposal' | 'customer' | 'user' | 'token' | 'webhook' | 'material';

/**
 * How every authenticated route holds a caller limited to department A (an admin key: every
 * permission, so refusals here are scope's alone):
 * - `object`: the route is about one object of `kind` (`{id}` in the path): B's answers 403 and
 *   is logged `denied`, A's answers `ok` (2xx unless given). Keys, people and webhooks with no
 *   department limit count as B's: a limited caller reaches past its own departments to them too.
 * - `create`: `body(dept)` makes something in B (403) or in A (201).
 * - `list`: A's objects are listed, B's are not.
 * - `workspace`: what belongs to the whole workspace: read (2xx), never changed (403, where the
 *   unlimited owner is not refused).
 * - `self`: the caller's own session and account, no department's object.
 * - `elsewhere`: held to scope in a way one call cannot show; the named test below shows it.
 * A route missing from this table fails the test: a new route needs a scope decision.
 */
type Expectation =
  | { scope: 'object'; kind: Kind; body?: unknown; ok?: number; query?: string }
  | { scope: 'create'; body: (dept: string) => unknown }
  | { scope: 'list'; kind: Kind; items?: (json: any) => { id: string }[] }
  | { scope: 'workspace'; body?: unknown }
  | { scope: 'self' }
  | { scope: 'elsewhere'; test: string };

const SCOPES: Record<string, Expectation> = {
  'POST /api/v1/codes': { scope: 'create', body: (dept) => ({ name: 'c', url: 'https://shop.example/c', departmentId: dept }) },
  'GET /api/v1/codes': { scope: 'list', kind: 'code' },
  'GET /api/v1/codes/{id}': { scope: 'object', kind: 'code' },
  'PATCH /api/v1/codes/{id}': { scope: 'object', kind: 'code', body: { name: 'renamed' } },
  'POST /api/v1/codes/{id}/archive': { scope: 'object', kind: 'code' },
  'POST /api/v1/codes/{id}/restore': { scope: 'object', kind: 'code' },
  'DELETE /api/v1/codes/{id}': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/{id}/versions': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/{id}/versions/{version}/restore': { scope: 'object', kind: 'code' },
  'POST /api/v1/codes/{id}/versions/{version}/restore': { scope: 'object', kind: 'code' },
  'POST /api/v1/codes/{id}/simulate': { scope: 'object', kind: 'code', body: {} },
  'GET /api/v1/codes/{id}/qr.png': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/{id}/qr.svg': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/{id}/poster.png': { scope: 'object', kind: 'code', query: '?dpi=72' },
  'GET /api/v1/codes/{id}/poster.pdf': { scope: 'object', kind: 'code', query: '?dpi=72' },
  'GET /api/v1/codes/qr.zip': { scope: 'object', kind: 'code', query: '?ids={id}&size=200' },
  // Past the scope check, A's calls fail for their own reasons: a JSON body is no image, and A's code has no logo to remove.
  'PUT /api/v1/codes/{id}/logo': { scope: 'object', kind: 'code', body: 'not an image', ok: 415 },
  'GET /api/v1/codes/{id}/logo': { scope: 'object', kind: 'code', ok: 404 },
  'DELETE /api/v1/codes/{id}/logo': { scope: 'object', kind: 'code', ok: 404 },
  'GET /api/v1/codes/{id}/scans': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/{id}/scans.csv': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/trend': { scope: 'object', kind: 'code', query: '?ids={id}' },
  'GET /api/v1/codes/{id}/stats': { scope: 'object', kind: 'code' },
  'GET /api/v1/codes/{id}/welcome-stats': { scope: 'object', kind: 'code' },

  'POST /api/v1/materials': { scope: 'elsewhere', test: 'uploads materials into A only, and puts none of B’s on A’s codes' },
  'GET /api/v1/materials': { scope: 'list', kind: 'material' },
  'GET /api/v1/materials/usage': { scope: 'workspace' },
  'GET /api/v1/materials/{id}': { scope: 'object', kind: 'material' },
  'GET /api/v1/materials/{id}/content': { scope: 'object', kind: 'material' },
  'GET /api/v1/materials/{id}/uses': { scope: 'object', kind: 'material' },
  'PATCH /api/v1/materials/{id}': { scope: 'object', kind: 'material', body: { name: 'renamed' } },
  'DELETE /api/v1/materials/{id}': { scope: 'object', kind: 'material' },

  'POST /api/v1/staff': { scope: 'create', body: (dept) => ({ name: 's', departmentId: dept, contactQrUrl: 'https://img.example/s.png' }) },
  'GET /api/v1/staff': { scope: 'list', kind: 'staff' },
  'GET /api/v1/staff/{id}': { scope: 'object', kind: 'staff' },
  'PATCH /api/v1/staff/{id}': { scope: 'object', kind: 'staff', body: { weight: 2 } },
  'POST /api/v1/staff/{id}/leave': { scope: 'object', kind: 'staff', body: 'handover' },
  'PUT /api/v1/staff/{id}/open-conversations': { scope: 'object', kind: 'staff', body: { count: 3 } },
  'PUT /api/v1/staff/open-conversations': { scope: 'elsewhere', test: 'takes open-conversation reports for A’s members only, all or nothing' },

  'GET /api/v1/proposals': { scope: 'list', kind: 'proposal' },
  'GET /api/v1/proposals/{id}': { scope: 'object', kind: 'proposal' },
  'POST /api/v1/proposals/{id}/approve': { scope: 'object', kind: 'proposal', body: {} },
  'POST /api/v1/proposals/{id}/reject': { scope: 'object', kind: 'proposal', body: {} },

  'GET /api/v1/customers': { scope: 'list', kind: 'customer' },
  'GET /api/v1/customers/{id}': { scope: 'object', kind: 'customer' },

  'POST /api/v1/users': {
    scope: 'create',
    body: (dept) => ({ email: `${dept}-${Math.random()}@a.example`, name: 'u', password: 'long enough password', role: 'viewer', departments: [dept] }),
  },
  'GET /api/v1/users': { scope: 'list', kind: 'user' },
  'PATCH /api/v1/users/{id}': { scope: 'object', kind: 'user', body: { role: 'admin' } },
  'POST /api/v1/tokens': { scope: 'create', body: (dept) => ({ name: 't', role: 'viewer', departments: [dept] }) },
  'GET /api/v1/tokens': { scope: 'list', kind: 'token' },
  'DELETE /api/v1/tokens/{id}': { scope: 'object', kind: 'token' },

  'POST /api/v1/webhooks': { scope: 'elsewhere', test: 'a limited key’s webhook hears only its departments’ events' },
  'GET /api/v1/webhooks': { scope: 'list', kind: 'webhook' },
  'GET /api/v1/webhooks/{id}': { scope: 'object', kind: 'webhook' },
  'PATCH /api/v1/webhooks/{id}': { scope: 'object', kind: 'webhook', body: { description: 'mine now' } },
  'DELETE /api/v1/webhooks/{id}': { scope: 'object', kind: 'webhook' },
  'GET /api/v1/webhooks/{id}/deliveries': { scope: 'object', kind: 'webhook' },
  'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': { scope: 'object', kind: 'webhook', ok: 404 },

  'GET /api/v1/audit': {
    scope: 'list',
    kind: 'code',
    items: (json) => json.items.filter((e: any) => e.object?.type === 'code').map((e: any) => ({ id: e.object.id })),
  },
  'GET /api/v1/channels/report': { scope: 'elsewhere', test: 'counts only A’s scans in A’s channel report' },

  'GET /api/v1/stores': { scope: 'workspace' },
  'GET /api/v1/stores/export': { scope: 'workspace' },
  'GET /api/v1/stores/{id}': { scope: 'workspace' },
  'POST /api/v1/stores': { scope: 'workspace', body: { name: 'st', province: '上海', city: '上海', address: '1 号', lat: 31.23, lng: 121.47 } },
  'POST /api/v1/stores/import': { scope: 'workspace', body: {} },
  'POST /api/v1/stores/batch-delete': { scope: 'workspace', body: {} },
  'PATCH /api/v1/stores/{id}': { scope: 'workspace', body: { name: 'moved' } },
  'PUT /api/v1/stores/{id}/attributes': { scope: 'workspace', body: { a: 1 } },
  'DELETE /api/v1/stores/{id}': { scope: 'workspace' },
  'GET /api/v1/channels': { scope: 'workspace' },
  'POST /api/v1/channels': { scope: 'workspace', body: { name: 'ch', code: 'CH' } },
  'PATCH /api/v1/channels/{id}': { scope: 'workspace', body: { name: 'renamed' } },
  'DELETE /api/v1/channels/{id}': { scope: 'workspace' },
  'GET /api/v1/roles': { scope: 'workspace' },
  'POST /api/v1/roles': { scope: 'workspace', body: { name: 'r', permissions: ['codes.read'] } },
  'GET /api/v1/departments': { scope: 'workspace' },
  'POST /api/v1/departments': { scope: 'workspace', body: { name: '西北' } },
  'PATCH /api/v1/departments/{id}': { scope: 'workspace', body: { name: '西北' } },
  'DELETE /api/v1/departments/{id}': { scope: 'workspace' },
  'GET /api/v1/settings/approvals': { scope: 'workspace' },
  'PUT /api/v1/settings/approvals': { scope: 'workspace', body: { rules: [] } },
  'GET /api/v1/settings/attribution': { scope: 'workspace' },
  'PUT /api/v1/settings/attribution': { scope: 'workspace', body: { model: 'last_touch' } },
  'GET /api/v1/wecom/settings': { scope: 'workspace' },
  'PUT /api/v1/wecom/settings': { scope: 'workspace', body: {} },
  'POST /api/v1/wecom/reconcile': { scope: 'workspace' },

  'DELETE /api/v1/session': { scope: 'self' },
  'GET /api/v1/me': { scope: 'self' },
  'PATCH /api/v1/me': { scope: 'self' },
  'POST /api/v1/me/totp': { scope: 'self' },
  'POST /api/v1/me/totp/confirm': { scope: 'self' },
};

describe('department scope: every route × another department’s object', () => {
  let server: TestServer;
  let storage: Storage;
  let ops: string[];
  let east: string;
  let south: string;
  /** An admin limited to 华东 (A): every permission, one department. */
  let eastAdmin: string;
  let southAdmin: string;
  let ownerKey: string;
  let checks = 0;
  let denied = 0;

  const call = async (method: string, path: string, body: unknown, token: string) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  const made = async (res: Promise<{ status: number; json: any }>) => {
    const { status, json } = await res;
    expect(status, JSON.stringify(json)).toBeLessThan(300);
    return json.id as string;
  };
  const newCode = (dept: string) => made(server.api('POST', '/api/v1/codes', { name: 'c', url: 'https://shop.example/c', departmentId: dept }));
  /** A PNG uploaded into `dept` with `token` (the unlimited owner's unless given). */
  const upload = async (dept: string, token?: string) => {
    const res = await fetch(`${server.url}/api/v1/materials?name=m&kind=page&departmentId=${dept}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token ?? ownerKey}`, 'content-type': 'image/png' },
      body: PIXEL,
    });
    return { status: res.status, json: await res.json() };
  };
  const newStaff = (dept: string) => made(server.api('POST', '/api/v1/staff', { name: 's', departmentId: dept, contactQrUrl: 'https://img.example/s.png' }));

  /** A fresh object of `kind` in `dept` (null: with no department limit), and what else a call on it needs. */
  const make: Record<Kind, (dept: string | null) => Promise<{ id: string; extra?: Record<string, string> }>> = {
    code: async (dept) => ({ id: await newCode(dept!) }),
    staff: async (dept) => ({ id: await newStaff(dept!), extra: { handoverTo: await newStaff(dept!) } }),
    proposal: async (dept) => {
      const code = await made(server.api('POST', '/api/v1/codes', { name: 'p', url: 'https://shop.example/p', departmentId: dept, printed: true }));
      const held = await server.api('PATCH', `/api/v1/codes/${code}`, { url: 'https://shop.example/p2' });
      expect(held.status).toBe(202);
      return { id: held.json.proposal.id };
    },
    customer: async (dept) => {
      const staffId = await newStaff(dept!);
      const id = `cus_${Math.random().toString(36).slice(2)}`;
      await storage.db
        .insertInto('customers')
        .values({
          id, external_userid: id, name: 'c', avatar: null, staff_id: staffId, first_code_id: null, first_channel_id: null, last_code_id: null,
          last_channel_id: null, tags: '[]', status: 'active', first_seen_at: 1, last_seen_at: 1,
        })
        .execute();
      return { id };
    },
    user: async (dept) => ({
      id: await made(server.api('POST', '/api/v1/users', {
        email: `${Math.random()}@a.example`, name: 'u', password: 'long enough password', role: 'viewer', departments: dept ? [dept] : null,
      })),
    }),
    token: async (dept) => ({ id: await made(server.api('POST', '/api/v1/tokens', { name: 't', role: 'viewer', departments: dept ? [dept] : null })) }),
    material: async (dept) => ({ id: await made(upload(dept!)) }),
    webhook: async (dept) => {
      const by = dept === east ? eastAdmin : dept === south ? southAdmin : undefined;
      return { id: await made(server.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['code.changed'] }, by)) };
    },
  };
  /** Kinds whose objects may have no department limit at all: those count as outside A too. */
  const UNLIMITED: readonly Kind[] = ['user', 'token', 'webhook'];

  const pathFor = (op: string, id: string, query = '') => {
    const [method, template] = op.split(' ') as [string, string];
    return { method, path: template.replace('{id}', id).replace('{deliveryId}', 'dlv_none').replace('{version}', '1') + query.replace('{id}', id) };
  };
  const bodyFor = (e: { body?: unknown }, extra?: Record<string, string>) => (e.body === 'handover' ? { handoverTo: extra!.handoverTo } : e.body);

  beforeAll(async () => {
    storage = await engines()[0]!.open();
    server = await startServer(storage, { HUOMA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    ownerKey = await server.token();
    const doc = (await server.api('GET', '/api/v1/openapi.json')).json;
    ops = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, methods]) =>
      Object.entries<any>(methods).filter(([, op]) => op.security).map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    east = (await server.api('POST', '/api/v1/departments', { name: '华东' })).json.id;
    south = (await server.api('POST', '/api/v1/departments', { name: '华南' })).json.id;
    eastAdmin = (await server.api('POST', '/api/v1/tokens', { name: '华东管理员', role: 'admin', departments: [east] })).json.token;
    southAdmin = (await server.api('POST', '/api/v1/tokens', { name: '华南管理员', role: 'admin', departments: [south] })).json.token;
    await server.api('PUT', '/api/v1/settings/approvals', { rules: [{ fields: ['url'], onlyPrinted: true, levels: [{ name: '组长', roles: ['admin'] }] }] });
  });
  afterAll(() => server.close());

  it('has a scope decision for every authenticated route, and no decision for a route that is gone', () => {
    expect(ops.length).toBeGreaterThan(60);
    expect(ops.filter((op) => !(op in SCOPES)), 'routes without a scope decision').toEqual([]);
    expect(Object.keys(SCOPES).filter((op) => !ops.includes(op)), 'decisions for routes that do not exist').toEqual([]);
  });

  it('refuses A’s admin every object of B (and every unlimited key, person and webhook) with 403, logged, and serves A’s own', async () => {
    for (const op of ops) {
      const e = SCOPES[op]!;
      if (e.scope !== 'object') continue;
      const query = e.scope === 'object' ? e.query : undefined;
      for (const dept of [south, ...(UNLIMITED.includes(e.kind) ? [null] : [])]) {
        const theirs = await make[e.kind](dept);
        const { method, path } = pathFor(op, theirs.id, query);
        const res = await call(method, path, bodyFor(e, theirs.extra), eastAdmin);
        expect(res.status, `${op} on ${dept ?? 'unlimited'}'s ${e.kind}: ${JSON.stringify(res.json)}`).toBe(403);
        checks++;
        denied++;
      }
      const mine = await make[e.kind](east);
      const { method, path } = pathFor(op, mine.id, query);
      const res = await call(method, path, bodyFor(e, mine.extra), eastAdmin);
      const label = `${op} on A's own ${e.kind}: ${JSON.stringify(res.json)}`;
      if (e.ok !== undefined) expect(res.status, label).toBe(e.ok);
      else expect(res.status, label).toBeLessThan(300);
      checks++;
    }
  });

  it('creates only in A, lists only A’s, reads but never changes what belongs to the whole workspace', async () => {
    const ids = {
      store: await made(server.api('POST', '/api/v1/stores', { name: 'st', province: '上海', city: '上海', address: '1 号', lat: 31.23, lng: 121.47 })),
      channel: await made(server.api('POST', '/api/v1/channels', { name: 'c0', code: 'C0' })),
    };
    for (const op of ops) {
      const e = SCOPES[op]!;
      const [method, template] = op.split(' ') as [string, string];
      if (e.scope === 'create') {
        expect((await call(method, template, e.body(south), eastAdmin)).status, `${op} in B`).toBe(403);
        expect((await call(method, template, e.body(east), eastAdmin)).status, `${op} in A`).toBe(201);
        checks += 2;
        denied++;
      } else if (e.scope === 'list') {
        const [mine, theirs] = [await make[e.kind](east), await make[e.kind](south)];
        const res = await call('GET', template.endsWith('/audit') ? `${template}?objectType=code&limit=200` : template, undefined, eastAdmin);
        expect(res.status, op).toBe(200);
        const listed = (e.items ? e.items(res.json) : res.json.items).map((i: { id: string }) => i.id);
        // In the log: the creation of A's code is there, that of B's is not.
        expect(listed, op).toContain(mine.id);
        expect(listed, op).not.toContain(theirs.id);
        checks += 2;
      } else if (e.scope === 'workspace') {
        const path = template.replace('{id}', template.includes('/stores/') ? ids.store : ids.channel);
        const res = await call(method, path, e.body, eastAdmin);
        if (method === 'GET') expect(res.status, `${op}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
        else {
          expect(res.status, `${op}: ${JSON.stringify(res.json)}`).toBe(403);
          expect(res.json.error.message).toContain('whole workspace');
          denied++;
        }
        checks++;
      }
    }
  });

  const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50';
  const scan = async (codeId: string) => {
    const { slug } = (await server.api('GET', `/api/v1/codes/${codeId}`)).json;
    expect((await fetch(`${server.url}/s/${slug}`, { headers: { 'user-agent': PHONE }, redirect: 'manual' })).status).toBe(302);
  };

  it('a limited key’s webhook hears only its departments’ events', async () => {
    const hook = { url: 'http://127.0.0.1:9/scoped', events: ['code.changed', 'scan.created'] };
    const eastHook = await server.api('POST', '/api/v1/webhooks', hook, eastAdmin);
    expect(eastHook.json.departments).toEqual([east]);
    const everyHook = (await server.api('POST', '/api/v1/webhooks', hook)).json;
    expect(everyHook.departments).toBeNull();
    const [eastCode, southCode] = [await newCode(east), await newCode(south)];
    for (const id of [eastCode, southCode]) {
      await server.api('PATCH', `/api/v1/codes/${id}`, { name: 'changed' });
      await scan(id);
    }
    const heard = async (id: string) =>
      (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?limit=100`)).json.items.map((d: { event: string }) => d.event).sort();
    expect(await heard(eastHook.json.id)).toEqual(['code.changed', 'scan.created']);
    expect(await heard(everyHook.id)).toEqual(['code.changed', 'code.changed', 'scan.created', 'scan.created']);
  });

  it('a code moved between departments is announced to both: the one it left and the one it joined; a deletion only to its own', async () => {
    const hook = { url: 'http://127.0.0.1:9/moves', events: ['code.changed', 'code.deleted'] };
    const [eastHook, southHook] = [
      (await server.api('POST', '/api/v1/webhooks', hook, eastAdmin)).json.id,
      (await server.api('POST', '/api/v1/webhooks', hook, southAdmin)).json.id,
    ];
    const moved = await newCode(east);
    expect((await server.api('PATCH', `/api/v1/codes/${moved}`, { departmentId: south })).status).toBe(200);
    expect((await server.api('DELETE', `/api/v1/codes/${moved}`)).status).toBe(204);
    const heard = async (id: string) =>
      (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?limit=100`)).json.items.map((d: { event: string }) => d.event).sort();
    expect(await heard(eastHook)).toEqual(['code.changed']);
    expect(await heard(southHook)).toEqual(['code.changed', 'code.deleted']);
  });

  it('lists A’s proposals to A however many of B’s are newer', async () => {
    const propose = async (dept: string) => {
      const code = await made(server.api('POST', '/api/v1/codes', { name: 'p', url: 'https://shop.example/p', departmentId: dept, printed: true }));
      return (await server.api('PATCH', `/api/v1/codes/${code}`, { url: 'https://shop.example/p2' })).json.proposal.id as string;
    };
    const mine = await propose(east);
    for (let i = 0; i < 3; i++) await propose(south);
    const listed = (await call('GET', '/api/v1/proposals?status=pending&limit=2', undefined, eastAdmin)).json.items.map((p: { id: string }) => p.id);
    expect(listed).toContain(mine);
  });

  it('counts only A’s scans in A’s channel report', async () => {
    const channel = await made(server.api('POST', '/api/v1/channels', { name: '双十一', code: 'D11' }));
    for (const dept of [east, south]) {
      await scan(await made(server.api('POST', '/api/v1/codes', { name: 'c', url: 'https://shop.example/c', departmentId: dept, channelId: channel })));
    }
    const figures = async (token?: string) =>
      (await server.api('GET', '/api/v1/channels/report', undefined, token)).json.items.find((c: { id: string }) => c.id === channel).scans;
    expect(await figures()).toEqual({ own: 2, total: 2 });
    expect(await figures(eastAdmin)).toEqual({ own: 1, total: 1 });
  });

  it('uploads materials into A only, and puts none of B’s on A’s codes', async () => {
    const refused = await upload(south, eastAdmin);
    expect(refused.status).toBe(403);
    expect(refused.json.error.field).toBe('departmentId');
    denied++;
    const mine = await upload(east, eastAdmin);
    expect(mine.status).toBe(201);
    expect(mine.json.departmentId).toBe(east);
  });

  it('takes open-conversation reports for A’s members only, all or nothing', async () => {
    const [mine, theirs] = [await newStaff(east), await newStaff(south)];
    const report = (counts: { staffId: string; count: number }[]) => call('PUT', '/api/v1/staff/open-conversations', { counts }, eastAdmin);
    const refused = await report([{ staffId: mine, count: 4 }, { staffId: theirs, count: 9 }]);
    expect(refused.status).toBe(403);
    expect(refused.json.error.field).toBe('counts.1.staffId');
    denied++; // a refusal like the matrix's, logged as one
    const openOf = async (id: string) => (await server.api('GET', `/api/v1/staff/${id}`)).json.openConversations;
    expect(await openOf(mine)).toBeNull();
    expect((await report([{ staffId: mine, count: 4 }])).status).toBeLessThan(300);
    expect((await openOf(mine)).count).toBe(4);
    expect(await openOf(theirs)).toBeNull();
  });

  it('hands over only to A’s people and only when every code naming the leaver is A’s; nothing changes otherwise', async () => {
    const [leaving, colleague, outsider] = [await newStaff(east), await newStaff(east), await newStaff(south)];
    const toOutsider = await call('POST', `/api/v1/staff/${leaving}/leave`, { handoverTo: outsider }, eastAdmin);
    expect(toOutsider.status).toBe(403);
    expect(toOutsider.json.error.field).toBe('handoverTo');
    const southCode = await made(server.api('POST', '/api/v1/codes', {
      type: 'staff', name: '华南导购', departmentId: south, members: [{ staffId: leaving }], backupStaffIds: [outsider],
    }));
    const ontoSouth = await call('POST', `/api/v1/staff/${leaving}/leave`, { handoverTo: colleague }, eastAdmin);
    expect(ontoSouth.status).toBe(403);
    expect((await server.api('GET', `/api/v1/codes/${southCode}`)).json.members).toEqual([expect.objectContaining({ staffId: leaving })]);
    expect((await server.api('GET', `/api/v1/staff/${leaving}`)).json.status).toBe('active');
    denied += 2;
    // Someone who holds 华南 too hands over (the unlimited owner here).
    expect((await server.api('POST', `/api/v1/staff/${leaving}/leave`, { handoverTo: colleague })).status).toBe(200);
    expect((await server.api('GET', `/api/v1/codes/${southCode}`)).json.members).toEqual([expect.objectContaining({ staffId: colleague })]);
  });

  it('never lets A’s admin send A’s scans to B’s people or departments, while B’s people named by someone else stay', async () => {
    const [mine, theirs] = [await newStaff(east), await newStaff(south)];
    const staffCode = (members: object[], extra = {}) =>
      ({ type: 'staff', name: '导购', departmentId: east, url: 'https://shop.example/busy', members, ...extra });
    const refusals = [
      staffCode([{ staffId: theirs }]),
      staffCode([{ departmentId: south }]),
      staffCode([{ staffId: mine }], { backupStaffIds: [theirs] }),
      staffCode([{ staffId: mine }], { overflowDepartmentIds: [south] }),
    ];
    for (const body of refusals) {
      const res = await call('POST', '/api/v1/codes', body, eastAdmin);
      expect(res.status, JSON.stringify([body, res.json])).toBe(403);
      denied++;
    }
    const store = await made(server.api('POST', '/api/v1/stores', { name: '门店', province: '上海', city: '上海', address: '2 号', lat: 31.23, lng: 121.47 }));
    const regionCode = (backupStaffIds: string[]) =>
      ({ type: 'region', name: '门店码', departmentId: east, storeIds: [store], serviceArea: { mode: 'city' }, backupStaffIds });
    const regionRefused = await call('POST', '/api/v1/codes', regionCode([theirs]), eastAdmin);
    expect(regionRefused).toMatchObject({ status: 403, json: { error: { field: 'backupStaffIds.0' } } });
    denied++;
    expect((await call('POST', '/api/v1/codes', regionCode([mine]), eastAdmin)).status).toBe(201);
    const code = await made(call('POST', '/api/v1/codes', staffCode([{ staffId: mine }]), eastAdmin));
    const widened = await call('PATCH', `/api/v1/codes/${code}`, { members: [{ staffId: mine }, { staffId: theirs }] }, eastAdmin);
    expect(widened.status).toBe(403);
    expect(widened.json.error.field).toBe('members.1.staffId');
    denied++;
    // The owner may name B’s member on A’s code; A’s admin still edits the rest of it.
    expect((await server.api('PATCH', `/api/v1/codes/${code}`, { backupStaffIds: [theirs] })).status).toBe(200);
    expect((await call('PATCH', `/api/v1/codes/${code}`, { name: '导购2' }, eastAdmin)).status).toBe(200);
  });

  it('never lets A’s admin widen a person’s departments, nor make one unlimited', async () => {
    const user = await made(call('POST', '/api/v1/users', { email: 'east@a.example', name: 'e', password: 'long enough password', role: 'viewer' }, eastAdmin));
    const widened = await call('PATCH', `/api/v1/users/${user}`, { departments: [east, south] }, eastAdmin);
    expect(widened.status).toBe(403);
    expect(widened.json.error.field).toBe('departments');
    expect((await call('PATCH', `/api/v1/users/${user}`, { departments: null, role: 'admin' }, eastAdmin)).json)
      .toMatchObject({ role: 'admin', departments: [east] });
    const unlimited = await made(server.api('POST', '/api/v1/users', { email: 'all@a.example', name: 'a', password: 'long enough password', role: 'viewer' }));
    expect((await call('PATCH', `/api/v1/users/${unlimited}`, { disabled: true }, eastAdmin)).status).toBe(403);
    expect((await server.api('GET', '/api/v1/users')).json.items.find((u: { id: string }) => u.id === unlimited))
      .toMatchObject({ role: 'viewer', disabled: false });
    denied += 2;
  });

  it('logs each refusal as denied, filed under the department refused, and shows A none of B’s entries', async () => {
    const all = (await server.api('GET', '/api/v1/audit?outcome=denied&limit=200')).json.items;
    expect(all.filter((e: any) => e.actor?.name === '华东管理员')).toHaveLength(denied);
    const seenByEast = (await call('GET', '/api/v1/audit?limit=200', undefined, eastAdmin)).json.items;
    const southCodes = (await server.api('GET', '/api/v1/codes?limit=100')).json.items.filter((c: any) => c.departmentId === south).map((c: any) => c.id);
    expect(southCodes.length).toBeGreaterThan(5);
    expect(seenByEast.filter((e: any) => southCodes.includes(e.object?.id))).toEqual([]);
    const seenBySouth = (await call('GET', '/api/v1/audit?outcome=denied&limit=200', undefined, southAdmin)).json.items;
    expect(seenBySouth.length).toBeGreaterThan(5);
    expect(seenBySouth.every((e: any) => e.actor.name === '华东管理员')).toBe(true);
    console.log(`scope matrix: ${checks} route × object checks, ${denied} refusals`);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/db.ts';
import { describeEngines, engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('the operation log commits with the change it records', () => {
  let server: TestServer;
  let storage: Storage;

  beforeAll(async () => {
    storage = await engines()[0]!.open();
    server = await startServer(storage, { HUOMA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
  });
  afterAll(() => server.close());

  it('leaves a change to a code or a person unapplied when its log entry cannot be written', async () => {
    const code = (await server.api('POST', '/api/v1/codes', { name: 'poster', url: 'https://shop.example/before' })).json;
    const user = (await server.api('POST', '/api/v1/users', { email: 'v@a.example', name: 'v', password: 'long enough password', role: 'viewer' })).json;
    // The log refuses this one kind of entry, as a full disk or a lost connection would.
    await sql`create trigger audit_down before insert on audit_log when new.action in ('code.update', 'code.delete', 'user.update')
      begin select raise(abort, 'audit log unavailable'); end`.execute(storage.db);
    try {
      const edit = await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/after' });
      expect(edit.status).toBeGreaterThanOrEqual(500);
      expect((await server.api('DELETE', `/api/v1/codes/${code.id}`)).status).toBeGreaterThanOrEqual(500);
      expect((await server.api('PATCH', `/api/v1/users/${user.id}`, { role: 'admin' })).status).toBeGreaterThanOrEqual(500);
    } finally {
      await sql`drop trigger audit_down`.execute(storage.db);
    }
    const now = (await server.api('GET', `/api/v1/codes/${code.id}`)).json;
    expect(now).toMatchObject({ url: 'https://shop.example/before', version: 1 });
    expect((await server.api('GET', `/api/v1/codes/${code.id}/versions`)).json.items).toHaveLength(1);
    expect((await fetch(`${server.url}/s/${code.slug}`, { redirect: 'manual' })).headers.get('location')).toBe('https://shop.example/before');
    expect((await server.api('GET', '/api/v1/users')).json.items.find((u: { id: string }) => u.id === user.id).role).toBe('viewer');
  });

  it('leaves every other kind of change unapplied when its log entry cannot be written', async () => {
    const api = server.api;
    const made = async (res: Promise<{ status: number; json: any }>) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.json)).toBeLessThan(300);
      return r.json;
    };
    const lead = (await made(api('POST', '/api/v1/tokens', { name: 'lead', role: 'admin' }))).token;
    const operator = (await made(api('POST', '/api/v1/tokens', { name: 'operator', role: 'operator' }))).token;
    const kept = await made(api('POST', '/api/v1/tokens', { name: 'kept', role: 'viewer' }));
    const member = await made(api('POST', '/api/v1/staff', { name: 'member', contactQrUrl: 'https://img.example/m.png' }));
    const store = await made(api('POST', '/api/v1/stores', { name: 'store', province: '上海', city: '上海', address: '1 号', lat: 31.23, lng: 121.47 }));
    const channel = await made(api('POST', '/api/v1/channels', { name: 'channel', code: 'CH' }));
    const hook = await made(api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['code.changed'] }));
    await made(api('PUT', '/api/v1/settings/approvals', { rules: [{ fields: ['url'], levels: [{ name: 'lead', roles: ['admin'] }] }] }));
    const code = await made(api('POST', '/api/v1/codes', { name: 'held', url: 'https://shop.example/old' }, operator));
    const proposal = (await made(api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/new' }, operator))).proposal;
    const settingsBefore = (await api('GET', '/api/v1/settings/attribution')).json;

    await sql`create trigger audit_down before insert on audit_log when new.outcome = 'ok'
      begin select raise(abort, 'audit log unavailable'); end`.execute(storage.db);
    const refused: string[] = [];
    try {
      const changes: [string, string, unknown?, string?][] = [
        ['POST', '/api/v1/staff', { name: 'ghost', contactQrUrl: 'https://img.example/g.png' }],
        ['PATCH', `/api/v1/staff/${member.id}`, { weight: 7 }],
        ['POST', '/api/v1/stores', { name: 'ghost', province: '上海', city: '上海', address: '2 号', lat: 31.2, lng: 121.4 }],
        ['PATCH', `/api/v1/stores/${store.id}`, { name: 'renamed' }],
        ['DELETE', `/api/v1/stores/${store.id}`],
        ['POST', '/api/v1/channels', { name: 'ghost', code: 'GHOST' }],
        ['PATCH', `/api/v1/channels/${channel.id}`, { name: 'renamed' }],
        ['POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/ghost', events: ['code.changed'] }],
        ['PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false }],
        ['DELETE', `/api/v1/webhooks/${hook.id}`],
        ['POST', '/api/v1/tokens', { name: 'ghost', role: 'viewer' }],
        ['DELETE', `/api/v1/tokens/${kept.id}`],
        ['POST', '/api/v1/users', { email: 'ghost@a.example', name: 'ghost', password: 'long enough password', role: 'viewer' }],
        ['POST', '/api/v1/roles', { name: 'ghost', permissions: ['codes.read'] }],
        ['POST', '/api/v1/departments', { name: 'ghost' }],
        ['PUT', '/api/v1/settings/approvals', { rules: [] }],
        ['PUT', '/api/v1/settings/attribution', { model: settingsBefore.model === 'last_touch' ? 'first_touch' : 'last_touch' }],
        ['POST', `/api/v1/proposals/${proposal.id}/approve`, {}, lead],
      ];
      for (const [method, url, body, key] of changes) {
        const res = await api(method, url, body, key);
        if (res.status < 500) refused.push(`${method} ${url} answered ${res.status}`);
      }
    } finally {
      await sql`drop trigger audit_down`.execute(storage.db);
    }
    expect(refused).toEqual([]);
    const names = async (url: string) => (await api('GET', url)).json.items.map((i: { name: string }) => i.name);
    expect((await api('GET', `/api/v1/staff/${member.id}`)).json.weight).toBe(member.weight);
    expect(await names('/api/v1/staff')).not.toContain('ghost');
    expect((await api('GET', `/api/v1/stores/${store.id}`)).json.name).toBe('store');
    expect(await names('/api/v1/stores')).not.toContain('ghost');
    expect(JSON.stringify((await api('GET', '/api/v1/channels')).json)).not.toMatch(/ghost|renamed/);
    expect((await api('GET', `/api/v1/webhooks/${hook.id}`)).json.enabled).toBe(true);
    expect((await api('GET', '/api/v1/webhooks')).json.items).toHaveLength(1);
    expect(await names('/api/v1/tokens')).not.toContain('ghost');
    expect((await api('GET', '/api/v1/codes', undefined, kept.token)).status).toBe(200);
    expect(await names('/api/v1/users')).not.toContain('ghost');
    expect(JSON.stringify((await api('GET', '/api/v1/roles')).json)).not.toContain('ghost');
    expect(JSON.stringify((await api('GET', '/api/v1/departments')).json)).not.toContain('ghost');
    expect((await api('GET', '/api/v1/settings/approvals')).json.rules).toHaveLength(1);
    expect((await api('GET', '/api/v1/settings/attribution')).json).toEqual(settingsBefore);
    expect((await api('GET', `/api/v1/proposals/${proposal.id}`)).json.status).toBe('pending');
    expect((await api('GET', `/api/v1/codes/${code.id}`)).json.url).toBe('https://shop.example/old');
    expect((await fetch(`${server.url}/s/${code.slug}`, { redirect: 'manual' })).headers.get('location')).toBe('https://shop.example/old');
    await made(api('PUT', '/api/v1/settings/approvals', { rules: [] }));
  });

  it('logs each of two concurrent edits under its own author, with the before and after its own transaction saw', async () => {
    const [alice, bob] = [await server.app.tokens.create('alice', 'operator'), await server.app.tokens.create('bob', 'operator')];
    for (let round = 0; round < 5; round++) {
      const code = (await server.api('POST', '/api/v1/codes', { name: `r${round}`, url: 'https://shop.example/0' })).json;
      const [a, b] = await Promise.all([
        server.api('PATCH', `/api/v1/codes/${code.id}`, { name: `alice-${round}` }, alice.token),
        server.api('PATCH', `/api/v1/codes/${code.id}`, { url: `https://shop.example/bob-${round}` }, bob.token),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const entries = (await server.api('GET', `/api/v1/audit?action=code.update&objectId=${code.id}`)).json.items;
      const versions = (await server.api('GET', `/api/v1/codes/${code.id}/versions`)).json.items;
      expect(entries).toHaveLength(2);
      for (const entry of entries) {
        const version = versions.find((v: any) => v.actor.id === entry.actor.id);
        // The entry names exactly the fields its author changed, from the value that author replaced.
        expect(entry.detail.changes, entry.actor.name).toEqual(version.changes.map((c: any) => ({ field: c.field, from: c.from, to: c.to })));
        expect(entry.detail.changes.map((c: any) => c.field)).toEqual([entry.actor.name === 'alice' ? 'name' : 'url']);
      }
    }
  });
});

describeEngines('the operation log under concurrent edits of one member', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engine.open());
  });
  afterAll(() => server.close());

  it('logs each edit that was applied under its own author, with only the field it changed', async () => {
    const [alice, bob] = [await server.app.tokens.create('alice', 'admin'), await server.app.tokens.create('bob', 'admin')];
    for (let round = 0; round < 8; round++) {
      const member = (await server.api('POST', '/api/v1/staff', { name: `m${round}`, contactQrUrl: 'https://img.example/m.png' })).json;
      const [a, b] = await Promise.all([
        server.api('PATCH', `/api/v1/staff/${member.id}`, { weight: 10 + round }, alice.token),
        server.api('PATCH', `/api/v1/staff/${member.id}`, { dailyLimit: 20 + round }, bob.token),
      ]);
      // Two edits of one row at once: both apply, or one is refused to be retried (PostgreSQL's snapshot); never a 500.
      for (const status of [a.status, b.status]) expect([200, 409]).toContain(status);
      const applied = [...(a.status === 200 ? [['alice', ['weight']]] : []), ...(b.status === 200 ? [['bob', ['dailyLimit']]] : [])];
      const entries = (await server.api('GET', `/api/v1/audit?action=staff.update&objectId=${member.id}`)).json.items;
      expect(entries.map((e: any) => [e.actor.name, e.detail.changes.map((c: any) => c.field)]).sort()).toEqual(applied);
    }
  });
});

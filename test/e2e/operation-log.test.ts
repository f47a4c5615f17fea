import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/db.ts';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('the operation log commits with the change it records', () => {
  let server: TestServer;
  let storage: Storage;

  beforeAll(async () => {
    storage = await engines()[0]!.open();
    server = await startServer(storage);
  });
  afterAll(() => server.close());

  it('leaves a change to a code or a person unapplied when its log entry cannot be written', async () => {
    const code = (await server.api('POST', '/api/v1/codes', { name: 'poster', url: 'https://shop.example/before' })).json;
    const user = (await server.api('POST', '/api/v1/users', { email: 'v@a.example', name: 'v', password: 'long enough password', role: 'viewer' })).json;
    // The log refuses this one kind of entry, as a full disk or a lost connection would.
    await sql`create trigger audit_down before insert on audit_log when new.action in ('code.update', 'code.delete', 'user.update') begin select raise(abort, 'audit log unavailable'); end`.execute(storage.db);
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

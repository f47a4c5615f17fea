import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_STALE_MS } from '../../src/shared/cached-value.ts';
import { localBus } from '../../src/storage/change-bus.ts';
import { migrateToLatest, openStorage } from '../../src/storage/db.ts';
import { createDatabase } from '../support/postgres.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { totpAt } from '../../src/teams/totp.ts';

const postgres = inject('postgresUrl');

/** Two instances on one PostgreSQL database, as behind a load balancer. */
describe.skipIf(!postgres)('several instances on PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  /** Hears no notices: every one sent to it is lost. */
  let deaf: TestServer;
  let dbUrl: string;

  beforeAll(async () => {
    const url = await createDatabase(postgres);
    dbUrl = url;
    const first = openStorage({ dataDir: '.', databaseUrl: url });
    await migrateToLatest(first);
    // As README asks of a deployment: every instance has the same HUOMA_SECRET.
    const env = { HUOMA_SECRET: 'instances-share-this-secret-0123456789' };
    a = await startServer(first, env);
    b = await startServer(openStorage({ dataDir: '.', databaseUrl: url }), env);
    deaf = await startServer(openStorage({ dataDir: '.', databaseUrl: url }), env, { bus: localBus });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await deaf?.close();
  });

  const locationOn = async (server: TestServer, slug: string) =>
    (await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (iPhone)' } })).headers.get('location');

  /** Polled well past the bound: how soon within it is not what these tests are about. */
  const eventually = async <T>(read: () => Promise<T>, expected: T) => {
    const started = performance.now();
    let seen = await read();
    while (seen !== expected && performance.now() - started < 6 * MAX_STALE_MS) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await read();
    }
    return seen;
  };

  it('an edit on one instance is obeyed by the other as soon as it is committed', async () => {
    const code = (await a.api('POST', '/api/v1/codes', { name: 'two instances', url: 'https://shop.example/1' })).json;
    expect(await locationOn(b, code.slug)).toBe('https://shop.example/1');
    for (let round = 2; round <= 6; round++) {
      const target = `https://shop.example/${round}`;
      expect((await a.api('PATCH', `/api/v1/codes/${code.id}`, { url: target })).status).toBe(200);
      const edited = performance.now();
      let seen = await locationOn(b, code.slug);
      while (seen !== target && performance.now() - edited < 2_000) seen = await locationOn(b, code.slug);
      expect(seen).toBe(target);
    }
  });

  it('catches up on changes made while its listening connection was down', async () => {
    const code = (await a.api('POST', '/api/v1/codes', { name: 'reconnect', url: 'https://shop.example/before' })).json;
    expect(await locationOn(b, code.slug)).toBe('https://shop.example/before');
    const admin = new pg.Client(dbUrl);
    await admin.connect();
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN%' and datname = current_database()");
    await admin.end();
    // Sent while nobody listens: instance b can only learn it by dropping its cache on reconnect.
    await a.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/after' });
    const started = performance.now();
    let seen = await locationOn(b, code.slug);
    while (seen !== 'https://shop.example/after' && performance.now() - started < 5_000) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await locationOn(b, code.slug);
    }
    expect(seen).toBe('https://shop.example/after');
  });

  it('a code created on one instance scans on the other, even after a miss was cached there', async () => {
    const before = await fetch(`${b.url}/s/Zz9Zz9Zz`);
    expect(before.status).toBe(404);
    const code = (await a.api('POST', '/api/v1/codes', { name: 'made on a', url: 'https://shop.example/new' })).json;
    expect(await locationOn(b, code.slug)).toBe('https://shop.example/new');
    await a.api('DELETE', `/api/v1/codes/${code.id}`);
    const started = performance.now();
    let status = 302;
    while (status !== 404 && performance.now() - started < 2_000) status = (await fetch(`${b.url}/s/${code.slug}`, { redirect: 'manual' })).status;
    expect(status).toBe(404);
  });

  it('obeys an edit whose notice was lost once its cached copy is past the staleness bound', async () => {
    const code = (await a.api('POST', '/api/v1/codes', { name: 'lost notice', url: 'https://shop.example/old' })).json;
    expect(await locationOn(deaf, code.slug)).toBe('https://shop.example/old');
    expect((await a.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/edited' })).status).toBe(200);
    expect(await eventually(() => locationOn(deaf, code.slug), 'https://shop.example/edited')).toBe('https://shop.example/edited');
  });

  it('obeys a staff member\'s status change and a store\'s move made elsewhere, whose notices were lost', async () => {
    const member = (await a.api('POST', '/api/v1/staff', { name: '听不见的顾问', contactQrUrl: 'https://img.example/deaf.png' })).json.id;
    const backup = (await a.api('POST', '/api/v1/staff', { name: '听不见的值班', contactQrUrl: 'https://img.example/backup.png' })).json.id;
    const staffCode = (await a.api('POST', '/api/v1/codes', {
      type: 'staff', name: 'lost roster notice', members: [{ staffId: member }], overflowColleagues: false, url: 'https://shop.example/leave-a-message',
    })).json;
    const staffScan = async () =>
      (await (await fetch(`${deaf.url}/s/${staffCode.slug}`, { headers: { accept: 'application/json' } })).json()).decision.staffId ?? null;
    expect(await staffScan()).toBe(member);
    expect((await a.api('PATCH', `/api/v1/staff/${member}`, { status: 'away' })).status).toBe(200);
    expect(await eventually(staffScan, null)).toBeNull();

    const store = (await a.api('POST', '/api/v1/stores', {
      name: '听不见店', province: '上海', city: '上海', address: '漕溪北路 1 号', lat: 31.19, lng: 121.43, staffIds: [backup],
    })).json.id;
    const regionCode = (await a.api('POST', '/api/v1/codes', {
      type: 'region', name: 'lost store notice', storeIds: [store], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [backup],
    })).json;
    const nearestStore = async () => {
      const { scanId } = await (await fetch(`${deaf.url}/s/${regionCode.slug}`, { headers: { accept: 'application/json' } })).json();
      const res = await fetch(`${deaf.url}/s/${regionCode.slug}/locate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scanId, lat: 31.2, lng: 121.44, coordSystem: 'wgs84', consent: true }),
      });
      return ((await res.json()).decision.storeId as string | undefined) ?? null;
    };
    expect(await nearestStore()).toBe(store);
    // Moved to Beijing: no longer within 5 km of the scanner in Shanghai.
    expect((await a.api('PATCH', `/api/v1/stores/${store}`, { lat: 39.91, lng: 116.4 })).status).toBe(200);
    expect(await eventually(nearestStore, null)).toBeNull();
  });

  it('a one-time code sent to both instances at once signs in on one only', async () => {
    const account = { email: 'twice@example.com', password: 'two-instances-1' };
    expect((await a.api('POST', '/api/v1/users', { ...account, name: 'twice', role: 'viewer' })).status).toBe(201);
    const login = (server: TestServer, totp?: string) =>
      fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...account, totp }) });
    const session = await login(a);
    const headers = { cookie: session.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await session.json()) as any).csrfToken };
    const { secret } = (await (await fetch(`${a.url}/api/v1/me/totp`, { method: 'POST', headers })).json()) as { secret: string };
    const confirm = await fetch(`${a.url}/api/v1/me/totp/confirm`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ code: totpAt(secret, Date.now() / 1000) }),
    });
    expect(confirm.status).toBe(200);
    // The code of the next step: newer than the one spent confirming.
    const code = totpAt(secret, Date.now() / 1000 + 30);
    const both = await Promise.all([login(a, code), login(b, code)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });
});

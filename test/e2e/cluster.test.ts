import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, openStorage } from '../../src/storage/db.ts';
import { missingScans, PHONE_UA, scanUntil } from '../support/load.ts';
import { describeEach, missing } from '../support/engines.ts';
import { createDatabase } from '../support/postgres.ts';
import { findRedisServer, startRedis } from '../support/redis.ts';
import { runCli, startChildServer, startServer, type ChildServer } from '../support/server.ts';

const postgres = inject('postgresUrl');
const redis = inject('redisUrl');
const setups = [
  { name: 'PostgreSQL, counters in PostgreSQL', missing: missing('postgresUrl'), env: {} as Record<string, string> },
  { name: 'PostgreSQL, counters in Redis', missing: missing('postgresUrl') ?? missing('redisUrl'), env: { HUOMA_REDIS_URL: redis } },
];

/** Two `huoma serve` processes on one PostgreSQL database, as behind a load balancer. */
describeEach(setups, 'two instances', ({ env }) => {
  let dbUrl: string;
  let token: string;
  let a: ChildServer;
  let b: ChildServer;

  beforeAll(async () => {
    dbUrl = await createDatabase(postgres);
    // Both start on an empty database at once: one migrates, the other waits for its lock.
    [a, b] = await Promise.all([startChildServer(['--database-url', dbUrl], env), startChildServer(['--database-url', dbUrl], env)]);
    const cli = await runCli(['token', 'create', '--role', 'owner', '--name', 'cluster', '--database-url', dbUrl]);
    token = cli.stdout.trim().split('\n').at(-1)!;
  });
  afterAll(() => {
    a?.process.kill('SIGKILL');
    b?.process.kill('SIGKILL');
  });

  const api = async (server: ChildServer, method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const scan = (server: ChildServer, slug: string, vid?: string) =>
    fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA, ...(vid ? { cookie: `hm_vid=${vid}` } : {}) } });

  it('obeys on one instance an edit made on the other, on the next scan after the commit', async () => {
    const code = (await api(a, 'POST', '/api/v1/codes', { name: 'edit on a', url: 'https://shop.example/1' })).json;
    expect((await scan(b, code.slug)).headers.get('location')).toBe('https://shop.example/1');
    for (let round = 2; round <= 4; round++) {
      await api(a, 'PATCH', `/api/v1/codes/${code.id}`, { url: `https://shop.example/${round}` });
      const edited = performance.now();
      let seen = (await scan(b, code.slug)).headers.get('location');
      while (seen !== `https://shop.example/${round}` && performance.now() - edited < 2_000) seen = (await scan(b, code.slug)).headers.get('location');
      expect(seen).toBe(`https://shop.example/${round}`);
    }
  });

  it('lets each device through exactly 3 times when both instances are hammered at once', async () => {
    const code = (await api(b, 'POST', '/api/v1/codes', { name: 'three each', url: 'https://shop.example/gift', deviceLimit: { max: 3, period: 'day' } })).json;
    const devices = Array.from({ length: 12 }, (_, i) => `device-${String(i).padStart(2, '0')}-abcdefghij`);
    const requests = devices.flatMap((vid) => Array.from({ length: 20 }, (_, i) => ({ vid, server: i % 2 ? a : b })));
    const results = await Promise.all(requests.map(async ({ vid, server }) => ({ vid, status: (await scan(server, code.slug, vid)).status })));
    for (const vid of devices) {
      const mine = results.filter((r) => r.vid === vid);
      expect(mine.filter((r) => r.status === 302), vid).toHaveLength(3);
      expect(mine.filter((r) => r.status === 200), vid).toHaveLength(17);
    }
    const stats = (await api(a, 'GET', `/api/v1/codes/${code.id}/stats`)).json;
    expect(stats.byOutcome).toEqual(expect.arrayContaining([{ outcome: 'redirect', scans: 36 }, { outcome: 'device_limit', scans: 204 }]));
    // The counts live where the configuration says: in Redis, or in the shared database.
    const storage = openStorage({ dataDir: '.', databaseUrl: dbUrl });
    const rows = await storage.db.selectFrom('counters').select('key').where('key', 'like', `device:${code.id}:%`).execute();
    await storage.close();
    expect(rows).toHaveLength(env.HUOMA_REDIS_URL ? 0 : devices.length);
  });

  it('holds a scan cap exactly across both instances', async () => {
    const code = (await api(a, 'POST', '/api/v1/codes', { name: 'first 25', url: 'https://shop.example/prize', maxScans: 25 })).json;
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => scan(i % 2 ? a : b, code.slug)));
    expect(results.filter((r) => r.status === 302)).toHaveLength(25);
    expect((await api(b, 'GET', `/api/v1/codes/${code.id}`)).json).toMatchObject({ status: 'limit_reached', scanCount: 25 });
  });

  it('loses no accepted scan when one instance is killed mid-load, and the other serves on', async () => {
    const code = (await api(a, 'POST', '/api/v1/codes', { name: 'kill one', url: 'https://shop.example/k', maxScans: 1_000_000 })).json;
    let stopA = false;
    const onA = scanUntil(a.url, code.slug, 8, () => stopA);
    const onB = scanUntil(b.url, code.slug, 8);
    await new Promise((r) => setTimeout(r, 1_500));
    b.process.kill('SIGKILL');
    const answeredB = await onB;
    await b.exited;
    await new Promise((r) => setTimeout(r, 500));
    stopA = true;
    const answeredA = await onA;
    expect(answeredB.length).toBeGreaterThan(20);
    expect(answeredA.length).toBeGreaterThan(answeredB.length / 2);

    const storage = openStorage({ dataDir: '.', databaseUrl: dbUrl });
    const missing = await missingScans(storage, [...answeredA, ...answeredB]);
    await storage.close();
    expect(missing).toEqual([]);
    const stored = (await api(a, 'GET', `/api/v1/codes/${code.id}`)).json;
    expect(stored.scanCount).toBeGreaterThanOrEqual(answeredA.length + answeredB.length);
    b = await startChildServer(['--database-url', dbUrl], env);
  });
});

/** Redis is a helper, not a dependency of every scan: losing it refuses only what needs its counts. */
describe.skipIf(!postgres || !findRedisServer())('when Redis goes away', () => {
  it('answers codes with limits 503 and serves every other code, and stays ready', async () => {
    const redisServer = await startRedis(findRedisServer()!);
    const storage = openStorage({ dataDir: '.', databaseUrl: await createDatabase(postgres) });
    await migrateToLatest(storage);
    const server = await startServer(storage, { HUOMA_REDIS_URL: redisServer.url });
    try {
      const plain = (await server.api('POST', '/api/v1/codes', { name: 'plain', url: 'https://shop.example/plain' })).json;
      const limited = (await server.api('POST', '/api/v1/codes', {
        name: 'limited', url: 'https://shop.example/limited', deviceLimit: { max: 3, period: 'day' },
      })).json;
      expect((await fetch(`${server.url}/s/${limited.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } })).status).toBe(302);
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', counters: 'redis ok' });

      await redisServer.stop();
      const refused = await fetch(`${server.url}/s/${limited.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const plainScan = await fetch(`${server.url}/s/${plain.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
      expect(plainScan.headers.get('location')).toBe('https://shop.example/plain');
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', counters: 'redis unreachable' });
    } finally {
      await server.close();
      await redisServer.stop();
    }
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Counters } from '../src/counters/counters.ts';
import { RedisCounters } from '../src/counters/redis-counters.ts';
import { SqlCounters } from '../src/counters/sql-counters.ts';
import { migrateToLatest, openStorage, type Storage } from '../src/storage/db.ts';
import { describeEach, missing, type Reachable } from './support/engines.ts';
import { createDatabase } from './support/postgres.ts';

/** Two handles on one backend, as two instances of the server would hold. */
interface Backend extends Reachable {
  open(): Promise<{ a: Counters; b: Counters; close(): Promise<void> }>;
}

async function sqlBackend(open: () => Storage): Promise<{ a: Counters; b: Counters; close(): Promise<void> }> {
  const first = open();
  await migrateToLatest(first);
  const second = first.engine === 'sqlite' ? first : open();
  return {
    a: new SqlCounters(first.db),
    b: new SqlCounters(second.db),
    close: async () => {
      await first.close();
      if (second !== first) await second.close();
    },
  };
}

function backends(): Backend[] {
  const list: Backend[] = [
    {
      name: 'sqlite',
      missing: null,
      open: () => {
        const dir = mkdtempSync(join(tmpdir(), 'huoma-counters-'));
        return sqlBackend(() => openStorage({ dataDir: dir }));
      },
    },
  ];
  const pgUrl = inject('postgresUrl');
  list.push({
    name: 'postgres',
    missing: missing('postgresUrl'),
    open: async () => {
      const url = await createDatabase(pgUrl);
      return sqlBackend(() => openStorage({ dataDir: tmpdir(), databaseUrl: url }));
    },
  });
  const redisUrl = inject('redisUrl');
  list.push({
    name: 'redis',
    missing: missing('redisUrl'),
    async open() {
      const prefix = `test:${Math.random().toString(36).slice(2)}:`;
      const a = await new RedisCounters(redisUrl, prefix).connect();
      const b = await new RedisCounters(redisUrl, prefix).connect();
      return { a, b, close: async () => { await a.close(); await b.close(); } };
    },
  });
  return list;
}

describeEach(backends(), 'shared counters', (backend) => {
  let a: Counters;
  let b: Counters;
  let close: () => Promise<void>;
  let n = 0;
  const key = () => `k${++n}`;

  beforeAll(async () => ({ a, b, close } = await backend.open()));
  afterAll(() => close());

  it('gives exactly `limit` units, then refuses', async () => {
    const k = key();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await a.take({ key: k, limit: 3, expiresAt: null, seed: 0 }));
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('holds the limit exactly when two instances take at once', async () => {
    const k = key();
    const takes = Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).take({ key: k, limit: 37, expiresAt: null, seed: 0 }));
    const granted = (await Promise.all(takes)).filter(Boolean).length;
    expect(granted).toBe(37);
    expect(await b.read([k, 'never-taken'])).toEqual(new Map([[k, 37], ['never-taken', 0]]));
  });

  it('starts a new count from its seed, and refuses at once when the seed has reached the limit', async () => {
    const seeded = key();
    expect(await a.take({ key: seeded, limit: 10, expiresAt: null, seed: 8 })).toBe(true);
    expect(await b.take({ key: seeded, limit: 10, expiresAt: null, seed: 0 })).toBe(true);
    expect(await a.take({ key: seeded, limit: 10, expiresAt: null, seed: 8 })).toBe(false);
    const spent = key();
    expect(await a.take({ key: spent, limit: 5, expiresAt: null, seed: 5 })).toBe(false);
  });

  it('takes a released unit again, and a release never goes below zero', async () => {
    const k = key();
    expect(await a.take({ key: k, limit: 1, expiresAt: null, seed: 0 })).toBe(true);
    expect(await b.take({ key: k, limit: 1, expiresAt: null, seed: 0 })).toBe(false);
    await b.release(k);
    await b.release(k);
    expect(await a.take({ key: k, limit: 1, expiresAt: null, seed: 0 })).toBe(true);
    expect(await a.take({ key: k, limit: 1, expiresAt: null, seed: 0 })).toBe(false);
  });

  it('forgets a count once its window has ended', async () => {
    const ending = key();
    const lasting = key();
    const soon = Date.now() + 300;
    expect(await a.take({ key: ending, limit: 1, expiresAt: soon, seed: 0 })).toBe(true);
    expect(await a.take({ key: lasting, limit: 1, expiresAt: null, seed: 0 })).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    await a.expire(Date.now());
    expect(await b.take({ key: ending, limit: 1, expiresAt: Date.now() + 60_000, seed: 0 })).toBe(true);
    expect(await b.take({ key: lasting, limit: 1, expiresAt: null, seed: 0 })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { newCode } from '../../test/support/factories.ts';
import type { StoredCode } from '../codes/repo.ts';
import { MAX_STALE_MS } from '../shared/cached-value.ts';
import { CodeCache } from './code-cache.ts';

const cacheOf = (load: (slug: string) => Promise<StoredCode | null>, version: (slug: string) => Promise<number | null> = async () => null, now = () => 0) =>
  new CodeCache(load, version, now);

describe('code cache', () => {
  it('serves hits without waiting, and an edit is seen on the next scan', async () => {
    let url = 'https://a.example/1';
    const cache = cacheOf(async () => ({ config: newCode({ url }), scanCount: 5 }));
    expect(((await cache.get('AbCd2345', 0))! as { config: { url: string } }).config.url).toBe(url);
    expect(cache.get('AbCd2345', 0)).not.toBeInstanceOf(Promise);
    cache.increment('code-1');
    expect(cache.count('code-1')).toBe(6);
    url = 'https://a.example/2';
    cache.invalidate('AbCd2345');
    expect((await cache.get('AbCd2345', 0))!.config.url).toBe('https://a.example/2');
    // The running count survives the reload: scans still being committed are not forgotten.
    expect(cache.count('code-1')).toBe(6);
  });

  it('does not keep a load that raced with an edit', async () => {
    const answers: ((v: StoredCode | null) => void)[] = [];
    const cache = cacheOf(() => new Promise((resolve) => answers.push(resolve)));
    const stale = cache.get('AbCd2345', 0) as Promise<unknown>;
    cache.invalidate('AbCd2345');
    answers[0]!({ config: newCode({ url: 'https://old.example/' }), scanCount: 0 });
    await stale;
    const fresh = cache.get('AbCd2345', 0);
    expect(fresh).toBeInstanceOf(Promise);
    answers[1]!({ config: newCode({ url: 'https://new.example/' }), scanCount: 0 });
    expect((await fresh)!.config.url).toBe('https://new.example/');
  });

  it('asks the database again after a failed load instead of remembering the failure', async () => {
    let fail = true;
    const cache = cacheOf(async () => {
      if (fail) throw new Error('database away');
      return { config: newCode(), scanCount: 0 };
    });
    await expect(cache.get('AbCd2345', 0)).rejects.toThrow('database away');
    fail = false;
    expect(await cache.get('AbCd2345', 0)).toMatchObject({ config: { id: 'code-1' } });
  });

  it('remembers unknown slugs until a code takes one', async () => {
    let calls = 0;
    let exists = false;
    const cache = cacheOf(async () => {
      calls++;
      return exists ? { config: newCode(), scanCount: 0 } : null;
    });
    expect(await cache.get('Zz9Zz9Zz', 0)).toBeNull();
    expect(cache.get('Zz9Zz9Zz', 0)).toBeNull();
    expect(calls).toBe(1);
    exists = true;
    cache.invalidate('Zz9Zz9Zz');
    expect(await cache.get('Zz9Zz9Zz', 0)).not.toBeNull();
  });

  it('serves a copy older than the bound while it asks for the version once, and reloads it when it changed elsewhere', async () => {
    let now = 1_000;
    let stored = newCode({ url: 'https://a.example/1', version: 1 });
    const versionAsks: ((v: number | null) => void)[] = [];
    const cache = cacheOf(async () => ({ config: stored, scanCount: 0 }), () => new Promise((resolve) => versionAsks.push(resolve)), () => now);
    await cache.get('AbCd2345', now);
    // An edit on another instance whose notice never came.
    stored = newCode({ url: 'https://a.example/2', version: 2 });
    now += MAX_STALE_MS - 1;
    expect(cache.get('AbCd2345', now)).toMatchObject({ config: { url: 'https://a.example/1' } });
    expect(versionAsks).toHaveLength(0);
    now += 1;
    for (let i = 0; i < 3; i++) expect(cache.get('AbCd2345', now)).toMatchObject({ config: { url: 'https://a.example/1' } });
    expect(versionAsks).toHaveLength(1);
    versionAsks[0]!(2);
    await new Promise((r) => setImmediate(r));
    expect(cache.get('AbCd2345', now)).toMatchObject({ config: { url: 'https://a.example/2' } });
  });

  it('keeps a copy the database confirms, and checks again only after another bound', async () => {
    let now = 0;
    let asks = 0;
    const cache = cacheOf(async () => ({ config: newCode({ version: 3 }), scanCount: 0 }), async () => (asks++, 3), () => now);
    await cache.get('AbCd2345', now);
    now = MAX_STALE_MS;
    const copy = cache.get('AbCd2345', now);
    await new Promise((r) => setImmediate(r));
    expect(cache.get('AbCd2345', now)).toBe(copy);
    now += MAX_STALE_MS - 1;
    cache.get('AbCd2345', now);
    expect(asks).toBe(1);
    now += 1;
    cache.get('AbCd2345', now);
    expect(asks).toBe(2);
  });

  it('learns of a code created elsewhere on a slug it remembered as unknown', async () => {
    let now = 0;
    let exists = false;
    const cache = cacheOf(async () => (exists ? { config: newCode(), scanCount: 0 } : null), async () => (exists ? 1 : null), () => now);
    expect(await cache.get('AbCd2345', now)).toBeNull();
    exists = true;
    now = MAX_STALE_MS;
    expect(cache.get('AbCd2345', now)).toBeNull();
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('AbCd2345', now)).toMatchObject({ config: { id: 'code-1' } });
  });

  it('does not keep a load that raced with a reconnect', async () => {
    const answers: ((v: StoredCode | null) => void)[] = [];
    const cache = cacheOf(() => new Promise((resolve) => answers.push(resolve)));
    const stale = cache.get('AbCd2345', 0) as Promise<unknown>;
    cache.clear();
    answers[0]!({ config: newCode({ url: 'https://old.example/' }), scanCount: 0 });
    await stale;
    expect(cache.get('AbCd2345', 0)).toBeInstanceOf(Promise);
  });

  it('holds nothing per slug beyond its bounds however many unknown slugs are scanned across reconnects', async () => {
    const cache = cacheOf(async () => null);
    const scanned = 25_000;
    for (let reconnect = 0; reconnect < 3; reconnect++) {
      await Promise.all(Array.from({ length: scanned }, (_, i) => cache.get(`Zz${reconnect}${i}`, 0)));
      cache.clear();
    }
    // Whatever it keeps by slug (no code was found, so no count either): after a reconnect it holds no code, so nothing is left.
    const held = Object.values(cache).filter((v): v is Map<unknown, unknown> => v instanceof Map);
    expect(held.length).toBeGreaterThan(0);
    expect(held.map((m) => m.size)).toEqual(held.map(() => 0));
  });
});

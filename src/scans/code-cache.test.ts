import { describe, expect, it } from 'vitest';
import { newCode } from '../../test/support/factories.ts';
import type { StoredCode } from '../codes/store.ts';
import { CodeCache } from './code-cache.ts';

describe('code cache', () => {
  it('serves hits without waiting, and an edit is seen on the next scan', async () => {
    let url = 'https://a.example/1';
    const cache = new CodeCache(async () => ({ config: newCode({ url }), scanCount: 5 }));
    expect(((await cache.get('AbCd2345'))! as { config: { url: string } }).config.url).toBe(url);
    expect(cache.get('AbCd2345')).not.toBeInstanceOf(Promise);
    cache.increment('code-1');
    expect(cache.count('code-1')).toBe(6);
    url = 'https://a.example/2';
    cache.invalidate('AbCd2345');
    expect((await cache.get('AbCd2345'))!.config.url).toBe('https://a.example/2');
    // The running count survives the reload: scans still being committed are not forgotten.
    expect(cache.count('code-1')).toBe(6);
  });

  it('does not keep a load that raced with an edit', async () => {
    const answers: ((v: StoredCode | null) => void)[] = [];
    const cache = new CodeCache(() => new Promise((resolve) => answers.push(resolve)));
    const stale = cache.get('AbCd2345') as Promise<unknown>;
    cache.invalidate('AbCd2345');
    answers[0]!({ config: newCode({ url: 'https://old.example/' }), scanCount: 0 });
    await stale;
    const fresh = cache.get('AbCd2345');
    expect(fresh).toBeInstanceOf(Promise);
    answers[1]!({ config: newCode({ url: 'https://new.example/' }), scanCount: 0 });
    expect((await fresh)!.config.url).toBe('https://new.example/');
  });

  it('asks the database again after a failed load instead of remembering the failure', async () => {
    let fail = true;
    const cache = new CodeCache(async () => {
      if (fail) throw new Error('database away');
      return { config: newCode(), scanCount: 0 };
    });
    await expect(cache.get('AbCd2345')).rejects.toThrow('database away');
    fail = false;
    expect(await cache.get('AbCd2345')).toMatchObject({ config: { id: 'code-1' } });
  });

  it('remembers unknown slugs until a code takes one', async () => {
    let calls = 0;
    let exists = false;
    const cache = new CodeCache(async () => {
      calls++;
      return exists ? { config: newCode(), scanCount: 0 } : null;
    });
    expect(await cache.get('Zz9Zz9Zz')).toBeNull();
    expect(cache.get('Zz9Zz9Zz')).toBeNull();
    expect(calls).toBe(1);
    exists = true;
    cache.invalidate('Zz9Zz9Zz');
    expect(await cache.get('Zz9Zz9Zz')).not.toBeNull();
  });
});

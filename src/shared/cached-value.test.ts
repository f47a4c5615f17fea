import { describe, expect, it } from 'vitest';
import { CachedValue, MAX_STALE_MS } from './cached-value.ts';

describe('a value cached for the scan path', () => {
  it('is reloaded in the background once older than the bound, serving the old value meanwhile', async () => {
    let now = 0;
    let stored = 'roster 1';
    const loads: (() => void)[] = [];
    const value = new CachedValue(() => new Promise<string>((resolve) => loads.push(() => resolve(stored))), () => now);
    const first = value.get();
    loads[0]!();
    expect(await first).toBe('roster 1');
    // Changed elsewhere, and the notice was lost.
    stored = 'roster 2';
    now = MAX_STALE_MS - 1;
    expect(value.get()).toBe('roster 1');
    expect(loads).toHaveLength(1);
    now = MAX_STALE_MS;
    expect(value.get()).toBe('roster 1');
    expect(value.get()).toBe('roster 1');
    expect(loads).toHaveLength(2);
    loads[1]!();
    await new Promise((r) => setImmediate(r));
    expect(value.get()).toBe('roster 2');
  });
});

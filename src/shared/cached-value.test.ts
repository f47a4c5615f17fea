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

describe('a value cached for the scan path with a version probe', () => {
  /** A catalog of stores as the database holds it, with the revision every change raises. */
  const setup = () => {
    let now = 0;
    const db = { stores: ['徐汇店', '浦东店'], revision: 1 };
    const calls = { loads: 0, probes: 0 };
    const value = new CachedValue(
      async () => (calls.loads++, [...db.stores]),
      () => now,
      async () => (calls.probes++, db.revision),
    );
    const settle = () => new Promise((r) => setImmediate(r));
    const after = async (ms: number) => {
      now += ms;
      const served = value.get();
      await settle();
      return served;
    };
    return { db, calls, value, after, settle };
  };

  it('is not read again past the bound while the probe answers the version it was loaded at', async () => {
    const { calls, value, after } = setup();
    expect(await value.get()).toEqual(['徐汇店', '浦东店']);
    expect(calls.loads).toBe(1);
    for (let round = 0; round < 3; round++) expect(await after(MAX_STALE_MS)).toEqual(['徐汇店', '浦东店']);
    expect(calls.probes).toBeGreaterThanOrEqual(3);
    expect(calls.loads).toBe(1);
  });

  it('is read again once the probe answers another version, a delete included', async () => {
    const { db, calls, value, after } = setup();
    await value.get();
    // Deleted on another instance, whose notice was lost.
    db.stores = ['徐汇店'];
    db.revision++;
    expect(await after(MAX_STALE_MS)).toEqual(['徐汇店', '浦东店']);
    expect(calls.loads).toBe(2);
    expect(value.get()).toEqual(['徐汇店']);
    db.stores = ['徐汇店', '静安店'];
    db.revision++;
    await after(MAX_STALE_MS);
    expect(value.get()).toEqual(['徐汇店', '静安店']);
    expect(calls.loads).toBe(3);
  });

  it('asks the probe once at a time, however many bounds pass before it answers', async () => {
    let now = 0;
    const answers: ((version: number) => void)[] = [];
    const value = new CachedValue(async () => 'roster', () => now, () => new Promise<number>((r) => answers.push(r)));
    const first = value.get();
    answers[0]!(1);
    await first;
    for (let round = 0; round < 3; round++) {
      now += MAX_STALE_MS;
      expect(value.get()).toBe('roster');
      await new Promise((r) => setImmediate(r));
    }
    expect(answers).toHaveLength(2);
  });
});

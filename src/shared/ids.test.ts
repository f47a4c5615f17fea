import { describe, expect, it } from 'vitest';
import { idTimePrefix, newId } from './ids.ts';

describe('ids', () => {
  it('sort by creation, also for ids made in the same millisecond', () => {
    const at = Date.parse('2026-11-23T06:00:00Z');
    const ids = [...Array.from({ length: 1000 }, () => newId(at)), newId(at + 1), newId(at + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.length === 22 && /^[0-9A-HJKMNP-TV-Z]+$/.test(id))).toBe(true);
    expect(ids[0]!.startsWith(idTimePrefix(at))).toBe(true);
  });

  it('start afresh each millisecond, so ids of different moments do not follow each other', () => {
    const a = newId(1_000);
    const b = newId(2_000);
    expect(a.slice(10)).not.toBe(b.slice(10));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributed, firstAndLast } from './attribution.ts';

describe('attribution', () => {
  it('credits the earliest touch under first touch and the latest under last touch, in any arrival order', () => {
    const touch = fc.record({ at: fc.integer({ min: 0, max: 1e6 }), codeId: fc.string(), channelId: fc.option(fc.string()) });
    fc.assert(
      fc.property(fc.array(touch, { minLength: 1, maxLength: 20 }), (touches) => {
        const pair = firstAndLast(touches);
        const times = touches.map((t) => t.at);
        expect(pair.first!.at).toBe(Math.min(...times));
        expect(pair.last!.at).toBe(Math.max(...times));
        expect(attributed('first_touch', pair)).toBe(pair.first);
        expect(attributed('last_touch', pair)).toBe(pair.last);
      }),
    );
  });

  it('keeps the first to arrive among touches at the same moment', () => {
    const a = { at: 5, codeId: 'a', channelId: null };
    const b = { at: 5, codeId: 'b', channelId: null };
    expect(firstAndLast([a, b])).toEqual({ first: a, last: a });
  });

  it('has nothing to credit without touches', () => {
    expect(firstAndLast([])).toEqual({ first: null, last: null });
  });
});

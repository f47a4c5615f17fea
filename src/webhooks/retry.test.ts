import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, DISABLE_AFTER, RETRY_WINDOW, shouldDisable } from './retry.ts';

describe('webhook retries', () => {
  it('backs off: each wait at least as long as the one before, never more than 6.6 h', () => {
    let last = 0;
    for (let attempts = 1; attempts <= 12; attempts++) {
      const next = afterFailure(attempts, 0, 1_000, 0);
      if (!('retryAt' in next)) throw new Error('gave up early');
      const wait = next.retryAt - 1_000;
      expect(wait).toBeGreaterThanOrEqual(last);
      expect(wait).toBeLessThanOrEqual(6.6 * 3_600_000);
      last = wait;
    }
  });

  it('keeps retrying a receiver that is down for at least 24 hours, then gives up', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 40, maxLength: 40 }), (jitters) => {
        const created = 1_000_000;
        let now = created;
        for (let attempts = 1; ; attempts++) {
          const next = afterFailure(attempts, created, now, jitters[attempts % jitters.length]!);
          if ('giveUp' in next) {
            expect(now - created).toBeGreaterThanOrEqual(RETRY_WINDOW);
            expect(now - created).toBeLessThan(RETRY_WINDOW + 7 * 3_600_000);
            return;
          }
          now = next.retryAt;
        }
      }),
    );
  });

  it('switches a subscription off only after it has failed without a break for three days', () => {
    expect(shouldDisable(null, 10 * DISABLE_AFTER)).toBe(false);
    expect(shouldDisable(0, DISABLE_AFTER - 1)).toBe(false);
    expect(shouldDisable(0, DISABLE_AFTER)).toBe(true);
  });
});

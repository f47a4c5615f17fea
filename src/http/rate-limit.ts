import type { Counters } from '../counters/counters.ts';
import type { Clock } from '../shared/clock.ts';

const WINDOW_MS = 60_000;

/**
 * Requests per minute per key (an API key, an address), in fixed windows kept in the shared
 * counters, so the limit is the cluster's, not each instance's. A limit of 0 is no limit.
 */
export class RateLimiter {
  constructor(
    private readonly counters: Counters,
    private readonly clock: Clock,
  ) {}

  /** Seconds to wait before trying again, or 0 when this request may go ahead. */
  async wait(key: string, perMinute: number): Promise<number> {
    if (perMinute <= 0) return 0;
    const now = this.clock.now();
    const start = now - (now % WINDOW_MS);
    const end = start + WINDOW_MS;
    const ok = await this.counters.take({ key: `rate:${key}:${start}`, limit: perMinute, expiresAt: end + WINDOW_MS, seed: 0 });
    return ok ? 0 : Math.max(1, Math.ceil((end - now) / 1000));
  }
}

import type { CodeConfig } from '../codes/model.ts';
import type { Refusal } from '../codes/rules.ts';
import type { Counters } from '../counters/counters.ts';

const DAY_MS = 86_400_000;

export interface Admission {
  refused: Extract<Refusal, 'limit_reached' | 'device_limit'> | null;
  /** Gives back what was taken, when the scan it was taken for cannot be recorded. */
  release(): Promise<void>;
}

const nothing = async () => {};

export const limited = (code: CodeConfig) => code.maxScans !== null || code.deviceLimit !== null;

/**
 * What a served scan uses from the counters every instance shares: one unit of the code's scan
 * cap, then one of the device's share. A refusal gives back whatever was taken before it.
 */
export class ScanLimits {
  constructor(private readonly counters: Counters) {}

  /**
   * `scanCount` seeds the code's cap the first time it is kept (codes made before the counter,
   * or a Redis that lost its data); `localDate` is the day in the code's time zone.
   */
  async admit(code: CodeConfig, visitorId: string, localDate: string, now: number, scanCount: number): Promise<Admission> {
    const taken: string[] = [];
    const release = async () => {
      await Promise.all(taken.map((key) => this.counters.release(key)));
    };
    if (code.maxScans !== null) {
      const key = `scans:${code.id}`;
      if (!(await this.counters.take({ key, limit: code.maxScans, expiresAt: null, seed: scanCount }))) {
        return { refused: 'limit_reached', release: nothing };
      }
      taken.push(key);
    }
    if (code.deviceLimit !== null) {
      const { max, period } = code.deviceLimit;
      const key = `device:${code.id}:${period === 'day' ? localDate : 'all'}:${visitorId}`;
      // The key names its day, so the expiry only has to outlast it in every time zone.
      const expiresAt = period === 'day' ? now + 2 * DAY_MS : null;
      if (!(await this.counters.take({ key, limit: max, expiresAt, seed: 0 }))) {
        await release();
        return { refused: 'device_limit', release: nothing };
      }
      taken.push(key);
    }
    return { refused: null, release };
  }
}

/** One unit taken from a shared count that must not pass a limit. */
export interface CounterTake {
  key: string;
  limit: number;
  /** When the count may be forgotten (the end of its window), or null to keep it. */
  expiresAt: number | null;
  /** Where a count that does not exist yet starts: units already used before it was kept here. */
  seed: number;
}

/**
 * Counts every instance shares (scan caps, per-device limits; later staff adds and rate
 * limits): each take is atomic across the cluster, so a limit holds exactly however many
 * instances serve scans. Kept in the database by default, in Redis where it is configured.
 */
export interface Counters {
  readonly kind: 'database' | 'redis';
  /** Adds one unless the count has reached `limit`; whether the unit was taken. */
  take(take: CounterTake): Promise<boolean>;
  /** Current counts (0 for keys never taken), for choices that prefer the least used. */
  read(keys: readonly string[]): Promise<Map<string, number>>;
  /** Gives one unit back (the scan it was taken for could not be recorded). */
  release(key: string): Promise<void>;
  /** Drops counts whose window ended before `now`; how many went. */
  expire(now: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

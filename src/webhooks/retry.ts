const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Waits after the 1st, 2nd, … failed attempt; the last repeats. */
const DELAYS = [10 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 6 * HOUR];
/** A delivery is retried at least this long before it is given up. */
export const RETRY_WINDOW = 24 * HOUR;
/** A subscription whose every delivery has failed for this long is switched off. */
export const DISABLE_AFTER = 72 * HOUR;

export type AfterFailure = { retryAt: number } | { giveUp: true };

/**
 * After a failed attempt: when to try again, spread by up to 10 % so retries of many deliveries
 * do not arrive together; or give up once the window has passed. `jitter` is in [0, 1).
 */
export function afterFailure(attempts: number, createdAt: number, now: number, jitter: number): AfterFailure {
  if (now - createdAt >= RETRY_WINDOW) return { giveUp: true };
  const delay = DELAYS[Math.min(attempts, DELAYS.length) - 1] ?? DELAYS[0]!;
  return { retryAt: now + Math.round(delay * (1 + jitter / 10)) };
}

export const shouldDisable = (failingSince: number | null, now: number) => failingSince !== null && now - failingSince >= DISABLE_AFTER;

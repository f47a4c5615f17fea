/**
 * How stale a value cached for the scan path may get when the notice of a change to it was lost:
 * older than this, it is checked again (in the background; scans are served from it meanwhile).
 */
export const MAX_STALE_MS = 5_000;

/**
 * What the scan path reads on every scan (the staff roster, the store catalog), kept in memory:
 * loaded once, dropped when it changes (here at once, on other instances through the change bus),
 * and reloaded in the background once older than MAX_STALE_MS in case a change's notice was lost.
 * Synchronous on a hit, so a scan does not wait on a promise it does not need.
 */
export class CachedValue<T> {
  /** `at`: when the value was loaded, or last set to reload. */
  private cached: { value: T; at: number } | null = null;
  private loading: Promise<T> | null = null;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): T | Promise<T> {
    const cached = this.cached;
    if (cached) {
      const now = this.now();
      if (now - cached.at >= MAX_STALE_MS) {
        // Marked first, so the scans meanwhile start no other reload; after a failed one the
        // value is served until the next, as long again.
        cached.at = now;
        this.reload().catch(() => {});
      }
      return cached.value;
    }
    return this.loading ?? this.reload();
  }

  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.loading = null;
  }

  private reload(): Promise<T> {
    const generation = this.generation;
    const startedAt = this.now();
    const pending: Promise<T> = this.load().then(
      (value) => {
        if (this.loading === pending) this.loading = null;
        // A change during the load may not be in it: use it for this scan, do not keep it.
        if (generation === this.generation) this.cached = { value, at: startedAt };
        return value;
      },
      (error: unknown) => {
        if (this.loading === pending) this.loading = null;
        throw error;
      },
    );
    this.loading = pending;
    return pending;
  }
}

/** The value now, waiting only when it has to be loaded. */
export const current = async <T>(source: CachedValue<T>): Promise<T> => source.get();

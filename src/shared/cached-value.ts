/** A change reaches a cached value this late at worst, even if its notice was lost. */
const MAX_AGE_MS = 30_000;

/**
 * What the scan path reads on every scan (the staff roster, the store catalog), kept in memory:
 * loaded once, dropped when it changes (here at once, on other instances through the change bus).
 * Synchronous on a hit, so a scan does not wait on a promise it does not need.
 */
export class CachedValue<T> {
  private cached: { value: T; at: number } | null = null;
  private loading: Promise<T> | null = null;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): T | Promise<T> {
    if (this.cached && this.now() - this.cached.at < MAX_AGE_MS) return this.cached.value;
    if (this.loading) return this.loading;
    const generation = this.generation;
    const pending: Promise<T> = this.load().then(
      (value) => {
        if (this.loading === pending) this.loading = null;
        // A change during the load may not be in it: use it for this scan, do not keep it.
        if (generation === this.generation) this.cached = { value, at: this.now() };
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

  invalidate(): void {
    this.generation++;
    this.cached = null;
    this.loading = null;
  }
}

/** The value now, waiting only when it has to be loaded. */
export const current = async <T>(source: CachedValue<T>): Promise<T> => source.get();

/**
 * How stale a value cached for the scan path may get when the notice of a change to it was lost:
 * older than this, it is checked again (in the background; scans are served from it meanwhile).
 */
export const MAX_STALE_MS = 5_000;

/** `at`: when the value was loaded, or last checked; `version`: the probe's answer just before the load. */
interface Held<T> {
  value: T;
  at: number;
  version: unknown;
}

/**
 * What the scan path reads on every scan (the staff roster, the store catalog), kept in memory:
 * loaded once, dropped when it changes (here at once, on other instances through the change bus),
 * and checked in the background once older than MAX_STALE_MS in case a change's notice was lost.
 * Synchronous on a hit, so a scan does not wait on a promise it does not need.
 *
 * With a `version` probe (a cheap question whose answer changes with every change to the value),
 * a stale value is reloaded only when the probe answers another version than the one it was loaded
 * at: a catalog of 20,000 stores is not read and indexed again every few seconds for nothing.
 * Without one, it is reloaded.
 */
export class CachedValue<T> {
  private cached: Held<T> | null = null;
  private loading: Promise<T> | null = null;
  private checking = false;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
    private readonly version?: () => Promise<unknown>,
  ) {}

  get(): T | Promise<T> {
    const cached = this.cached;
    if (cached) {
      const now = this.now();
      if (now - cached.at >= MAX_STALE_MS && !this.checking) {
        // Marked first, so the scans meanwhile start no other check; after a failed one the
        // value is served until the next, as long again.
        cached.at = now;
        this.checking = true;
        this.check(cached).catch(() => {}).finally(() => (this.checking = false));
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

  private async check(held: Held<T>): Promise<void> {
    if (!this.version) {
      await this.reload();
      return;
    }
    const version = await this.version();
    // Dropped or replaced meanwhile: the value now held is not the one this answer is about.
    if (this.cached !== held || version === held.version) return;
    await this.reload(version);
  }

  /** `version`, when known, was read just now: the load cannot be older than it. */
  private reload(version?: unknown): Promise<T> {
    const generation = this.generation;
    const startedAt = this.now();
    // The version is read before the value: a change between the two makes the next check
    // reload once more, never keeps a value older than its version.
    const loaded = async () => {
      const at = version !== undefined || !this.version ? version : await this.version();
      return { value: await this.load(), version: at };
    };
    const pending: Promise<T> = loaded().then(
      ({ value, version: at }) => {
        if (this.loading === pending) this.loading = null;
        // A change during the load may not be in it: use it for this scan, do not keep it.
        if (generation === this.generation) this.cached = { value, at: startedAt, version: at };
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

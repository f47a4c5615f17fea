import type { StoredCode } from '../codes/repo.ts';
import { compileCode, type CompiledCode } from '../codes/rules.ts';
import { MAX_STALE_MS } from '../shared/cached-value.ts';

const MAX_ENTRIES = 200_000;
const MAX_MISSING = 20_000;

interface Entry {
  code: CompiledCode;
  /** When the database last confirmed this copy (loaded it, or answered its version). */
  checkedAt: number;
}

/**
 * Compiled codes by slug for the scan path, and each code's served-scan count. An edit drops the
 * slug at once; a load that raced with the edit is not kept. Counts outlive reloads, since they
 * run ahead of the database by the scans still being committed.
 *
 * Edits on other instances arrive as notices, and a notice can be lost: so a copy (or a remembered
 * miss) older than MAX_STALE_MS is checked against the database's version, off the scan path (the
 * scan is served from the copy meanwhile), at most one check per slug at a time.
 */
export class CodeCache {
  private readonly entries = new Map<string, Entry>();
  private readonly missing = new Map<string, number>();
  /** A load is kept only while it is still the one here: dropping a slug makes its load in flight stale. */
  private readonly loading = new Map<string, Promise<CompiledCode | null>>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly load: (slug: string) => Promise<StoredCode | null>,
    /** The version of the code with this slug, or null when there is none. */
    private readonly version: (slug: string) => Promise<number | null>,
    private readonly now: () => number,
    /** Told once per load of a code with stored destinations no browser can follow. */
    private readonly onUnservable: (code: CompiledCode) => void = () => {},
  ) {}

  /** Synchronous on a hit, so a cached scan never waits on a promise it does not need. */
  get(slug: string, now: number): CompiledCode | null | Promise<CompiledCode | null> {
    const hit = this.entries.get(slug);
    if (hit) {
      if (now - hit.checkedAt >= MAX_STALE_MS) this.revalidate(slug, now, (at) => (hit.checkedAt = at));
      return hit.code;
    }
    const missedAt = this.missing.get(slug);
    if (missedAt !== undefined) {
      if (now - missedAt >= MAX_STALE_MS) this.revalidate(slug, now, (at) => this.missing.set(slug, at));
      return null;
    }
    return this.loading.get(slug) ?? this.fetch(slug);
  }

  /** Drops the slug if the database holds another version than the one held; `checked` marks the copy as checked. */
  private revalidate(slug: string, now: number, checked: (at: number) => void): void {
    // Marked before the answer, so the scans meanwhile start no other check; after a failure the
    // next check waits as long again.
    checked(now);
    this.version(slug).then(
      (version) => {
        // Compared with what is held when the answer comes (a copy reloaded meanwhile may be newer
        // than it, costing one more load), so nothing per slug is kept between the two.
        const held = this.entries.get(slug)?.code.config.version ?? (this.missing.has(slug) ? null : undefined);
        if (held !== undefined && version !== held) this.invalidate(slug);
      },
      () => {},
    );
  }

  count(codeId: string): number {
    return this.counts.get(codeId) ?? 0;
  }

  increment(codeId: string, by = 1): void {
    const n = this.counts.get(codeId);
    // A code deleted meanwhile has no count left to keep.
    if (n !== undefined) this.counts.set(codeId, n + by);
  }

  /** The shared counter refused the code's cap: refuse here without asking again. */
  reached(codeId: string, cap: number): void {
    this.counts.set(codeId, Math.max(this.count(codeId), cap));
  }

  /** Forget every compiled code (counts stay): after notifications of changes may have been lost. */
  clear(): void {
    this.entries.clear();
    this.missing.clear();
    this.loading.clear();
  }

  invalidate(slug: string): void {
    const entry = this.entries.get(slug);
    this.entries.delete(slug);
    this.missing.delete(slug);
    this.loading.delete(slug);
    // A deleted code's count must not greet a new code; a changed code keeps its running count.
    // Reloading now also warms the cache for the next scan; if the database is away, that scan
    // will try again and answer 503 itself.
    if (entry) {
      this.fetch(slug).then(
        (c) => c === null && this.counts.delete(entry.code.config.id),
        () => {},
      );
    }
  }

  private fetch(slug: string): Promise<CompiledCode | null> {
    const loadedAt = this.now();
    /** Whether this load is still the slug's: false once the slug was dropped (it may predate the change). */
    const settled = () => {
      const current = this.loading.get(slug) === pending;
      if (current) this.loading.delete(slug);
      return current;
    };
    const pending: Promise<CompiledCode | null> = this.load(slug).then((stored) => {
      const current = settled();
      const compiled = stored ? compileCode(stored.config) : null;
      if (compiled && compiled.unservable.length > 0) this.onUnservable(compiled);
      if (!current) return compiled;
      if (compiled && stored) {
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(slug, { code: compiled, checkedAt: loadedAt });
        if (!this.counts.has(stored.config.id)) this.counts.set(stored.config.id, stored.scanCount);
      } else {
        if (this.missing.size >= MAX_MISSING) this.missing.clear();
        this.missing.set(slug, loadedAt);
      }
      return compiled;
    }, (error: unknown) => {
      // Not remembered: the next scan asks the database again.
      settled();
      throw error;
    });
    this.loading.set(slug, pending);
    return pending;
  }
}

import { Roster } from './roster.ts';

/** Staff changes reach a cached roster this late at worst, even if a change notice was lost. */
const MAX_AGE_MS = 30_000;

/**
 * The roster the scan path routes with, kept in memory: loaded once, dropped when staff or
 * departments change (here at once, on other instances through the change bus).
 */
export class RosterSource {
  private cached: { roster: Roster; at: number } | null = null;
  private loading: Promise<Roster> | null = null;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<Roster>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Roster | Promise<Roster> {
    if (this.cached && this.now() - this.cached.at < MAX_AGE_MS) return this.cached.roster;
    if (this.loading) return this.loading;
    const generation = this.generation;
    const pending = this.load().then(
      (roster) => {
        if (this.loading === pending) this.loading = null;
        // A change during the load may not be in it: use it for this scan, do not keep it.
        if (generation === this.generation) this.cached = { roster, at: this.now() };
        return roster;
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

import type { ScanRow } from '../storage/schema.ts';
import type { ScanRange, ScanRepo } from './repo.ts';
import { localTime } from '../shared/local-time.ts';
import { recentDays, resolveRange, shapeStats, type RangeQuery } from './stats.ts';

type Reads = Pick<ScanRepo, 'list' | 'breakdowns' | 'perDay' | 'servedByChannel' | 'servedByStaff' | 'lastStaffFor' | 'lastScanFor' | 'locateStep'>;

/** A code as its scans are read: a range means whole days in its own time zone. */
export interface ScannedCode {
  id: string;
  timeZone: string;
}

/** What recorded scans tell: a code's raw scans and statistics, and the lookups other domains make of them. */
export class ScanHistory {
  constructor(
    private readonly repo: Reads,
    private readonly now: () => number,
  ) {}

  /** A page of a code's scans, newest first. */
  async page(code: ScannedCode, query: RangeQuery & { limit: number; cursor?: string | undefined; includeBots: boolean }) {
    const rows: ScanRow[] = await this.repo.list(code.id, resolveRange(query, code.timeZone, this.now()), query);
    const last = rows.length === query.limit ? rows[rows.length - 1] : undefined;
    return { rows, nextCursor: last ? last.id : null };
  }

  /**
   * Every scan of a range, newest first as the list pages them, a page at a time: an export
   * streams them without holding a code's whole history in memory.
   */
  async *all(code: ScannedCode, query: RangeQuery & { includeBots: boolean }, pageSize = 1000): AsyncGenerator<ScanRow[]> {
    const range = resolveRange(query, code.timeZone, this.now());
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.repo.list(code.id, range, { limit: pageSize, cursor, includeBots: query.includeBots });
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      cursor = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Each code's scans on each of its last `days` local days (today last, zeros included), for a
   * list to draw a sparkline and today's figure: one query for all of them.
   */
  async trend(codes: readonly ScannedCode[], days: number): Promise<{ id: string; perDay: { date: string; scans: number }[] }[]> {
    const now = this.now();
    const windows = codes.map((code) => ({ code, ...recentDays(now, code.timeZone, days) }));
    const counts = await this.repo.perDay(codes.map((c) => c.id), Math.min(now, ...windows.map((w) => w.from)));
    const byCodeDay = new Map(counts.map((c) => [`${c.codeId} ${c.date}`, c.n]));
    return windows.map(({ code, dates }) => ({ id: code.id, perDay: dates.map((date) => ({ date, scans: byCodeDay.get(`${code.id} ${date}`) ?? 0 })) }));
  }

  /** Statistics over a range (bots excluded), as a person reads them. */
  async stats(code: ScannedCode, query: RangeQuery) {
    const range = resolveRange(query, code.timeZone, this.now());
    return shapeStats(await this.repo.breakdowns(code.id, range), range, code.timeZone);
  }

  /** Scans served through each channel in a range, of codes of these departments (null: every one). */
  servedByChannel(range: ScanRange, departments: ReadonlySet<string> | null): Promise<Map<string, number>> {
    return this.repo.servedByChannel(range, departments);
  }

  /** Scans sent to each member today (Asia/Shanghai days, as the reports count them). */
  servedToday(): Promise<Map<string, number>> {
    const today = localTime(this.now(), 'Asia/Shanghai').date;
    return this.repo.servedByStaff(resolveRange({ from: today, to: today }, 'Asia/Shanghai', this.now()));
  }

  /** The member this device was sent to on this code since `since` (a staff code's repeat scan meets them again). */
  lastStaffFor(codeId: string, visitorId: string, since: number): Promise<string | null> {
    return this.repo.lastStaffFor(codeId, visitorId, since);
  }

  /** The latest scan of this code sent to this member up to `before`: the scan an add most likely came from. */
  lastScanFor(codeId: string, staffId: string, before: number): Promise<string | null> {
    return this.repo.lastScanFor(codeId, staffId, before);
  }

  /** Whether `id` is a scan of this code answered with the location step at `since` or later. */
  locateStep(id: string, codeId: string, since: number): Promise<boolean> {
    return this.repo.locateStep(id, codeId, since);
  }
}

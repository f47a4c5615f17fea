import { z } from 'zod';
import { localTime, zoneOffset, addDays } from '../shared/local-time.ts';
import { invalid } from '../shared/errors.ts';
import type { Breakdowns, ScanRange } from './repo.ts';

const DAY = 86_400_000;
const MAX_DAYS = 400;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const instant = z.union([
  z.string().regex(DATE, 'must be a date YYYY-MM-DD or an ISO date-time with offset'),
  z.iso.datetime({ offset: true }),
]);

export const rangeQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
});
export type RangeQuery = z.output<typeof rangeQuery>;

/** Local midnight of a calendar date in a zone, as epoch ms. */
export function localMidnight(date: string, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  return wall - zoneOffset(wall - zoneOffset(wall, timeZone), timeZone);
}

/**
 * A statistics window in the code's own time zone: dates mean whole local days (`to` inclusive),
 * date-times mean instants; by default the last 30 local days up to now.
 */
export function resolveRange(q: RangeQuery, timeZone: string, now: number): ScanRange {
  const to = q.to === undefined ? now + 1 : DATE.test(q.to) ? localMidnight(q.to, timeZone) + DAY : Date.parse(q.to);
  const from =
    q.from === undefined
      ? localMidnight(localTime(to - 1 - 29 * DAY, timeZone).date, timeZone)
      : DATE.test(q.from)
        ? localMidnight(q.from, timeZone)
        : Date.parse(q.from);
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid('from', 'from/to: not a valid date');
  if (from >= to) throw invalid('to', 'to must be after from');
  if (to - from > MAX_DAYS * DAY) throw invalid('from', `a range covers at most ${MAX_DAYS} days`);
  return { from, to };
}

const byCount = <T extends { scans: number }>(a: T, b: T) => b.scans - a.scans;

/** The statistics a person reads: gap-free day and hour series, breakdowns largest first. */
export function shapeStats(b: Breakdowns, range: ScanRange, timeZone: string) {
  const perDayMap = new Map(b.byDay.map((d) => [d.key, d.n]));
  const perDay: { date: string; scans: number }[] = [];
  const last = localTime(range.to - 1, timeZone).date;
  for (let date = localTime(range.from, timeZone).date, i = 0; i <= MAX_DAYS; i++) {
    perDay.push({ date, scans: perDayMap.get(date) ?? 0 });
    if (date >= last) break;
    date = addDays(date, 1);
  }
  const hours = new Map(b.byHour.map((h) => [Number(h.key), h.n]));
  return {
    range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), timeZone },
    scans: b.scans,
    repeats: b.repeats,
    uniqueVisitors: b.uniqueVisitors,
    perDay,
    byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, scans: hours.get(hour) ?? 0 })),
    byOs: b.byOs.map((o) => ({ os: o.key, scans: o.n })).sort(byCount),
    byProvince: b.byProvince.map((p) => ({ province: p.key, scans: p.n })).sort(byCount),
    byOutcome: b.byOutcome.map((o) => ({ outcome: o.key, scans: o.n })).sort(byCount),
  };
}

/** The last `days` local dates of a zone, today last, and the instant the first of them began. */
export function recentDays(now: number, timeZone: string, days: number): { dates: string[]; from: number } {
  const today = localTime(now, timeZone).date;
  const dates = Array.from({ length: days }, (_, i) => addDays(today, i - days + 1));
  return { dates, from: localMidnight(dates[0]!, timeZone) };
}

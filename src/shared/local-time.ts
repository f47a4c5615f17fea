/** Wall-clock facts about an instant in one time zone: what time-based rules compare against. */
export interface LocalTime {
  date: string; // YYYY-MM-DD
  minutes: number; // minutes since local midnight
  hour: number;
  weekday: number; // ISO: 1 = Monday … 7 = Sunday
}

/** "HH:MM" as minutes since midnight. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a minute of the day lies in [from, to); from > to is a window across midnight, e.g. 22:00–06:00. */
export const inWindow = (minutes: number, from: number, to: number) => (from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to);

/** A calendar date (YYYY-MM-DD) moved by whole days. */
export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const FIFTEEN_MINUTES = 15 * 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
// Every zone's offset changes only on a quarter hour, so one offset per zone per quarter hour is
// exact; it spares the scan path an Intl call, which costs more than the rest of a decision.
const lastOffset = new Map<string, { bucket: number; offset: number }>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC in ms at an instant. */
export function zoneOffset(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / FIFTEEN_MINUTES);
  const cached = lastOffset.get(timeZone);
  if (cached?.bucket === bucket) return cached.offset;
  const at = bucket * FIFTEEN_MINUTES;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at)) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  const offset = wall - at;
  lastOffset.set(timeZone, { bucket, offset });
  return offset;
}

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const d = new Date(epochMs + zoneOffset(epochMs, timeZone));
  const hour = d.getUTCHours();
  return {
    date: d.toISOString().slice(0, 10),
    minutes: hour * 60 + d.getUTCMinutes(),
    hour,
    weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
  };
}

/** Minutes of the day as HH:MM. */
export const clockTime = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The local moment as a trace shows it to a person testing a code. */
export const localView = (local: LocalTime, timeZone: string) => ({ date: local.date, time: clockTime(local.minutes), weekday: local.weekday, timeZone });

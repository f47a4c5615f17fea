import { addDays, minutesOf, type LocalTime } from '../shared/local-time.ts';

/** A working time on some weekdays (1 = Monday … 7 = Sunday); `to` before `from` runs past midnight. */
export interface Shift {
  weekdays: number[];
  from: string;
  to: string;
}

export interface WorkSchedule {
  shifts: Shift[];
  /** Local dates (YYYY-MM-DD) with no work at all, whatever the shifts say. */
  holidays: string[];
}

/**
 * Whether a schedule has its owner at work at this local moment. A shift across midnight belongs
 * to the day it starts: Friday 22:00–06:00 covers Saturday 03:00, and a holiday on Friday cancels it.
 */
export function onDuty(schedule: WorkSchedule, local: LocalTime): boolean {
  const m = local.minutes;
  const yesterday = addDays(local.date, -1);
  const yesterdayWeekday = ((local.weekday + 5) % 7) + 1;
  return schedule.shifts.some((shift) => {
    const from = minutesOf(shift.from);
    const to = minutesOf(shift.to);
    const today = shift.weekdays.includes(local.weekday) && !schedule.holidays.includes(local.date);
    if (from < to) return today && m >= from && m < to;
    const spillover = shift.weekdays.includes(yesterdayWeekday) && !schedule.holidays.includes(yesterday);
    return (today && m >= from) || (spillover && m < to);
  });
}

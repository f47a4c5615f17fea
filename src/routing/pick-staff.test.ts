import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime, type LocalTime } from '../shared/local-time.ts';
import { pickStaff, type LiveCounts, type StaffMember, type Strategy, type Tier } from './pick-staff.ts';
import { onDuty } from './schedule.ts';
import { seeded } from '../../test/support/seeded.ts';

const monday10 = localTime(Date.parse('2026-11-23T10:00:00+08:00'), 'Asia/Shanghai');
const member = (id: string, over: Partial<StaffMember> = {}): StaffMember => ({
  id, status: 'active', dailyLimit: null, schedule: null, efficiency: 1, maxOpen: null, ...over,
});
const roster = (...members: StaffMember[]) => new Map(members.map((m) => [m.id, m]));
const live = (adds: Record<string, number> = {}, routed = 0, open: Record<string, number> = {}): LiveCounts => ({
  addsToday: new Map(Object.entries(adds)),
  open: new Map(Object.entries(open)),
  routed,
});
const tier = (name: string, ...ids: [string, number][]): Tier => ({ name, candidates: ids.map(([staffId, weight]) => ({ staffId, weight })) });

const arbMember = (id: string) =>
  fc.record({
    id: fc.constant(id),
    status: fc.constantFrom('active', 'active', 'away', 'left'),
    dailyLimit: fc.option(fc.integer({ min: 0, max: 5 })),
    schedule: fc.option(
      fc.record({
        shifts: fc.array(
          fc.record({
            weekdays: fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
            from: fc.integer({ min: 0, max: 23 }).map((h) => `${String(h).padStart(2, '0')}:00`),
            to: fc.integer({ min: 0, max: 23 }).map((h) => `${String(h).padStart(2, '0')}:30`),
          }),
          { maxLength: 3 },
        ),
        holidays: fc.subarray(['2026-11-23', '2026-11-22', '2026-12-25']),
      }),
    ),
    efficiency: fc.constantFrom(0.8, 1, 1.5),
    maxOpen: fc.option(fc.integer({ min: 0, max: 3 })),
  }) as fc.Arbitrary<StaffMember>;

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const arbCase = fc.record({
  staff: fc.tuple(...ids.map(arbMember)),
  adds: fc.dictionary(fc.constantFrom(...ids), fc.integer({ min: 0, max: 6 })),
  open: fc.dictionary(fc.constantFrom(...ids), fc.integer({ min: 0, max: 4 })),
  routed: fc.nat(100),
  strategy: fc.constantFrom<Strategy>('weighted', 'round_robin', 'least_loaded'),
  at: fc.date({ min: new Date('2026-11-16T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true }),
  seed: fc.integer(),
});

describe('pickStaff', () => {
  it('never picks someone who left, is away, off duty, at the daily limit or too busy; and picks someone whenever anyone can take it', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const staff = roster(...c.staff);
        const local = localTime(c.at.getTime(), 'Asia/Shanghai');
        const counts = live(c.adds, c.routed, c.open);
        const tiers = [tier('members', ['a', 3], ['b', 7], ['c', 1]), tier('backup', ['d', 1], ['e', 2], ['f', 1])];
        const pick = pickStaff(c.strategy, tiers, staff, local, counts, seeded(c.seed));
        const fine = (m: StaffMember) =>
          m.status === 'active' &&
          (m.schedule === null || onDuty(m.schedule, local)) &&
          (m.dailyLimit === null || (c.adds[m.id] ?? 0) < m.dailyLimit) &&
          (m.maxOpen === null || (c.open[m.id] ?? 0) < m.maxOpen);
        if (pick.staffId === null) expect(c.staff.some(fine)).toBe(false);
        else {
          expect(fine(staff.get(pick.staffId)!)).toBe(true);
          // The first tier with anyone available decides.
          const firstTier = ['a', 'b', 'c'].some((id) => fine(staff.get(id)!)) ? 'members' : 'backup';
          expect(pick.tier).toBe(firstTier);
        }
        expect(pickStaff(c.strategy, tiers, staff, local, counts, seeded(c.seed))).toEqual(pick);
      }),
      { numRuns: 2_000 },
    );
  });

  it('spreads weighted picks 3 : 7 within ±3 % over 10,000 scans, and efficiency scales the share', () => {
    const random = seeded(20261123);
    const staff = roster(member('a'), member('b'));
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (pickStaff('weighted', [tier('m', ['a', 3], ['b', 7])], staff, monday10, live(), random).staffId === 'b') b++;
    expect(Math.abs(b / 10_000 - 0.7)).toBeLessThan(0.03);

    const mixed = roster(member('junior', { efficiency: 0.8 }), member('senior', { efficiency: 1.5 }));
    let senior = 0;
    const both = [tier('m', ['junior', 1], ['senior', 1])];
    for (let i = 0; i < 10_000; i++) if (pickStaff('weighted', both, mixed, monday10, live(), random).staffId === 'senior') senior++;
    expect(Math.abs(senior / 10_000 - 1.5 / 2.3)).toBeLessThan(0.03);
  });

  it('keeps the 3 : 7 among those available however many others are off, whether a few draws find them or the exact scan does', () => {
    const random = seeded(99);
    const offDuty = { shifts: [{ weekdays: [7], from: '01:00', to: '02:00' }], holidays: [] };
    for (const others of [2, 400]) {
      const staff = roster(member('a'), member('b'), ...Array.from({ length: others }, (_, i) => member(`x${i}`, { schedule: offDuty })));
      const tiers = [tier('m', ['a', 3], ['b', 7], ...Array.from({ length: others }, (_, i): [string, number] => [`x${i}`, 5]))];
      let b = 0;
      for (let i = 0; i < 10_000; i++) if (pickStaff('weighted', tiers, staff, monday10, live(), random, { trace: false }).staffId === 'b') b++;
      expect(Math.abs(b / 10_000 - 0.7)).toBeLessThan(0.03);
    }
  });

  it('counts the daily limit before the add: at 4 of 5 one more, at 5 of 5 none', () => {
    const staff = roster(member('a', { dailyLimit: 5 }), member('b'));
    const only = [tier('m', ['a', 1])];
    expect(pickStaff('weighted', only, staff, monday10, live({ a: 4 }), () => 0.5).staffId).toBe('a');
    expect(pickStaff('weighted', only, staff, monday10, live({ a: 5 }), () => 0.5)).toMatchObject({
      staffId: null,
      trace: [{ staffId: 'a', reason: 'daily_limit' }],
    });
  });

  it('keeps members with no adds today in the rotation, first in line when least loaded', () => {
    const staff = roster(member('busy'), member('fresh'));
    const tiers = [tier('m', ['busy', 1], ['fresh', 1])];
    expect(pickStaff('least_loaded', tiers, staff, monday10, live({ busy: 3 }), () => 0).staffId).toBe('fresh');
    const seen = new Set([0, 1, 2, 3].map((routed) => pickStaff('round_robin', tiers, staff, monday10, live({ busy: 3 }, routed), () => 0).staffId));
    expect(seen).toEqual(new Set(['busy', 'fresh']));
  });

  it('reads the weekday of a schedule, not only its hours, and overflows to the next tier', () => {
    const weekdaysOnly = { shifts: [{ weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }], holidays: [] };
    const staff = roster(member('a', { schedule: weekdaysOnly }), member('night'));
    const tiers = [tier('members', ['a', 1]), tier('backup', ['night', 1])];
    expect(pickStaff('weighted', tiers, staff, monday10, live(), () => 0.3)).toMatchObject({ staffId: 'a', tier: 'members' });
    const sunday10 = localTime(Date.parse('2026-11-22T10:00:00+08:00'), 'Asia/Shanghai');
    expect(pickStaff('weighted', tiers, staff, sunday10, live(), () => 0.3)).toMatchObject({
      staffId: 'night',
      tier: 'backup',
      trace: [{ staffId: 'a', reason: 'off_duty' }, { staffId: 'night', available: true }],
    });
  });
});

describe('work schedules', () => {
  const at = (iso: string): LocalTime => localTime(Date.parse(iso), 'Asia/Shanghai');
  const night = { shifts: [{ weekdays: [5], from: '22:00', to: '06:00' }], holidays: [] };

  it('carries a shift across midnight into the next morning, belonging to the day it starts', () => {
    expect(onDuty(night, at('2026-11-27T23:00:00+08:00'))).toBe(true); // Friday
    expect(onDuty(night, at('2026-11-28T05:59:00+08:00'))).toBe(true); // Saturday morning
    expect(onDuty(night, at('2026-11-28T06:00:00+08:00'))).toBe(false);
    expect(onDuty(night, at('2026-11-28T23:00:00+08:00'))).toBe(false); // Saturday night: not a Friday
  });

  it('has nobody at work on a holiday, including the night shift that would start on it', () => {
    const off = { ...night, holidays: ['2026-11-27'] };
    expect(onDuty(off, at('2026-11-27T23:00:00+08:00'))).toBe(false);
    expect(onDuty(off, at('2026-11-28T03:00:00+08:00'))).toBe(false);
  });
});

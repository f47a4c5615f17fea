import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime } from '../shared/local-time.ts';
import { withStaffDefaults, type MemberEntry } from './staff-setup.ts';
import { pickStaff } from './pick-staff.ts';
import { Roster, type RosterMember } from './roster.ts';
import { staffTiers } from './tiers.ts';
import { seeded } from '../../test/support/seeded.ts';

const monday10 = localTime(Date.parse('2026-11-23T10:00:00+08:00'), 'Asia/Shanghai');
const person = (id: string, departmentId: string | null, over: Partial<RosterMember> = {}): RosterMember => ({
  id, name: id, departmentId, wecomUserId: null, contactQrUrl: 'https://img.example/q.png', avatarUrl: null, weight: 1,
  status: 'active', dailyLimit: null, schedule: null, efficiency: 1, maxOpen: null, ...over,
});
const rosterOf = (people: RosterMember[], departments: Record<string, string | null>) =>
  new Roster(new Map(people.map((p) => [p.id, p])), new Map(Object.entries(departments)));
const live = (adds: Record<string, number> = {}) => ({ addsToday: new Map(Object.entries(adds)), open: new Map<string, number>(), routed: 0 });

describe('staff tiers', () => {
  const roster = rosterOf(
    [person('a1', 'A'), person('a2', 'A', { weight: 3 }), person('b1', 'B'), person('b2', 'B1'), person('c1', 'C'), person('x', 'A'), person('backup', null)],
    { A: null, B: null, B1: 'B', C: null },
  );

  it('orders roster, colleagues, overflow departments and backup, nobody twice', () => {
    const setup = withStaffDefaults({
      members: [{ staffId: 'a1', weight: 1 }, { departmentId: 'B', weight: 2 }],
      overflowDepartmentIds: ['C', 'A'],
      backupStaffIds: ['backup', 'a1'],
    });
    const tiers = staffTiers(setup, roster);
    expect(tiers.map((t) => [t.name, t.candidates.map((c) => c.staffId)])).toEqual([
      ['members', ['a1', 'b1', 'b2']],
      ['colleagues', ['a2', 'x']],
      ['departments', ['c1']],
      ['backup', ['backup']],
    ]);
    expect(tiers[0]!.candidates[1]).toEqual({ staffId: 'b1', weight: 1, group: { id: 'B', weight: 2 } });
    expect(tiers.at(-1)!.lastResort).toBe(true);
  });

  it('leaves colleagues out when asked to', () => {
    const tiers = staffTiers(withStaffDefaults({ members: [{ staffId: 'a1', weight: 1 }], overflowColleagues: false, backupStaffIds: ['backup'] }), roster);
    expect(tiers.map((t) => t.name)).toEqual(['members', 'backup']);
  });

  it('gives departments their weights as wholes, 3 : 7 within ±3 % over 10,000 picks, however many people each has and whoever is off', () => {
    const people = [person('a1', 'A'), person('a2', 'A', { status: 'away' }), ...['b1', 'b2', 'b3', 'b4'].map((id) => person(id, 'B'))];
    const r = rosterOf(people, { A: null, B: null });
    const entries: MemberEntry[] = [{ departmentId: 'A', weight: 3 }, { departmentId: 'B', weight: 7 }];
    const tiers = staffTiers(withStaffDefaults({ members: entries, backupStaffIds: [] }), r);
    const random = seeded(7);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (pickStaff('weighted', tiers, r.members, monday10, live(), random).staffId === 'a1') a++;
    expect(a / 10_000).toBeGreaterThan(0.27);
    expect(a / 10_000).toBeLessThan(0.33);
  });

  it('backup staff take a scan past their hours and limits, but never when away or gone', () => {
    fc.assert(
      fc.property(fc.constantFrom('active', 'away', 'left'), fc.integer({ min: 0, max: 3 }), (status, adds) => {
        const offHours = { shifts: [{ weekdays: [7], from: '01:00', to: '02:00' }], holidays: [] };
        const backup = person('bk', null, { status: status as RosterMember['status'], dailyLimit: 1, schedule: offHours });
        const r = rosterOf([person('m', null, { status: 'left' }), backup], {});
        const tiers = staffTiers(withStaffDefaults({ members: [{ staffId: 'm', weight: 1 }], backupStaffIds: ['bk'] }), r);
        const pick = pickStaff('weighted', tiers, r.members, monday10, live({ bk: adds }), () => 0.5);
        expect(pick.staffId).toBe(status === 'active' ? 'bk' : null);
      }),
    );
  });

  it('never picks outside the backup tier anyone unavailable, over 2,000 random rosters', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dep: fc.constantFrom('A', 'B', null),
            status: fc.constantFrom('active', 'away', 'left'),
            limit: fc.option(fc.integer({ min: 0, max: 3 })),
            adds: fc.integer({ min: 0, max: 4 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.integer(),
        (specs, seed) => {
          const people = specs.map((s, i) => person(`p${i}`, s.dep, { status: s.status as RosterMember['status'], dailyLimit: s.limit }));
          const r = rosterOf(people, { A: null, B: null });
          const adds = Object.fromEntries(specs.map((s, i) => [`p${i}`, s.adds]));
          const setup = withStaffDefaults({
            members: [{ departmentId: 'A', weight: 2 }, { staffId: 'p0', weight: 1 }],
            overflowDepartmentIds: ['B'],
            backupStaffIds: [],
          });
          const tiers = staffTiers(setup, r);
          const pick = pickStaff('weighted', tiers, r.members, monday10, live(adds), seeded(seed));
          if (pick.staffId === null) return;
          const m = r.members.get(pick.staffId)!;
          expect(m.status).toBe('active');
          if (m.dailyLimit !== null) expect(adds[m.id]).toBeLessThan(m.dailyLimit);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

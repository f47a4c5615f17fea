// pickStaff over a 2,000-member staff code, against the plainest possible weighted pick over the
// same weights in the same process: what schedules, limits, tiers and department shares cost.
import { localTime } from '../src/shared/local-time.ts';
import { withStaffDefaults, type MemberEntry } from '../src/routing/staff-setup.ts';
import { pickStaff, prepareTiers } from '../src/routing/pick-staff.ts';
import { Roster, type RosterMember } from '../src/routing/roster.ts';
import { staffTiers } from '../src/routing/tiers.ts';
import { seeded, rate } from '../test/support/seeded.ts';

const MEMBERS = 2_000;
const DEPARTMENTS = 20;

export function pickStaffBench(seconds = 3) {
  const random = seeded(42);
  const people: RosterMember[] = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `s${i}`, name: `s${i}`, departmentId: `d${i % DEPARTMENTS}`, wecomUserId: `u${i}`, contactQrUrl: null, avatarUrl: null,
    weight: 1 + (i % 5), status: i % 17 === 0 ? 'away' : 'active', dailyLimit: 50, efficiency: i % 3 === 0 ? 0.8 : 1.2, maxOpen: null,
    schedule: {
      shifts: [{ weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, { weekdays: [6, 7], from: i % 2 ? '10:00' : '22:00', to: '16:00' }],
      holidays: ['2026-12-25'],
    },
  }));
  const roster = new Roster(new Map(people.map((p) => [p.id, p])), new Map(Array.from({ length: DEPARTMENTS }, (_, d) => [`d${d}`, null])));
  // Half the roster listed one by one, the other half through their departments.
  const members: MemberEntry[] = [
    ...people.slice(0, MEMBERS / 2).map((p) => ({ staffId: p.id, weight: p.weight })),
    ...Array.from({ length: DEPARTMENTS }, (_, d) => ({ departmentId: `d${d}`, weight: 10 })),
  ];
  const setup = withStaffDefaults({ members, backupStaffIds: ['s1'] });
  const adds = new Map(people.map((p, i) => [p.id, i % 9 === 0 ? 50 : i % 50]));
  const live = { addsToday: adds, open: new Map<string, number>(), routed: 0 };
  const local = localTime(Date.parse('2026-11-24T10:30:00+08:00'), 'Asia/Shanghai');

  // As the scan path keeps them: tiers prepared once per roster and code version, no trace.
  const tiers = prepareTiers(staffTiers(setup, roster), roster.members);
  const fast = { trace: false };
  const weighted = rate(seconds, () => pickStaff('weighted', tiers, roster.members, local, live, random, fast));
  const roundRobin = rate(seconds, () =>
    pickStaff('round_robin', tiers, roster.members, { ...local }, { ...live, routed: Math.floor(random() * MEMBERS) }, random, fast),
  );
  const leastLoaded = rate(seconds, () => pickStaff('least_loaded', tiers, roster.members, local, live, random, fast));
  // What a simulation pays: tiers built and every candidate traced.
  const simulated = rate(seconds, () => pickStaff('weighted', staffTiers(setup, roster), roster.members, local, live, random));
  const weights = people.map((p) => p.weight);
  const total = weights.reduce((a, b) => a + b, 0);
  const baseline = rate(seconds, () => {
    let point = random() * total;
    for (let i = 0; i < weights.length; i++) if ((point -= weights[i]!) < 0) return;
  });
  return { members: MEMBERS, weighted, roundRobin, leastLoaded, simulated, baseline };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(pickStaffBench());

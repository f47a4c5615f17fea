import type { LocalTime } from '../codes/local-time.ts';
import { onDuty, type WorkSchedule } from './schedule.ts';

export type StaffStatus = 'active' | 'away' | 'left';
export type Strategy = 'weighted' | 'round_robin' | 'least_loaded';

/** What the picker needs to know of a staff member. */
export interface StaffMember {
  id: string;
  status: StaffStatus;
  /** Adds per local day; null: no limit. */
  dailyLimit: number | null;
  /** Null: always at work. */
  schedule: WorkSchedule | null;
  /** Share multiplier: 0.8 for a new hire, 1.5 for a senior. */
  efficiency: number;
  /** Open conversations at most; null: no limit. */
  maxOpen: number | null;
}

export interface Candidate {
  staffId: string;
  weight: number;
  /** Listed as part of a department: the department's weight is split among its available people. */
  group?: { id: string; weight: number };
}

/**
 * Who may take a scan, in order of preference: the code's own members, then the overflow
 * (colleagues, other departments, backup staff). The first tier with anyone available decides.
 */
export interface Tier {
  name: string;
  candidates: Candidate[];
  /** The backup: takes a scan whatever the hours and limits say, so a scan always reaches someone. */
  lastResort?: boolean;
}

/** Counters the picker reads, kept by the caller: today's adds and open conversations per member. */
export interface LiveCounts {
  addsToday: ReadonlyMap<string, number>;
  open: ReadonlyMap<string, number>;
  /** How many scans this code has routed so far: round robin's position. */
  routed: number;
  /** Members who cannot be shown to a scanner now (no contact QR could be had). */
  unreachable?: ReadonlySet<string>;
}

export type Unavailable = 'unknown' | 'left' | 'away' | 'unreachable' | 'off_duty' | 'daily_limit' | 'busy';

export interface TraceEntry {
  tier: string;
  staffId: string;
  available: boolean;
  reason: Unavailable | null;
}

export interface Pick {
  staffId: string | null;
  tier: string | null;
  trace: TraceEntry[];
}

function unavailable(member: StaffMember | undefined, local: LocalTime, live: LiveCounts, lastResort: boolean): Unavailable | null {
  if (!member) return 'unknown';
  if (member.status !== 'active') return member.status;
  if (live.unreachable?.has(member.id)) return 'unreachable';
  if (lastResort) return null;
  if (member.schedule !== null && !onDuty(member.schedule, local)) return 'off_duty';
  // Compared before this add is counted: at the limit means full, so the limit is never passed.
  if (member.dailyLimit !== null && (live.addsToday.get(member.id) ?? 0) >= member.dailyLimit) return 'daily_limit';
  if (member.maxOpen !== null && (live.open.get(member.id) ?? 0) >= member.maxOpen) return 'busy';
  return null;
}

type Pool = { candidate: Candidate; member: StaffMember }[];

/** Each available member's share: weight × efficiency, a department's weight split among its available people. */
function shares(pool: Pool): (p: Pool[number]) => number {
  const own = (p: Pool[number]) => p.candidate.weight * p.member.efficiency;
  const groupTotal = new Map<string, number>();
  for (const p of pool) if (p.candidate.group) groupTotal.set(p.candidate.group.id, (groupTotal.get(p.candidate.group.id) ?? 0) + own(p));
  return (p) => (p.candidate.group ? (p.candidate.group.weight * own(p)) / groupTotal.get(p.candidate.group.id)! : own(p));
}

function choose(strategy: Strategy, pool: Pool, live: LiveCounts, random: number): Candidate {
  const share = shares(pool);
  switch (strategy) {
    case 'weighted': {
      const total = pool.reduce((sum, p) => sum + share(p), 0);
      let point = random * total;
      for (const p of pool) {
        point -= share(p);
        if (point < 0) return p.candidate;
      }
      return pool[pool.length - 1]!.candidate;
    }
    case 'round_robin':
      return pool[live.routed % pool.length]!.candidate;
    case 'least_loaded': {
      // Fewest adds today for the share one should carry; a member with none yet comes first.
      let best = pool[0]!;
      for (const p of pool) {
        const load = (live.addsToday.get(p.candidate.staffId) ?? 0) / share(p);
        if (load < (live.addsToday.get(best.candidate.staffId) ?? 0) / share(best)) best = p;
      }
      return best.candidate;
    }
    default:
      return strategy satisfies never;
  }
}

/**
 * The member a scan goes to, and why: the first tier with anyone available decides, by the code's
 * strategy. Pure — the time, the counts and the random draw in [0, 1) all come in — so the same
 * inputs always pick the same member.
 */
export function pickStaff(
  strategy: Strategy,
  tiers: readonly Tier[],
  staff: ReadonlyMap<string, StaffMember>,
  local: LocalTime,
  live: LiveCounts,
  random: number,
): Pick {
  const trace: TraceEntry[] = [];
  for (const tier of tiers) {
    const pool: Pool = [];
    // Weights and efficiencies are positive: the model refuses anything else.
    for (const candidate of tier.candidates) {
      const member = staff.get(candidate.staffId);
      const reason = unavailable(member, local, live, tier.lastResort === true);
      trace.push({ tier: tier.name, staffId: candidate.staffId, available: reason === null, reason });
      if (reason === null && member) pool.push({ candidate, member });
    }
    if (pool.length > 0) return { staffId: choose(strategy, pool, live, random).staffId, tier: tier.name, trace };
  }
  return { staffId: null, tier: null, trace };
}

import type { LocalTime } from '../shared/local-time.ts';
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

export interface StaffPick {
  staffId: string | null;
  tier: string | null;
  trace: TraceEntry[];
}

interface Slot {
  candidate: Candidate;
  member: StaffMember | undefined;
  /** The schedule read at one local minute: picks within that minute read it again for nothing. */
  duty?: { date: string; minutes: number; on: boolean };
}

function onDutyNow(slot: Slot, schedule: WorkSchedule, local: LocalTime): boolean {
  const memo = slot.duty;
  if (memo && memo.minutes === local.minutes && memo.date === local.date) return memo.on;
  const on = onDuty(schedule, local);
  slot.duty = { date: local.date, minutes: local.minutes, on };
  return on;
}

function unavailable(slot: Slot, local: LocalTime, live: LiveCounts, lastResort: boolean): Unavailable | null {
  const member = slot.member;
  if (!member) return 'unknown';
  if (member.status !== 'active') return member.status;
  if (live.unreachable?.has(member.id)) return 'unreachable';
  if (lastResort) return null;
  if (member.schedule !== null && !onDutyNow(slot, member.schedule, local)) return 'off_duty';
  // Compared before this add is counted: at the limit means full, so the limit is never passed.
  if (member.dailyLimit !== null && (live.addsToday.get(member.id) ?? 0) >= member.dailyLimit) return 'daily_limit';
  if (member.maxOpen !== null && (live.open.get(member.id) ?? 0) >= member.maxOpen) return 'busy';
  return null;
}

/** One draw of a weighted pick: a member on their own, or a department sharing its weight among its people. */
interface Entry {
  weight: number;
  slots: Slot[];
  /** Running totals of the slots' own shares (weight × efficiency), for drawing within the entry. */
  cumulative: number[];
}

/** A tier made ready for picking: members resolved and weights summed once, not per scan. */
export interface PreparedTier {
  name: string;
  lastResort: boolean;
  slots: Slot[];
  entries: Entry[];
  cumulative: number[];
}

const own = (s: Slot) => s.candidate.weight * (s.member?.efficiency ?? 1);

function runningTotals(values: number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}

export function prepareTiers(tiers: readonly Tier[], staff: ReadonlyMap<string, StaffMember>): PreparedTier[] {
  return tiers.map((tier) => {
    const slots = tier.candidates.map((candidate) => ({ candidate, member: staff.get(candidate.staffId) }));
    const groups = new Map<string, Entry>();
    const entries: Entry[] = [];
    for (const slot of slots) {
      const group = slot.candidate.group;
      if (!group) {
        entries.push({ weight: own(slot), slots: [slot], cumulative: [own(slot)] });
        continue;
      }
      let entry = groups.get(group.id);
      if (!entry) {
        entry = { weight: group.weight, slots: [], cumulative: [] };
        groups.set(group.id, entry);
        entries.push(entry);
      }
      entry.slots.push(slot);
    }
    for (const e of groups.values()) e.cumulative = runningTotals(e.slots.map(own));
    return { name: tier.name, lastResort: tier.lastResort === true, slots, entries, cumulative: runningTotals(entries.map((e) => e.weight)) };
  });
}

/** The index a draw in [0, total) lands on: binary search over running totals. */
function land(cumulative: number[], draw: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (draw < cumulative[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Draws before falling back to an exact scan: when most are available, a pick costs a few draws, not the roster. */
const DRAWS = 24;

/**
 * A weighted draw among the available, by rejection: draw by weight over everyone, keep the draw
 * if available. The kept draw follows the weights restricted to the available exactly; when the
 * draws keep missing (most are off), an exact scan decides instead.
 */
function drawWeighted(tier: PreparedTier, ok: (s: Slot) => boolean, random: () => number): Slot | null {
  const total = tier.cumulative.at(-1) ?? 0;
  for (let i = 0; i < DRAWS && total > 0; i++) {
    const entry = tier.entries[land(tier.cumulative, random() * total)]!;
    const slot = drawWithin(entry, ok, random);
    if (slot) return slot;
  }
  const open = tier.entries.filter((e) => e.slots.some(ok));
  if (open.length === 0) return null;
  const cumulative = runningTotals(open.map((e) => e.weight));
  return drawWithin(open[land(cumulative, random() * cumulative.at(-1)!)]!, ok, random);
}

function drawWithin(entry: Entry, ok: (s: Slot) => boolean, random: () => number): Slot | null {
  if (entry.slots.length === 1) return ok(entry.slots[0]!) ? entry.slots[0]! : null;
  const total = entry.cumulative.at(-1)!;
  for (let i = 0; i < DRAWS; i++) {
    const slot = entry.slots[land(entry.cumulative, random() * total)]!;
    if (ok(slot)) return slot;
  }
  const open = entry.slots.filter(ok);
  if (open.length === 0) return null;
  const cumulative = runningTotals(open.map(own));
  return open[land(cumulative, random() * cumulative.at(-1)!)]!;
}

/** Each available slot's share: its own, a department's weight split among its available people. */
function shares(pool: Slot[]): (s: Slot) => number {
  const groupTotal = new Map<string, number>();
  for (const s of pool) if (s.candidate.group) groupTotal.set(s.candidate.group.id, (groupTotal.get(s.candidate.group.id) ?? 0) + own(s));
  return (s) => (s.candidate.group ? (s.candidate.group.weight * own(s)) / groupTotal.get(s.candidate.group.id)! : own(s));
}

function choose(strategy: Strategy, tier: PreparedTier, ok: (s: Slot) => boolean, live: LiveCounts, random: () => number): Slot | null {
  switch (strategy) {
    case 'weighted':
      return drawWeighted(tier, ok, random);
    case 'round_robin': {
      // The next available one in order from this code's position.
      const n = tier.slots.length;
      for (let i = 0; i < n; i++) {
        const slot = tier.slots[(live.routed + i) % n]!;
        if (ok(slot)) return slot;
      }
      return null;
    }
    case 'least_loaded': {
      // Fewest adds today for the share one should carry; a member with none yet comes first.
      const pool = tier.slots.filter(ok);
      if (pool.length === 0) return null;
      const share = shares(pool);
      let best = pool[0]!;
      let bestLoad = Infinity;
      for (const s of pool) {
        const load = (live.addsToday.get(s.candidate.staffId) ?? 0) / share(s);
        if (load < bestLoad) [best, bestLoad] = [s, load];
      }
      return best;
    }
    default:
      return strategy satisfies never;
  }
}

/**
 * The member a scan goes to, and why: the first tier with anyone available decides, by the code's
 * strategy. Pure — the time, the counts and the random draws all come in — so the same inputs and
 * the same random sequence always pick the same member. Tiers may come prepared (`prepareTiers`),
 * as the scan path keeps them; the trace of every candidate is built only when asked for.
 */
export function pickStaff(
  strategy: Strategy,
  tiers: readonly Tier[] | readonly PreparedTier[],
  staff: ReadonlyMap<string, StaffMember>,
  local: LocalTime,
  live: LiveCounts,
  random: () => number,
  options: { trace?: boolean } = {},
): StaffPick {
  const prepared = tiers.length > 0 && 'slots' in tiers[0]! ? (tiers as readonly PreparedTier[]) : prepareTiers(tiers as readonly Tier[], staff);
  const trace: TraceEntry[] = [];
  for (const tier of prepared) {
    const ok = (s: Slot) => unavailable(s, local, live, tier.lastResort) === null;
    if (options.trace !== false) {
      for (const s of tier.slots) {
        const reason = unavailable(s, local, live, tier.lastResort);
        trace.push({ tier: tier.name, staffId: s.candidate.staffId, available: reason === null, reason });
      }
    }
    const slot = choose(strategy, tier, ok, live, random);
    if (slot) return { staffId: slot.candidate.staffId, tier: tier.name, trace };
  }
  return { staffId: null, tier: null, trace };
}

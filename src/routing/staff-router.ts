import type { LocalTime } from '../shared/local-time.ts';
import { refuse, ruleContext, type CompiledCode, type ContactDecision, type Decision, type RuleRef, type ScanContext } from '../codes/rules.ts';
import { checkCondition, compileConditions, type CompiledCondition } from '../codes/conditions.ts';
import type { CodeOf } from '../codes/model.ts';
import type { Visitor } from '../codes/code-type.ts';
import { codeStatus } from '../codes/lifecycle.ts';
import type { Counters } from '../counters/counters.ts';
import type { MemberEntry } from './staff-setup.ts';
import { onDuty } from './schedule.ts';
import { pickStaff, prepareTiers, type StaffPick, type PreparedTier, type Strategy } from './pick-staff.ts';
import type { Roster, RosterMember } from './roster.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import { staffTiers } from './tiers.ts';
import { freshOpen, type OpenReport } from './open-conversations.ts';

const DAY_MS = 86_400_000;
/** Members tried before giving up: a member can turn out full (another instance took the last add) or unreachable. */
const MAX_ATTEMPTS = 5;

export interface StaffRouting {
  decision: Decision;
  /** The scan counts as a new one (not a repeat within the dedupe window, not refused). */
  counted: boolean;
  pick: StaffPick | null;
  /** Gives back the add it took, when the scan could not be recorded. */
  release(): Promise<void>;
}

/** Where the scanner's contact QR comes from: WeCom's contact way for the code, or the member's own QR. */
export type QrSource = (code: CompiledCode, member: RosterMember) => Promise<string | null>;

/** The member a device met within the last hours on this code, if any. */
export type RecentPick = (codeId: string, visitorId: string, since: number) => Promise<string | null>;

type StaffCode = CodeOf<'staff'>;

/** A member rule ready for the scan path: compiled once per code version. */
interface CompiledMemberRule {
  index: number;
  name: string | null;
  members: MemberEntry[];
  conditions: CompiledCondition[];
}

const addsKey = (staffId: string, date: string) => `adds:${staffId}:${date}`;

/**
 * A staff code's scan: the same member again for a repeat within the dedupe window, else the pure
 * pick over the tiers, then one atomic take of the member's daily adds — so a daily limit holds
 * exactly across instances; a member who turns out full or unreachable is passed over and the
 * pick runs again.
 */
export class StaffRouter {
  /** Today's adds per member as last seen here; the counters decide, this only orders the choice. */
  private readonly adds = new Map<string, number>();
  private day = '';

  constructor(
    private readonly rosters: CachedValue<Roster>,
    private readonly counters: Counters,
    private readonly qrOf: QrSource,
    private readonly recentPick: RecentPick,
    /** Open conversations as the customer-service system last reported them; stale ones are ignored. */
    private readonly openReports: CachedValue<ReadonlyMap<string, OpenReport>>,
    private readonly random: () => number = Math.random,
  ) {}

  /** Prepared tiers per roster (replaced on every staff change) and code version (replaced on every edit) and member rule. */
  private readonly prepared = new WeakMap<Roster, WeakMap<CompiledCode, Map<number, PreparedTier[]>>>();

  /**
   * `trace` (for simulations) lists every candidate considered; scans go without it. `record`
   * false (HEAD requests, simulations) decides without taking a daily add.
   */
  async route(
    code: CompiledCode<StaffCode>,
    ctx: ScanContext,
    local: LocalTime,
    scanCount: number,
    visitor: Visitor,
    record: boolean,
    trace = false,
  ): Promise<StaffRouting> {
    const setup = code.config.staff;
    const nothing = async () => {};
    const status = codeStatus(code.config, ctx.now, scanCount);
    if (status !== 'active') return { decision: refuse(code.config, status), counted: false, pick: null, release: nothing };
    const roster = await current(this.rosters);
    const { members, rule } = this.rosterFor(code, ctx, local);

    if (visitor.returning && setup.dedupeHours > 0) {
      const previous = await this.recentPick(code.config.id, visitor.id, ctx.now - setup.dedupeHours * 3_600_000);
      const member = previous === null ? undefined : roster.members.get(previous);
      if (member && member.status === 'active') {
        const qrUrl = await this.qrOf(code, member).catch(() => null);
        if (qrUrl) return { decision: this.contact(member, qrUrl, 'repeat', false, rule), counted: false, pick: null, release: nothing };
      }
    }

    const tiers = this.tiersFor(roster, code, rule?.index ?? -1, members);
    const closed = setup.offHours === 'close' ? (pick: StaffPick) => pick.tier !== 'members' && allOffDuty(tiers[0], local) : () => false;
    return this.assign(code, roster, tiers, setup.strategy, { ctx, local, scanCount, record, trace, rule, closed });
  }

  /**
   * The pick over prepared tiers and its consequences: the member's contact QR (one who has none
   * now is passed over), one unit of their daily count where it decides something, and the
   * decision. Staff codes and region codes (a store's people, then backup) both end here.
   */
  async assign(
    code: CompiledCode,
    roster: Roster,
    tiers: PreparedTier[],
    strategy: Strategy,
    o: {
      ctx: ScanContext;
      local: LocalTime;
      scanCount: number;
      record: boolean;
      trace: boolean;
      rule: ContactDecision['rule'];
      closed?: (pick: StaffPick) => boolean;
    },
  ): Promise<StaffRouting> {
    const nothing = async () => {};
    const ids = this.candidateIds(tiers);
    const unreachable = new Set<string>();
    let pick: StaffPick | null = null;
    const open = freshOpen(await current(this.openReports), ids, o.ctx.now);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const live = { addsToday: await this.addsToday(ids, o.local.date), open, routed: o.scanCount, unreachable };
      pick = pickStaff(strategy, tiers, roster.members, o.local, live, this.random, { trace: o.trace });
      if (o.closed?.(pick)) return { decision: refuse(code.config, 'off_hours'), counted: false, pick, release: nothing };
      if (pick.staffId === null) break;
      const member = roster.members.get(pick.staffId)!;
      const qrUrl = await this.qrOf(code, member).catch(() => null);
      if (!qrUrl) {
        unreachable.add(member.id);
        continue;
      }
      const tier = tiers.find((t) => t.name === pick!.tier)!;
      const key = addsKey(member.id, o.local.date);
      // A shared count is kept only where it decides something: a daily limit, or least-loaded routing.
      // (Backup staff take a scan past their limit.) Scans record the member either way, for reports.
      const limited = member.dailyLimit !== null && !tier.lastResort;
      const counted = o.record && (limited || strategy === 'least_loaded');
      if (counted) {
        const limit = limited ? member.dailyLimit! : Number.MAX_SAFE_INTEGER;
        if (!(await this.counters.take({ key, limit, expiresAt: o.ctx.now + 2 * DAY_MS, seed: 0 }))) {
          this.adds.set(key, Math.max(this.adds.get(key) ?? 0, limit));
          continue;
        }
        this.adds.set(key, (this.adds.get(key) ?? 0) + 1);
      }
      const reason = (tier.lastResort ? 'backup' : pick.tier) as ContactDecision['reason'];
      return {
        decision: this.contact(member, qrUrl, reason, tier.lastResort, o.rule),
        counted: true,
        pick,
        release: async () => {
          if (!counted) return;
          this.adds.set(key, Math.max(0, (this.adds.get(key) ?? 1) - 1));
          await this.counters.release(key);
        },
      };
    }
    return { decision: refuse(code.config, 'no_staff'), counted: false, pick, release: nothing };
  }

  /** Today's adds of these members as last seen here (zero when unknown): a store's load. */
  loadOf(staffIds: readonly string[], date: string): number {
    return staffIds.reduce((sum, id) => sum + (this.adds.get(addsKey(id, date)) ?? 0), 0);
  }

  private readonly memberRules = new WeakMap<CompiledCode<StaffCode>, CompiledMemberRule[]>();

  /** A staff code's roster for this scan: the first enabled member rule whose conditions all hold, else its members. */
  private rosterFor(code: CompiledCode<StaffCode>, ctx: ScanContext, local: LocalTime): { members: MemberEntry[]; rule: RuleRef | null } {
    let rules = this.memberRules.get(code);
    if (!rules) {
      rules = code.config.staff.memberRules.flatMap((rule, index) =>
        rule.enabled ? [{ index, name: rule.name ?? null, members: rule.members, conditions: compileConditions(rule.when) }] : [],
      );
      this.memberRules.set(code, rules);
    }
    if (rules.length === 0) return { members: code.config.staff.members, rule: null };
    const rc = ruleContext(code, ctx, local);
    for (const rule of rules) {
      if (rule.conditions.every((c) => checkCondition(c, rc))) return { members: rule.members, rule: { index: rule.index, name: rule.name } };
    }
    return { members: code.config.staff.members, rule: null };
  }

  private tiersFor(roster: Roster, code: CompiledCode<StaffCode>, rule: number, members: MemberEntry[]): PreparedTier[] {
    let byCode = this.prepared.get(roster);
    if (!byCode) this.prepared.set(roster, (byCode = new WeakMap()));
    let byRule = byCode.get(code);
    if (!byRule) byCode.set(code, (byRule = new Map()));
    let tiers = byRule.get(rule);
    if (!tiers) byRule.set(rule, (tiers = prepareTiers(staffTiers(code.config.staff, roster, members), roster.members)));
    return tiers;
  }

  private readonly ids = new WeakMap<PreparedTier[], string[]>();

  private candidateIds(tiers: PreparedTier[]): string[] {
    let ids = this.ids.get(tiers);
    if (!ids) this.ids.set(tiers, (ids = [...new Set(tiers.flatMap((t) => t.slots.map((s) => s.candidate.staffId)))]));
    return ids;
  }

  private contact(member: RosterMember, qrUrl: string, reason: ContactDecision['reason'], fallback: boolean, rule: ContactDecision['rule']): ContactDecision {
    return { action: 'contact', staffId: member.id, reason, fallback, rule, name: member.name, avatarUrl: member.avatarUrl, qrUrl };
  }

  /** Today's adds of these members; counts not seen here yet today are read from the counters once. */
  private async addsToday(ids: readonly string[], date: string): Promise<Map<string, number>> {
    if (date !== this.day) {
      this.adds.clear();
      this.day = date;
    }
    const unknown = ids.map((id) => addsKey(id, date)).filter((k) => !this.adds.has(k));
    if (unknown.length > 0) for (const [k, v] of await this.counters.read(unknown)) if (!this.adds.has(k)) this.adds.set(k, v);
    return new Map(ids.map((id) => [id, this.adds.get(addsKey(id, date)) ?? 0]));
  }
}

/** Everyone on the code's own roster is outside their working hours (not merely full or away). */
function allOffDuty(tier: PreparedTier | undefined, local: LocalTime): boolean {
  if (!tier || tier.name !== 'members') return false;
  const active = tier.slots.filter((s) => s.member?.status === 'active');
  return active.length > 0 && active.every((s) => s.member!.schedule !== null && !onDuty(s.member!.schedule, local));
}

import type { LatLng } from '../geo/distance.ts';
import { normalizeRegion } from '../geo/region-names.ts';
import type { Text } from '../i18n/lang.ts';
import { checkCondition, compileConditions, describeCondition, type CompiledCondition, type RuleContext } from './conditions.ts';
import { codeStatus } from './lifecycle.ts';
import { localTime, localView, type LocalTime } from '../shared/local-time.ts';
import type { CodeConfig, CodeOf, CodeStatus, OsName } from './model.ts';
import { servableUrls } from './servable-urls.ts';
import { visitorBucket } from './visitor-bucket.ts';

/** Everything the decision may know about one scan; built once per request by the scan adapter. */
export interface ScanContext {
  now: number;
  os: OsName;
  inWeChat: boolean;
  province: string | null;
  city: string | null;
  ip: string | null;
  visitorId: string | null;
  returning: boolean;
  location: LatLng | null;
}

/** Counters kept outside the configuration that the decision reads. */
export interface LiveState {
  scanCount: number;
}

/** Why a scan is not sent on: the code's state, or this device's share of it used up. */
export type Refusal = Exclude<CodeStatus, 'active'> | 'device_limit' | 'off_hours' | 'no_staff';

export type RuleRef = { index: number; name: string | null };

/** A staff code's answer: the member the scanner meets, and why (the tier that decided, or a repeat). */
export interface ContactDecision {
  action: 'contact';
  staffId: string;
  reason: 'members' | 'colleagues' | 'departments' | 'store' | 'backup' | 'repeat';
  /** Picked from the backup staff: nobody on the roster or the overflow could take the scan. */
  fallback: boolean;
  rule: RuleRef | null;
  /** Who the scanner sees. */
  name: string;
  avatarUrl: string | null;
  qrUrl: string;
  /** A region code's match: the store, and how far it is when the scanner shared their position. */
  storeId?: string;
  storeName?: string;
  distanceKm?: number | null;
}

/** A region code asks for the scanner's location first (with consent), then decides at `url`. */
export interface LocateDecision {
  action: 'locate';
  url: string;
  rule: null;
}

/** A URL code's answer: where to send the scanner, or why not. */
export type UrlDecision = { action: 'redirect'; url: string; rule: RuleRef | null } | { action: 'inactive'; reason: Refusal; url: string | null };

export type Decision = UrlDecision | ContactDecision | LocateDecision;

interface CompiledRule {
  index: number;
  name: string | null;
  url: string;
  conditions: CompiledCondition[];
}

/** A code ready for the scan path; a type's handler may narrow `config` to its own type. */
export interface CompiledCode<C extends CodeConfig = CodeConfig> {
  config: C;
  rules: CompiledRule[];
  /** Stored destinations no browser could follow, dropped (see servableUrls). */
  unservable: string[];
  /**
   * A URL code one of whose rules depends on where the scanner stands (`near`): like a region code, it
   * asks for the position (purpose first, then consent) before deciding; without one, `near` fails.
   * Found once here, not on every scan.
   */
  byPosition: boolean;
}

export function compileCode<C extends CodeConfig>(stored: C): CompiledCode<C> {
  const { config, unservable } = servableUrls(stored);
  const rules = config.rules.flatMap((rule, index) =>
    rule.enabled ? [{ index, name: rule.name ?? null, url: rule.url, conditions: compileConditions(rule.when) }] : [],
  );
  // Only URL codes take rules (creating and editing refuse them elsewhere), so no type is asked here.
  const byPosition = rules.some((rule) => rule.conditions.some((c) => c.kind === 'near'));
  return { config: config as C, rules, unservable, byPosition };
}

export interface ConditionTrace {
  kind: CompiledCondition['kind'];
  passed: boolean;
  text: Text;
}

export interface RuleTrace {
  index: number;
  name: string | null;
  enabled: boolean;
  matched: boolean;
  /** The first condition that failed: the one a person has to change. */
  failed: CompiledCondition['kind'] | null;
  conditions: ConditionTrace[];
}

export interface Trace {
  status: CodeStatus;
  local: { date: string; time: string; weekday: number; timeZone: string };
  rules: RuleTrace[];
}

/** What conditions are checked against; `local` is the scan's local time, computed once per scan. */
export function ruleContext(code: CompiledCode, ctx: ScanContext, local: LocalTime = localTime(ctx.now, code.config.timeZone)): RuleContext {
  return {
    local,
    os: ctx.os,
    inWeChat: ctx.inWeChat,
    province: ctx.province === null ? null : normalizeRegion(ctx.province),
    city: ctx.city === null ? null : normalizeRegion(ctx.city),
    ip: ctx.ip,
    returning: ctx.returning,
    bucket: ctx.visitorId === null ? null : visitorBucket(code.config.id, ctx.visitorId),
    location: ctx.location,
  };
}

/** Where a refused scan goes: the device limit's own page, a staff code's backup page, else the code's "ended" page. */
export function refuse(code: Pick<CodeConfig, 'url' | 'deviceLimit' | 'expiredUrl'>, reason: Refusal): UrlDecision {
  // Nobody could take a staff code's scan: its backup page (the url of a staff code).
  const url = reason === 'device_limit' ? (code.deviceLimit?.url ?? null) : reason === 'no_staff' ? code.url : code.expiredUrl;
  return { action: 'inactive', reason, url };
}

/**
 * A code that decides once the scanner has said where they are (or declined): at its location
 * step, `/s/<slug>/locate`; refused here when the code does not serve now.
 */
export function askLocation(config: CodeConfig, now: number, scanCount: number): LocateDecision | UrlDecision {
  const status = codeStatus(config, now, scanCount);
  return status === 'active' ? { action: 'locate', url: `/s/${config.slug}/locate`, rule: null } : refuse(config, status);
}

/** A URL code's scan: first enabled rule whose conditions all hold wins, else the default URL. */
export function decide(code: CompiledCode<CodeOf<'url'>>, ctx: ScanContext, live: LiveState, local?: LocalTime): UrlDecision {
  const status = codeStatus(code.config, ctx.now, live.scanCount);
  if (status !== 'active') return refuse(code.config, status);
  const fallback = code.config.url;
  if (code.rules.length === 0) return { action: 'redirect', url: fallback, rule: null };
  const rc = ruleContext(code, ctx, local);
  for (const rule of code.rules) {
    if (rule.conditions.every((c) => checkCondition(c, rc))) {
      return { action: 'redirect', url: rule.url, rule: { index: rule.index, name: rule.name } };
    }
  }
  return { action: 'redirect', url: fallback, rule: null };
}

/** The same decision with the reasoning behind it, for "test before you print". */
export function explain(code: CompiledCode<CodeOf<'url'>>, ctx: ScanContext, live: LiveState): { decision: UrlDecision; trace: Trace } {
  const decision = decide(code, ctx, live);
  const rc = ruleContext(code, ctx);
  const winner = decision.action === 'redirect' ? (decision.rule?.index ?? null) : null;
  const compiled = new Map(code.rules.map((r) => [r.index, r]));
  const rules = code.config.rules.map((rule, index): RuleTrace => {
    const c = compiled.get(index);
    const conditions = (c?.conditions ?? compileConditions(rule.when)).map((cond) => ({
      kind: cond.kind,
      passed: checkCondition(cond, rc),
      text: describeCondition(cond, rc),
    }));
    return {
      index,
      name: rule.name ?? null,
      enabled: rule.enabled,
      matched: winner === index,
      failed: conditions.find((x) => !x.passed)?.kind ?? null,
      conditions,
    };
  });
  return {
    decision,
    trace: {
      status: codeStatus(code.config, ctx.now, live.scanCount),
      local: localView(rc.local, code.config.timeZone),
      rules,
    },
  };
}

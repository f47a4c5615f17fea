import { cidrMatcher, parseCidr, type Cidr } from '../geo/ip.ts';
import { distanceKm, type LatLng } from '../geo/distance.ts';
import { normalizeRegion } from '../geo/region-names.ts';
import type { Text } from '../i18n/lang.ts';
import { clockTime, inWindow, minutesOf, type LocalTime } from '../shared/local-time.ts';
import type { Conditions, OsName } from './model.ts';

/** What conditions read of a scan, already in the code's time zone and the visitor's A/B bucket. */
export interface RuleContext {
  local: LocalTime;
  os: OsName;
  inWeChat: boolean;
  province: string | null;
  city: string | null;
  ip: string | null;
  returning: boolean;
  bucket: number | null;
  location: LatLng | null;
}

export type CompiledCondition =
  | { kind: 'timeOfDay'; from: number; to: number; label: string }
  | { kind: 'weekdays'; days: ReadonlySet<number> }
  | { kind: 'dateRange'; from: string | undefined; to: string | undefined }
  | { kind: 'cities' | 'provinces'; names: ReadonlySet<string>; label: string }
  | { kind: 'os'; names: ReadonlySet<OsName> }
  | { kind: 'inWeChat'; value: boolean }
  | { kind: 'ipCidrs'; matches: (ip: string) => boolean; label: string }
  | { kind: 'visitor'; value: 'new' | 'returning' }
  | { kind: 'percent'; from: number; to: number }
  | { kind: 'near'; at: LatLng; km: number };

const abbreviate = (items: readonly string[]) => (items.length > 5 ? `${items.slice(0, 5).join(', ')} …` : items.join(', '));

/** Turns a rule's `when` into conditions that check in constant or near-constant time. */
export function compileConditions(when: Conditions): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  if (when.timeOfDay) {
    const { from, to } = when.timeOfDay;
    out.push({ kind: 'timeOfDay', from: minutesOf(from), to: minutesOf(to), label: `${from}–${to}` });
  }
  if (when.weekdays) out.push({ kind: 'weekdays', days: new Set(when.weekdays) });
  if (when.dateRange) out.push({ kind: 'dateRange', from: when.dateRange.from, to: when.dateRange.to });
  for (const kind of ['cities', 'provinces'] as const) {
    const names = when[kind];
    if (names) out.push({ kind, names: new Set(names.map(normalizeRegion)), label: abbreviate(names) });
  }
  if (when.os) out.push({ kind: 'os', names: new Set(when.os) });
  if (when.inWeChat !== undefined) out.push({ kind: 'inWeChat', value: when.inWeChat });
  if (when.ipCidrs) {
    const cidrs = when.ipCidrs.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
    out.push({ kind: 'ipCidrs', matches: cidrMatcher(cidrs), label: abbreviate(when.ipCidrs) });
  }
  if (when.visitor) out.push({ kind: 'visitor', value: when.visitor });
  if (when.percent) out.push({ kind: 'percent', from: when.percent.from, to: when.percent.to });
  if (when.near) out.push({ kind: 'near', at: { lat: when.near.lat, lng: when.near.lng }, km: when.near.km });
  return out;
}

export function checkCondition(c: CompiledCondition, ctx: RuleContext): boolean {
  switch (c.kind) {
    case 'timeOfDay':
      return inWindow(ctx.local.minutes, c.from, c.to);
    case 'weekdays':
      return c.days.has(ctx.local.weekday);
    case 'dateRange':
      return (c.from === undefined || ctx.local.date >= c.from) && (c.to === undefined || ctx.local.date <= c.to);
    case 'cities':
      return ctx.city !== null && c.names.has(ctx.city);
    case 'provinces':
      return ctx.province !== null && c.names.has(ctx.province);
    case 'os':
      return c.names.has(ctx.os);
    case 'inWeChat':
      return ctx.inWeChat === c.value;
    case 'ipCidrs':
      return ctx.ip !== null && c.matches(ctx.ip);
    case 'visitor':
      return ctx.returning === (c.value === 'returning');
    case 'percent':
      return ctx.bucket !== null && ctx.bucket >= c.from && ctx.bucket < c.to;
    case 'near':
      return ctx.location !== null && distanceKm(ctx.location, c.at) <= c.km;
    default:
      return c satisfies never;
  }
}

const WEEKDAY_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const WEEKDAY_EN = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const OS_LABEL: Record<OsName, string> = {
  ios: 'iOS',
  android: 'Android',
  harmonyos: 'HarmonyOS',
  windows: 'Windows',
  macos: 'macOS',
  other: 'other',
};

/** What a person reads in the simulator's trace: the condition, what the scan had, and the verdict. */
export function describeCondition(c: CompiledCondition, ctx: RuleContext): Text {
  const none = { 'zh-CN': '未知', en: 'unknown' };
  switch (c.kind) {
    case 'timeOfDay': {
      const t = clockTime(ctx.local.minutes);
      return { 'zh-CN': `时段 ${c.label}（当地时间 ${t}）`, en: `time of day ${c.label} (local time ${t})` };
    }
    case 'weekdays': {
      const days = [...c.days].sort();
      return {
        'zh-CN': `星期 ${days.map((d) => WEEKDAY_ZH[d]).join('、')}（今天${WEEKDAY_ZH[ctx.local.weekday]}）`,
        en: `weekdays ${days.map((d) => WEEKDAY_EN[d]).join(', ')} (today ${WEEKDAY_EN[ctx.local.weekday]})`,
      };
    }
    case 'dateRange': {
      const range = `${c.from ?? '…'} ~ ${c.to ?? '…'}`;
      return { 'zh-CN': `日期 ${range}（当地日期 ${ctx.local.date}）`, en: `dates ${range} (local date ${ctx.local.date})` };
    }
    case 'cities':
    case 'provinces': {
      const seen = (c.kind === 'cities' ? ctx.city : ctx.province) ?? null;
      const zhKind = c.kind === 'cities' ? '城市' : '省份';
      return {
        'zh-CN': `${zhKind} ${c.label}（扫码地：${seen ?? none['zh-CN']}）`,
        en: `${c.kind === 'cities' ? 'city' : 'province'} in ${c.label} (scanned in: ${seen ?? none.en})`,
      };
    }
    case 'os': {
      const list = [...c.names].map((n) => OS_LABEL[n]).join(', ');
      return { 'zh-CN': `系统 ${list}（本次：${OS_LABEL[ctx.os]}）`, en: `OS ${list} (this scan: ${OS_LABEL[ctx.os]})` };
    }
    case 'inWeChat':
      return {
        'zh-CN': `${c.value ? '在' : '不在'}微信内打开（本次：${ctx.inWeChat ? '微信内' : '微信外'}）`,
        en: `${c.value ? 'inside' : 'outside'} WeChat (this scan: ${ctx.inWeChat ? 'inside' : 'outside'})`,
      };
    case 'ipCidrs':
      return {
        'zh-CN': `IP 属于 ${c.label}（本次：${ctx.ip ?? none['zh-CN']}）`,
        en: `IP in ${c.label} (this scan: ${ctx.ip ?? none.en})`,
      };
    case 'visitor': {
      const zh = (v: boolean) => (v ? '老访客' : '新访客');
      const en = (v: boolean) => (v ? 'returning visitor' : 'new visitor');
      const wanted = c.value === 'returning';
      return { 'zh-CN': `${zh(wanted)}（本次：${zh(ctx.returning)}）`, en: `${en(wanted)} (this scan: ${en(ctx.returning)})` };
    }
    case 'percent': {
      const at = ctx.bucket === null ? null : ctx.bucket.toFixed(2);
      return {
        'zh-CN': `访客分流 ${c.from}%–${c.to}%（该访客位于 ${at === null ? '未知：无访客标识' : `${at}%`}）`,
        en: `visitor split ${c.from}%–${c.to}% (this visitor: ${at === null ? 'unknown, no visitor id' : `${at}%`})`,
      };
    }
    case 'near': {
      const d = ctx.location === null ? null : distanceKm(ctx.location, c.at).toFixed(2);
      return {
        'zh-CN': `距 (${c.at.lat}, ${c.at.lng}) ${c.km} 公里内（本次：${d === null ? '无位置' : `${d} 公里`}）`,
        en: `within ${c.km} km of (${c.at.lat}, ${c.at.lng}) (this scan: ${d === null ? 'no location' : `${d} km`})`,
      };
    }
    default:
      return c satisfies never;
  }
}

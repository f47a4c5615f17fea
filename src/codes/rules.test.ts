import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newCode, newContext, newRule } from '../../test/support/factories.ts';
import { conditionsSchema } from './model.ts';
import { compileCode, decide, explain } from './rules.ts';

const at = (iso: string) => Date.parse(iso);
const parseWhen = (when: unknown) => conditionsSchema.parse(when);
const codeWith = (when: unknown, extra = {}) => compileCode(newCode({ rules: [newRule(parseWhen(when), 'https://example.com/rule')], ...extra }));
const matches = (when: unknown, ctx = {}, extra = {}) => {
  const d = decide(codeWith(when, extra), newContext(ctx), { scanCount: 0 });
  return d.action === 'redirect' && d.url === 'https://example.com/rule';
};
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const shanghai = (minute: number) => at('2026-11-22T00:00:00+08:00') + minute * 60_000;

describe('first match wins', () => {
  it('takes the first rule whose conditions all hold, else the default URL', () => {
    const code = compileCode(
      newCode({
        rules: [
          newRule(parseWhen({ os: ['android'] }), 'https://a.example/android', 'android'),
          newRule(parseWhen({ inWeChat: true, os: ['ios'] }), 'https://a.example/ios-wechat', 'ios in wechat'),
          newRule(parseWhen({ inWeChat: true }), 'https://a.example/wechat', 'wechat'),
        ],
      }),
    );
    expect(decide(code, newContext({ os: 'ios', inWeChat: true }), { scanCount: 0 })).toEqual({
      action: 'redirect',
      url: 'https://a.example/ios-wechat',
      rule: { index: 1, name: 'ios in wechat' },
    });
    expect(decide(code, newContext({ os: 'windows', inWeChat: false }), { scanCount: 0 })).toEqual({
      action: 'redirect',
      url: 'https://example.com/default',
      rule: null,
    });
  });

  it('skips a disabled rule', () => {
    const rule = { ...newRule(parseWhen({ os: ['ios'] })), enabled: false };
    const code = compileCode(newCode({ rules: [rule] }));
    expect(decide(code, newContext(), { scanCount: 0 })).toMatchObject({ url: 'https://example.com/default' });
  });
});

describe('timeOfDay', () => {
  it('matches the example window from the issue: 16:00–22:00 Shanghai time', () => {
    const when = { timeOfDay: { from: '16:00', to: '22:00' } };
    expect(matches(when, { now: at('2026-11-22T16:00:00+08:00') })).toBe(true);
    expect(matches(when, { now: at('2026-11-22T21:59:00+08:00') })).toBe(true);
    expect(matches(when, { now: at('2026-11-22T22:00:00+08:00') })).toBe(false);
    expect(matches(when, { now: at('2026-11-22T15:59:00+08:00') })).toBe(false);
  });

  it('a window and its complement cover every minute of the day exactly once, across midnight too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), (from, to, minute) => {
        fc.pre(from !== to);
        const now = shanghai(minute);
        const inside = matches({ timeOfDay: { from: hhmm(from), to: hhmm(to) } }, { now });
        const outside = matches({ timeOfDay: { from: hhmm(to), to: hhmm(from) } }, { now });
        return inside !== outside;
      }),
    );
  });

  it('a window holds exactly as many minutes as it is long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), (from, to) => {
        fc.pre(from !== to);
        const code = codeWith({ timeOfDay: { from: hhmm(from), to: hhmm(to) } });
        let count = 0;
        for (let m = 0; m < 1440; m++) {
          const d = decide(code, newContext({ now: shanghai(m) }), { scanCount: 0 });
          if (d.action === 'redirect' && d.rule) count++;
        }
        return count === (to - from + 1440) % 1440;
      }),
      { numRuns: 40 },
    );
  });

  it('reads the clock in the code time zone, not the server one', () => {
    const when = { timeOfDay: { from: '09:00', to: '10:00' } };
    const nineThirtyInNewYork = at('2026-07-01T09:30:00-04:00');
    expect(matches(when, { now: nineThirtyInNewYork }, { timeZone: 'America/New_York' })).toBe(true);
    expect(matches(when, { now: nineThirtyInNewYork }, { timeZone: 'Asia/Shanghai' })).toBe(false);
  });

  it('agrees with Intl for any instant in zones with DST and odd offsets', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2035-01-01T00:00:00Z') }), fc.constantFrom(...zones), (now, timeZone) => {
        const parts = Object.fromEntries(
          new Intl.DateTimeFormat('en-US', {
            timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
          })
            .formatToParts(now)
            .map((p) => [p.type, p.value]),
        );
        const { trace } = explain(codeWith({ os: ['ios'] }, { timeZone }), newContext({ now }), { scanCount: 0 });
        const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
        return (
          trace.local.date === `${parts.year}-${parts.month}-${parts.day}` &&
          trace.local.time === `${parts.hour!.padStart(2, '0')}:${parts.minute}` &&
          trace.local.weekday === weekday
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('weekdays and dateRange', () => {
  it('numbers weekdays 1 = Monday … 7 = Sunday in the code time zone', () => {
    // 2026-11-22 is a Sunday in Shanghai; at 07:00 it is still Saturday in UTC.
    const sundayMorning = at('2026-11-22T07:00:00+08:00');
    expect(matches({ weekdays: [7] }, { now: sundayMorning })).toBe(true);
    expect(matches({ weekdays: [6] }, { now: sundayMorning })).toBe(false);
    expect(matches({ weekdays: [6] }, { now: sundayMorning }, { timeZone: 'UTC' })).toBe(true);
  });

  it('includes both end dates, as local dates', () => {
    const when = { dateRange: { from: '2026-11-01', to: '2026-11-11' } };
    expect(matches(when, { now: at('2026-11-11T23:59:00+08:00') })).toBe(true);
    expect(matches(when, { now: at('2026-11-12T00:00:00+08:00') })).toBe(false);
    expect(matches(when, { now: at('2026-11-01T00:00:00+08:00') })).toBe(true);
    expect(matches(when, { now: at('2026-10-31T23:59:00+08:00') })).toBe(false);
    expect(matches({ dateRange: { from: '2026-11-20' } }, { now: at('2030-01-01T00:00:00+08:00') })).toBe(true);
  });
});

describe('place, device and visitor', () => {
  it('compares city and province names in their short form', () => {
    expect(matches({ cities: ['上海市'] }, { city: '上海' })).toBe(true);
    expect(matches({ provinces: ['广东省', '广西壮族自治区'] }, { province: '广西' })).toBe(true);
    expect(matches({ cities: ['北京'] }, { city: '上海' })).toBe(false);
    expect(matches({ cities: ['上海'] }, { city: null })).toBe(false);
  });

  it('matches OS, WeChat and new or returning visitors', () => {
    expect(matches({ os: ['harmonyos', 'android'] }, { os: 'harmonyos' })).toBe(true);
    expect(matches({ os: ['ios'] }, { os: 'android' })).toBe(false);
    expect(matches({ inWeChat: false }, { inWeChat: true })).toBe(false);
    expect(matches({ visitor: 'returning' }, { returning: true })).toBe(true);
    expect(matches({ visitor: 'new' }, { returning: true })).toBe(false);
  });

  it('matches near a point by great-circle distance', () => {
    const when = { near: { lat: 31.2304, lng: 121.4737, km: 5 } }; // People's Square, Shanghai
    expect(matches(when, { location: { lat: 31.2397, lng: 121.4998 } })).toBe(true); // the Bund, ~2.7 km
    expect(matches(when, { location: { lat: 31.1443, lng: 121.8083 } })).toBe(false); // Pudong airport, ~33 km
    expect(matches(when, { location: null })).toBe(false);
  });
});

describe('ipCidrs', () => {
  const v4 = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

  it('matches exactly the addresses inside an IPv4 prefix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 32 }), (addr, prefix) => {
        const size = 2 ** (32 - prefix);
        const first = Math.floor(addr / size) * size;
        const last = first + size - 1;
        const when = { ipCidrs: [`${v4(first)}/${prefix}`] };
        const ok = matches(when, { ip: v4(first) }) && matches(when, { ip: v4(last) }) && matches(when, { ip: v4(addr) });
        const below = first === 0 || !matches(when, { ip: v4(first - 1) });
        const above = last === 0xffffffff || !matches(when, { ip: v4(last + 1) });
        return ok && below && above;
      }),
    );
  });

  it('matches exactly the addresses inside an IPv6 prefix', () => {
    const hex = (n: bigint) => n.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':');
    const max = (1n << 128n) - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max }), fc.integer({ min: 1, max: 128 }), (addr, prefix) => {
        const size = 1n << BigInt(128 - prefix);
        const first = (addr / size) * size;
        const last = first + size - 1n;
        const when = { ipCidrs: [`${hex(first)}/${prefix}`] };
        const ok = matches(when, { ip: hex(first) }) && matches(when, { ip: hex(last) }) && matches(when, { ip: hex(addr) });
        const below = first === 0n || !matches(when, { ip: hex(first - 1n) });
        const above = last === max || !matches(when, { ip: hex(last + 1n) });
        return ok && below && above;
      }),
    );
  });

  it('treats a bare address as a single host and never matches across families', () => {
    expect(matches({ ipCidrs: ['203.0.113.7'] }, { ip: '203.0.113.7' })).toBe(true);
    expect(matches({ ipCidrs: ['203.0.113.7'] }, { ip: '203.0.113.8' })).toBe(false);
    expect(matches({ ipCidrs: ['10.0.0.0/8'] }, { ip: '2001:db8::1' })).toBe(false);
  });
});

describe('percent (A/B split)', () => {
  const arms = () =>
    compileCode(
      newCode({
        rules: [
          newRule(parseWhen({ percent: { from: 0, to: 30 } }), 'https://ab.example/a'),
          newRule(parseWhen({ percent: { from: 30, to: 100 } }), 'https://ab.example/b'),
        ],
      }),
    );

  it('puts the same visitor in the same arm every time', () => {
    const code = arms();
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 10 ** 12 }), (visitorId, offset) => {
        const first = decide(code, newContext({ visitorId }), { scanCount: 0 });
        const later = decide(code, newContext({ visitorId, now: newContext().now + offset }), { scanCount: 0 });
        return first.url === later.url && first.url !== 'https://example.com/default';
      }),
    );
  });

  it('splits visitors in proportion (30 : 70 within ±2 % over 10,000 visitors)', () => {
    const code = arms();
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (decide(code, newContext({ visitorId: `v${i}` }), { scanCount: 0 }).url === 'https://ab.example/a') a++;
    expect(Math.abs(a / 10_000 - 0.3)).toBeLessThan(0.02);
  });

  it('splits each code independently', () => {
    const other = compileCode({ ...arms(), config: newCode({ id: 'code-2', rules: arms().config.rules }) }.config);
    const code = arms();
    let same = 0;
    for (let i = 0; i < 2_000; i++) {
      const ctx = newContext({ visitorId: `v${i}` });
      if (decide(code, ctx, { scanCount: 0 }).url === decide(other, ctx, { scanCount: 0 }).url) same++;
    }
    // Independent 30/70 splits agree for 0.3² + 0.7² = 58 % of visitors, not 100 %.
    expect(same / 2_000).toBeGreaterThan(0.52);
    expect(same / 2_000).toBeLessThan(0.64);
  });

  it('accepts a bare number as 0–n %', () => {
    expect(parseWhen({ percent: 25 }).percent).toEqual({ from: 0, to: 25 });
  });
});

describe('lifecycle', () => {
  const base = { now: at('2026-11-22T12:00:00Z') };
  const statusOf = (extra: object, scanCount = 0) => decide(compileCode(newCode(extra)), newContext(base), { scanCount });

  it('serves an active code and explains every inactive one', () => {
    expect(statusOf({})).toMatchObject({ action: 'redirect' });
    expect(statusOf({ paused: true })).toEqual({ action: 'inactive', reason: 'paused', url: null });
    expect(statusOf({ validFrom: base.now + 1 })).toMatchObject({ reason: 'scheduled' });
    expect(statusOf({ validUntil: base.now })).toMatchObject({ reason: 'ended' });
    expect(statusOf({ validUntil: base.now + 1 })).toMatchObject({ action: 'redirect' });
    expect(statusOf({ maxScans: 10 }, 9)).toMatchObject({ action: 'redirect' });
    expect(statusOf({ maxScans: 10 }, 10)).toMatchObject({ reason: 'limit_reached' });
    expect(statusOf({ archivedAt: 1, paused: true })).toMatchObject({ reason: 'archived' });
    expect(statusOf({ paused: true, expiredUrl: 'https://example.com/over' }))
      .toEqual({ action: 'inactive', reason: 'paused', url: 'https://example.com/over' });
  });
});

describe('explain', () => {
  it('says which condition stopped each rule', () => {
    const code = compileCode(
      newCode({
        rules: [newRule(parseWhen({ os: ['ios'], timeOfDay: { from: '16:00', to: '22:00' } }), 'https://x.example/evening', 'evening ios')],
      }),
    );
    const { decision, trace } = explain(code, newContext({ now: at('2026-11-22T10:00:00+08:00') }), { scanCount: 0 });
    expect(decision).toMatchObject({ url: 'https://example.com/default' });
    expect(trace.rules[0]).toMatchObject({ name: 'evening ios', matched: false, failed: 'timeOfDay' });
    const time = trace.rules[0]!.conditions.find((c) => c.kind === 'timeOfDay')!;
    expect(time.passed).toBe(false);
    expect(time.text['zh-CN']).toContain('当地时间 10:00');
    expect(time.text.en).toContain('local time 10:00');
  });
});

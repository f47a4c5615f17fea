import { describe, expect, it } from 'vitest';
import { canonicalIp, parseCidr, truncateIp } from './ip.ts';
import { normalizeRegion } from './region-names.ts';

describe('what we keep of an IP address', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['::ffff:203.0.113.77', '203.0.113.0'],
    ['2001:db8:abcd:12:34:56:78:9', '2001:db8:abcd::'],
    ['2001:db8::1', '2001:db8:0::'],
    ['240e:e9:1234::1', '240e:e9:1234::'],
    ['not an ip', null],
  ])('%s → %s', (ip, kept) => {
    expect(truncateIp(ip)).toBe(kept);
  });

  it('reads IPv4-mapped IPv6 as IPv4', () => {
    expect(canonicalIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp('2001:db8::1')).toBe('2001:db8::1');
  });

  it('parses CIDRs and refuses impossible prefixes', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ prefix: 32, family: 'ipv6' });
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('2001:db8::/129')).toBeNull();
    expect(parseCidr('10.0.0.0/8/1')).toBeNull();
    expect(parseCidr('10.0.0.0/-1')).toBeNull();
  });
});

describe('region names', () => {
  it.each([
    ['上海市', '上海'],
    ['广东省', '广东'],
    ['广西壮族自治区', '广西'],
    ['新疆维吾尔自治区', '新疆'],
    ['香港特别行政区', '香港'],
    ['恩施土家族苗族自治州', '恩施'],
    ['大兴安岭地区', '大兴安岭'],
    ['锡林郭勒盟', '锡林郭勒'],
    ['深圳', '深圳'],
  ])('%s → %s', (long, short) => {
    expect(normalizeRegion(long)).toBe(short);
  });
});

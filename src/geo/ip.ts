import { BlockList, isIP } from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128); null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** node:net's BlockList matches v4 and v6 subnets, including IPv4-mapped IPv6 client addresses. */
export function cidrMatcher(cidrs: readonly Cidr[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const c of cidrs) list.addSubnet(c.address, c.prefix, c.family);
  return (ip) => {
    const version = isIP(ip);
    return version !== 0 && list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
  };
}

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** The client's address as a person thinks of it: IPv4-mapped IPv6 becomes plain IPv4. */
export function canonicalIp(ip: string): string {
  return MAPPED_V4.exec(ip)?.[1] ?? ip;
}

/**
 * What we keep of a scanner's address: the /24 of IPv4 and the /48 of IPv6, enough for region
 * and abuse statistics without identifying a household.
 */
export function truncateIp(ip: string): string | null {
  const plain = canonicalIp(ip);
  const version = isIP(plain);
  if (version === 4) return plain.replace(/\.\d+$/, '.0');
  if (version !== 6) return null;
  const groups = expandV6(plain).slice(0, 3);
  return `${groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::`;
}

function expandV6(ip: string): string[] {
  const noZone = ip.split('%')[0] ?? ip;
  const [head = '', tail] = noZone.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded dotted IPv4 tail takes two groups; truncation never reaches it, so count it so.
  const rightGroups = right.flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const fill = tail === undefined ? [] : Array(8 - left.length - rightGroups.length).fill('0');
  return [...left, ...fill, ...rightGroups];
}

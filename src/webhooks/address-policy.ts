import { BlockList, isIP } from 'node:net';

// Where a webhook must not reach unless an admin allows the host: this machine, the private
// network around it, link-local (cloud metadata at 169.254.169.254) and other special ranges.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
// 64:ff9b:1::/48 is NAT64 for a network's own translator (RFC 8215): never a public destination.
for (const [net, prefix] of [['64:ff9b:1::', 48], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address, or null when it is not one (WHATWG URL writes it out canonically first). */
function ipv6Bytes(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  const [head, tail] = new URL(`http://[${address}]/`).hostname.slice(1, -1).split('::') as [string, string?];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(tail);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return words.flatMap((w) => [w >> 8, w & 255]);
}

/**
 * The IPv4 address an IPv6 address carries, judged instead of it: a connection to it reaches that
 * IPv4 host through the kernel (mapped, compatible, translated) or a gateway (NAT64, 6to4).
 */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const at = (i: number) => b.slice(i, i + 4).join('.');
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return at(12); // ::ffff:0:0/96, IPv4-mapped
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return at(12); // ::ffff:0:0:0/96, IPv4-translated
  if (zero(0, 12)) return at(12); // ::/96, IPv4-compatible (:: and ::1 land in 0.0.0.0/8)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return at(12); // 64:ff9b::/96, NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return at(2); // 2002::/16, 6to4
  return null;
}

export function isPrivateAddress(address: string): boolean {
  const v4 = embeddedIpv4(address);
  if (v4 !== null) return blocked.check(v4, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (hostname: string) => Promise<string[]>;

/**
 * Why a webhook may not go to this host, or null when it may: every address the name resolves to
 * must be public, unless an admin listed the host. Checked when a subscription is saved and again
 * on every connection (a name can be pointed elsewhere later).
 */
export async function refusedHost(hostname: string, allowHosts: ReadonlySet<string>, resolve: Resolve): Promise<string | null> {
  if (allowHosts.has(hostname)) return null;
  let addresses: string[];
  try {
    addresses = isIP(hostname) ? [hostname] : await resolve(hostname);
  } catch {
    return `the host ${hostname} does not resolve`;
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside === undefined && addresses.length > 0) return null;
  return `${hostname} points to a loopback, private or link-local address (${inside ?? 'none'}); an admin can allow it with HUOMA_WEBHOOK_ALLOW_HOSTS`;
}

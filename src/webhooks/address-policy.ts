import { BlockList, isIP } from 'node:net';

// Where a webhook must not reach unless an admin allows the host: this machine, the private
// network around it, link-local (cloud metadata at 169.254.169.254) and other special ranges.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** IPv4 written inside IPv6 (::ffff:10.0.0.1, 64:ff9b::a00:1) is judged as the IPv4 address it carries. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
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

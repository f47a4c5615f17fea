import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './address-policy.ts';

describe('webhook address policy', () => {
  it('refuses loopback, private, link-local and special addresses, however they are written', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.0.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
      '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:a00:1', '64:ff9b::a9fe:a9fe', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it('judges an IPv4 address carried inside IPv6 (mapped, compatible, translated, NAT64, 6to4) as that IPv4 address', () => {
    const privateOnes = [
      '::ffff:127.0.0.1', '::FFFF:7f00:1', '0:0:0:0:0:ffff:a9fe:a9fe', // IPv4-mapped
      '::127.0.0.1', '::7f00:1', '::10.0.0.1', '::a9fe:a9fe', // IPv4-compatible (deprecated, still routed by some stacks)
      '::ffff:0:127.0.0.1', '::ffff:0:c0a8:1', // IPv4-translated (SIIT)
      '64:ff9b::127.0.0.1', '64:ff9b::7f00:1', '64:ff9b::c0a8:101', '64:ff9b:0:0:0:0:a9fe:a9fe', // NAT64 well-known prefix
      '64:ff9b:1::8.8.8.8', '64:ff9b:1:ab::1', // NAT64 local-use prefix: someone's own translator, never public
      '2002:7f00:1::', '2002:a00:1::1', '2002:c0a8:101:1::1', '2002:a9fe:a9fe::', // 6to4
    ];
    for (const a of privateOnes) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['::ffff:8.8.8.8', '::8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2002:7b7b:7b7b::1']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('lets public addresses through, including the neighbours of private ranges', () => {
    for (const a of ['8.8.8.8', '172.15.255.255', '172.32.0.0', '100.128.0.1', '11.0.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2400:3200::1']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
});

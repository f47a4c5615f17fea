import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './address-policy.ts';

describe('webhook address policy', () => {
  it('refuses loopback, private, link-local and special addresses, however they are written', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.0.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
      '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:a00:1', '64:ff9b::a9fe:a9fe', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it('lets public addresses through, including the neighbours of private ranges', () => {
    for (const a of ['8.8.8.8', '172.15.255.255', '172.32.0.0', '100.128.0.1', '11.0.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });
});

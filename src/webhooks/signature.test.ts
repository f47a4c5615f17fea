import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.ts';

describe('webhook signatures', () => {
  const body = '{"id":"evt_1","type":"code.changed"}';
  const header = signatureHeader('whsec_abc', 1_800_000_000, body);

  it('verifies the signed body and nothing else', () => {
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_abc', header, body, 1_800_000_010)).toBe(true);
    expect(verifySignature('whsec_abc', header, body.replace('changed', 'created'), 1_800_000_010)).toBe(false);
    expect(verifySignature('whsec_other', header, body, 1_800_000_010)).toBe(false);
    expect(verifySignature('whsec_abc', header.replace('t=1800000000', 't=1800000001'), body, 1_800_000_010)).toBe(false);
  });

  it('refuses a replay outside the tolerance', () => {
    expect(verifySignature('whsec_abc', header, body, 1_800_000_000 + 301)).toBe(false);
  });
});

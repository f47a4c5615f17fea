import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, totpAt, totpStep } from './totp.ts';

// RFC 6238 appendix B, SHA-1, key "12345678901234567890", 8 digits.
const RFC_KEY = base32Encode(Buffer.from('12345678901234567890'));
const VECTORS: [number, string][] = [
  [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
];

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    for (const [t, code] of VECTORS) expect(totpAt(RFC_KEY, t, 8), String(t)).toBe(code);
  });

  it('accepts the neighbouring steps only, and says which step a code is', () => {
    const now = 1_800_000_000;
    const code = totpAt(RFC_KEY, now);
    const step = now / 30;
    expect(totpStep(RFC_KEY, code, now)).toBe(step);
    expect(totpStep(RFC_KEY, code, now + 30)).toBe(step);
    expect(totpStep(RFC_KEY, code, now - 30)).toBe(step);
    expect(totpStep(RFC_KEY, code, now + 90)).toBeNull();
    expect(totpStep(RFC_KEY, '12345', now)).toBeNull();
  });

  it('reads a code as authenticator apps show it, with a space in the middle', () => {
    const now = 1_800_000_000;
    const code = totpAt(RFC_KEY, now);
    expect(totpStep(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(now / 30);
    expect(totpStep(RFC_KEY, ` ${code}\n`, now)).toBe(now / 30);
    expect(totpStep(RFC_KEY, `${code.slice(0, 3)}-${code.slice(3)}`, now)).toBeNull();
  });

  it('round-trips base32', () => {
    for (const n of [0, 1, 5, 19, 20, 33]) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255));
      expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    }
  });
});

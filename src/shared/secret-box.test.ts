import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('secret box', () => {
  it('opens what it sealed, never shows the secret, and refuses another key or a tampered box', () => {
    const box = new SecretBox('m'.repeat(32), 'webhooks');
    const sealed = box.seal('whsec_123');
    expect(sealed).not.toContain('whsec');
    expect(box.seal('whsec_123')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('whsec_123');
    expect(() => new SecretBox('n'.repeat(32), 'webhooks').open(sealed)).toThrow();
    expect(() => new SecretBox('m'.repeat(32), 'wecom').open(sealed)).toThrow();
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open(tampered.toString('base64url'))).toThrow();
  });
});

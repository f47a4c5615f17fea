import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse 电池');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await hashPassword('correct horse 电池')).not.toBe(a);
    expect(await verifyPassword('correct horse 电池', a)).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(false);
    expect(await verifyPassword('anything', DUMMY_HASH)).toBe(false);
  });
});

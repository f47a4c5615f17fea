import { expect, it } from 'vitest';
import { claimTotp } from '../src/teams/second-factor.ts';
import { newTotpSecret, totpAt } from '../src/teams/totp.ts';
import { UserRepo } from '../src/teams/user-repo.ts';
import { describeEngines } from './support/engines.ts';

describeEngines('claiming a one-time code', (engine) => {
  it('fails when the second factor was replaced after it was read (a sign-in racing a replacement)', async () => {
    const storage = await engine.open();
    try {
      const now = 1_800_000_000_000;
      const [old, replacement] = [newTotpSecret(), newTotpSecret()];
      await storage.db
        .insertInto('users')
        .values({
          id: 'usr_race', email: 'race@a.example', name: 'r', password_hash: 'x', role: 'viewer', departments: null, totp_sealed: 'sealed-new', totp_enabled: 1,
          totp_pending_sealed: null, totp_last_step: now / 30_000, disabled_at: null, created_at: 1, updated_at: 1,
        })
        .execute();
      // Read before the replacement: the old secret, and its code of the next step (allowed for drift).
      const stale = await claimTotp(new UserRepo(storage.db), { id: 'usr_race', sealed: 'sealed-old' }, old, totpAt(old, now / 1000 + 30), now);
      expect(stale).not.toBe('ok');
      const fresh = await claimTotp(new UserRepo(storage.db), { id: 'usr_race', sealed: 'sealed-new' }, replacement, totpAt(replacement, now / 1000 + 30), now);
      expect(fresh).toBe('ok');
    } finally {
      await storage.close();
    }
  });
});

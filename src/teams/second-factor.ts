import { totpStep } from './totp.ts';
import type { UserRepo } from './user-repo.ts';

export type CodeCheck = 'ok' | 'wrong' | 'used';

/** What a refused one-time code is told, at sign-in and when replacing a factor alike. */
export const codeRefusal = (check: Exclude<CodeCheck, 'ok'>) =>
  check === 'used' ? 'this one-time code has been used already; wait for the next one' : 'the one-time code is wrong';

/**
 * Checks a one-time code against the user's secret and claims its time-step in one conditional
 * update, so a code works once however many instances see it at the same moment (RFC 6238 §5.2):
 * a code of the step last accepted, or of an earlier one, is refused. `user.sealed` is the factor
 * the secret was read from: if it was replaced meanwhile, the claim fails (an old code never signs in).
 */
export async function claimTotp(
  users: Pick<UserRepo, 'claimTotpStep'>,
  user: { id: string; sealed: string },
  secret: string,
  code: string,
  nowMs: number,
): Promise<CodeCheck> {
  const step = totpStep(secret, code, Math.floor(nowMs / 1000));
  if (step === null) return 'wrong';
  return (await users.claimTotpStep(user.id, user.sealed, step)) ? 'ok' : 'used';
}

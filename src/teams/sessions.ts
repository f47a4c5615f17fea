import { createHash } from 'node:crypto';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, RateLimited } from '../shared/errors.ts';
import { randomToken } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { permissionsOf, type Actor } from '../shared/actor.ts';
import type { RoleService } from './roles.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';
import { departmentSet } from './json-columns.ts';
import { claimTotp, codeRefusal } from './second-factor.ts';
import type { SessionRepo } from './session-repo.ts';
import type { UserRepo } from './user-repo.ts';

export const SESSION_COOKIE = 'hm_session';
export const SESSION_DAYS = 7;
const LOGINS_PER_MINUTE = { perAccount: 5, perAddress: 20 };
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SessionActor {
  actor: Actor;
  csrfToken: string;
}

/** Console sign-in: a random session token in an HttpOnly cookie, a CSRF token for changes. */
export class SessionService {
  constructor(
    private readonly repo: SessionRepo,
    private readonly users: UserRepo,
    private readonly clock: Clock,
    private readonly totpSecrets: SecretBox,
    private readonly limiter: RateLimiter,
    private readonly roles: RoleService,
  ) {}

  async login(email: string, password: string, totp: string | undefined, ip: string): Promise<{ token: string; csrfToken: string; actor: Actor }> {
    for (const [key, limit] of [[`login-ip:${ip}`, LOGINS_PER_MINUTE.perAddress], [`login-email:${email}`, LOGINS_PER_MINUTE.perAccount]] as const) {
      const wait = await this.limiter.wait(key, limit);
      if (wait > 0) throw new RateLimited(`too many sign-in attempts; retry in ${wait} s`, wait);
    }
    const user = await this.users.activeByEmail(email);
    // Checked against a dummy hash when there is no such user: both failures take as long.
    const passwordOk = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !passwordOk) throw new AppError('unauthorized', 'the email or the password is wrong');
    if (user.totp_enabled === 1) {
      if (!totp) throw new AppError('unauthorized', 'this account needs the one-time code from its authenticator app', 'totp');
      const check = await claimTotp(this.users, { id: user.id, sealed: user.totp_sealed! }, this.totpSecrets.open(user.totp_sealed!), totp, this.clock.now());
      if (check !== 'ok') throw new AppError('unauthorized', codeRefusal(check), 'totp');
    }
    const now = this.clock.now();
    const token = randomToken(32);
    const csrfToken = randomToken(16);
    const expiresAt = now + SESSION_DAYS * 86_400_000;
    await this.repo.insert({ token_hash: hash(token), user_id: user.id, csrf_token: csrfToken, ip, created_at: now, expires_at: expiresAt });
    const permissions = permissionsOf((await this.roles.permissionsOf(user.role)) ?? [], null);
    return { token, csrfToken, actor: { id: user.id, name: user.name, role: user.role, permissions, departments: departmentSet(user.departments) } };
  }

  async verify(token: string): Promise<SessionActor | null> {
    const row = await this.repo.withUser(hash(token));
    if (!row || row.expires_at <= this.clock.now()) return null;
    const permissions = permissionsOf((await this.roles.permissionsOf(row.role)) ?? [], null);
    return { actor: { id: row.id, name: row.name, role: row.role, permissions, departments: departmentSet(row.departments) }, csrfToken: row.csrf_token };
  }

  /** Drops sessions past their end; they are refused anyway, this keeps the table small. */
  async expire(now: number): Promise<void> {
    await this.repo.deleteExpired(now);
  }

  async logout(token: string): Promise<void> {
    await this.repo.delete(hash(token));
  }
}

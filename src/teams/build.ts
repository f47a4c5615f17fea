import type { Kysely } from 'kysely';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Clock } from '../shared/clock.ts';
import { SecretBox } from '../shared/secret-box.ts';
import type { Database } from '../storage/schema.ts';
import { ApprovalService } from './approvals.ts';
import { AuditLog } from './audit.ts';
import type { DepartmentService } from './departments.ts';
import { requestAuthenticator } from './request-auth.ts';
import { RoleService } from './roles.ts';
import { SessionService } from './sessions.ts';
import { TokenService } from './tokens.ts';
import { TOTP_SECRETS, UserService } from './users.ts';

/** The teams domain's services: who may do what (roles, keys, people, sessions), what needs approval, and the operation log. */
export function buildTeams(db: Kysely<Database>, clock: Clock, secret: string, departments: DepartmentService, limiter: RateLimiter) {
  const roles = new RoleService(db, clock);
  const tokens = new TokenService(db, clock, roles);
  const audit = new AuditLog(db, clock);
  const approvals = new ApprovalService(db, clock, audit);
  const totpSecrets = new SecretBox(secret, TOTP_SECRETS);
  const users = new UserService(db, clock, totpSecrets, departments, roles, limiter);
  const sessions = new SessionService(db, clock, totpSecrets, limiter, roles);
  return { roles, tokens, audit, approvals, users, sessions, authenticate: requestAuthenticator(tokens, sessions) };
}

import type { Kysely } from 'kysely';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { Clock } from '../shared/clock.ts';
import { SecretBox } from '../shared/secret-box.ts';
import type { Database } from '../storage/schema.ts';
import { ApprovalRepo } from './approval-repo.ts';
import { ApprovalService } from './approvals.ts';
import { AuditRepo } from './audit-repo.ts';
import { AuditLog } from './audit.ts';
import type { DepartmentService } from './departments.ts';
import { requestAuthenticator } from './request-auth.ts';
import { RoleRepo } from './role-repo.ts';
import { RoleService } from './roles.ts';
import { SessionRepo } from './session-repo.ts';
import { SessionService } from './sessions.ts';
import { FirstRunSetup } from './setup.ts';
import { TokenRepo } from './token-repo.ts';
import { TokenService } from './tokens.ts';
import { UserRepo } from './user-repo.ts';
import { TOTP_SECRETS, UserService } from './users.ts';

/** The teams domain's services: who may do what (roles, keys, people, sessions), what needs approval, and the operation log. */
export function buildTeams(db: Kysely<Database>, clock: Clock, secret: string, departments: DepartmentService, limiter: RateLimiter) {
  const roles = new RoleService(new RoleRepo(db), clock);
  const tokens = new TokenService(new TokenRepo(db), clock, roles);
  const audit = new AuditLog(new AuditRepo(db), clock);
  const approvals = new ApprovalService(new ApprovalRepo(db), clock, audit);
  const totpSecrets = new SecretBox(secret, TOTP_SECRETS);
  const userRepo = new UserRepo(db);
  const users = new UserService(userRepo, clock, totpSecrets, departments, roles, limiter);
  const sessions = new SessionService(new SessionRepo(db), userRepo, clock, totpSecrets, limiter, roles);
  const setup = new FirstRunSetup(users, limiter);
  return { roles, tokens, audit, approvals, users, sessions, setup, authenticate: requestAuthenticator(tokens, sessions) };
}

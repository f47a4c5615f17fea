import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound, RateLimited, RecordedRefusal } from '../shared/errors.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { newId } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { ChangeLog } from '../shared/audit-entry.ts';
import { covers, grantedDepartments, mayGrant, type Actor, type Role } from '../shared/actor.ts';
import { roleName, type RoleService } from './roles.ts';
import { hashPassword } from './passwords.ts';
import type { DepartmentService } from './departments.ts';
import { claimTotp, codeRefusal } from './second-factor.ts';
import { newTotpSecret, otpauthUrl, totpStep } from './totp.ts';
import type { UserChanges, UserRecord, UserRepo } from './user-repo.ts';

/** The SecretBox purpose under which second-factor secrets are kept. */
export const TOTP_SECRETS = 'totp secrets';

export const email = z.string().trim().toLowerCase().pipe(z.email({ message: 'must be an email address' }).max(200));
// Like sign-in attempts per account: a stolen session must not try every code.
const CODE_CHECKS_PER_MINUTE = 5;

export const password = z.string().min(10, 'must be at least 10 characters').max(200);

export const createUserSchema = z.strictObject({
  email,
  name: z.string().trim().min(1).max(60),
  password,
  role: roleName,
  departments: z.array(z.string().min(1).max(40)).min(1).nullable().default(null),
});
export const updateUserSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    role: roleName,
    disabled: z.boolean(),
    departments: z.array(z.string().min(1).max(40)).min(1).nullable(),
  })
  .partial();

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  departments: string[] | null;
  totp: boolean;
  disabled: boolean;
  createdAt: string;
}

const view = (r: UserRecord): UserView => ({
  id: r.id, email: r.email, name: r.name, role: r.role, departments: r.departments, totp: r.totp_enabled === 1, disabled: r.disabled_at !== null,
  createdAt: new Date(r.created_at).toISOString(),
});

/** People who sign in to the console; their API twin is the API key. */
export class UserService {
  constructor(
    private readonly repo: UserRepo,
    private readonly clock: Clock,
    private readonly totpSecrets: SecretBox,
    private readonly departments: DepartmentService,
    private readonly roles: RoleService,
    private readonly limiter: RateLimiter,
  ) {}

  /** `by` is absent only for the command line, run by whoever holds the server. */
  async create(input: z.output<typeof createUserSchema>, by?: Actor): Promise<UserView> {
    const rolePermissions = await this.roles.resolve(input.role);
    if (by && !mayGrant(by, input.role, rolePermissions)) throw new AppError('forbidden', `the role "${by.role}" may not create "${input.role}" users`, 'role');
    if (await this.repo.emailTaken(input.email)) {
      throw new AppError('conflict', `a user with the email ${input.email} exists already`, 'email');
    }
    const departments = by ? grantedDepartments(by, input.departments) : input.departments;
    if (departments) await this.departments.check(departments, 'departments');
    const now = this.clock.now();
    const row: UserRecord = {
      id: `usr_${newId(now)}`, email: input.email, name: input.name, password_hash: await hashPassword(input.password), role: input.role,
      totp_sealed: null, totp_enabled: 0, totp_pending_sealed: null, totp_last_step: null, disabled_at: null, created_at: now, updated_at: now,
      departments: departments ?? null, lang: null,
    };
    await this.repo.insert(row);
    return view(row);
  }

  /** Whether any person exists: until one does, the console offers the first-run setup. */
  anyone(): Promise<boolean> {
    return this.repo.exists();
  }

  /** The console language a person chose, null when they have not. */
  async language(id: string): Promise<string | null> {
    return (await this.load(id)).lang;
  }

  async setLanguage(id: string, lang: string): Promise<void> {
    await this.load(id);
    await this.repo.setLang(id, lang);
  }

  /** The people a caller may manage: a limited caller sees those within its own departments only. */
  async list(by: Pick<Actor, 'departments'>): Promise<UserView[]> {
    return (await this.repo.all()).map(view).filter((u) => covers(by, u.departments));
  }

  /** The departments a person is limited to (null: every one), or undefined when there is no such person. */
  async departmentsOf(id: string): Promise<string[] | null | undefined> {
    return (await this.repo.byId(id))?.departments;
  }

  async get(id: string): Promise<UserView> {
    return view(await this.load(id));
  }

  /**
   * The change and its log entry (`log`, from the row this update replaced) commit together; the
   * update holds only if nobody changed the person since the checks read them (else 409).
   */
  async update(id: string, patch: z.output<typeof updateUserSchema>, by: Actor, log?: ChangeLog): Promise<UserView> {
    const row = await this.load(id);
    const current = (await this.roles.permissionsOf(row.role)) ?? [];
    if (!mayGrant(by, row.role, current) || (patch.role && !mayGrant(by, patch.role, await this.roles.resolve(patch.role)))) {
      throw new AppError('forbidden', `the role "${by.role}" may not change this user`, 'role');
    }
    if (patch.departments) await this.departments.check(patch.departments, 'departments');
    const now = this.clock.now();
    const changes: UserChanges = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabled_at: patch.disabled ? (row.disabled_at ?? now) : null } : {}),
      ...(patch.departments !== undefined ? { departments: grantedDepartments(by, patch.departments) } : {}),
      // Always later than the version read, so a concurrent change is always seen below.
      updated_at: Math.max(now, row.updated_at + 1),
    };
    const after = view({ ...row, ...changes });
    // A disabled user is signed out everywhere at once (the repo ends their sessions with the change).
    const applied = await this.repo.update(id, row.updated_at, changes, async (trx) => log?.(trx, view(row), after));
    if (!applied) throw new AppError('conflict', 'this user was changed meanwhile; reload and retry');
    return after;
  }

  /**
   * Starts setting up a second factor: the secret to put in an authenticator app, required only once
   * confirmed. Where one is on already, replacing it takes a current code from it (a stolen session
   * alone must not remove it), and it stays in force until the new one is confirmed.
   */
  async beginTotp(userId: string, code: string | undefined): Promise<{ secret: string; otpauthUrl: string }> {
    const row = await this.load(userId);
    if (row.totp_enabled === 1) {
      if (code === undefined) throw invalid('code', 'a second factor is on: send a current code from the authenticator app to replace it');
      const wait = await this.limiter.wait(`totp-check:${userId}`, CODE_CHECKS_PER_MINUTE);
      if (wait > 0) throw new RateLimited(`too many one-time codes tried; retry in ${wait} s`, wait);
      const check = await claimTotp(this.repo, { id: userId, sealed: row.totp_sealed! }, this.totpSecrets.open(row.totp_sealed!), code, this.clock.now());
      // The attempt counted above stands with the refusal (the API commits what it wrote).
      if (check !== 'ok') throw new RecordedRefusal('forbidden', codeRefusal(check), 'code');
    }
    const secret = newTotpSecret();
    await this.repo.setPendingTotp(userId, this.totpSecrets.seal(secret));
    return { secret, otpauthUrl: otpauthUrl(secret, row.email) };
  }

  /** Required from the next sign-in on, once the app shows a code that matches; that code is spent. */
  async confirmTotp(userId: string, code: string): Promise<UserView> {
    const row = await this.load(userId);
    if (row.totp_pending_sealed === null) throw invalid('code', 'start with POST /api/v1/me/totp first');
    const step = totpStep(this.totpSecrets.open(row.totp_pending_sealed), code, Math.floor(this.clock.now() / 1000));
    if (step === null) throw invalid('code', 'the code does not match; check the phone’s clock');
    await this.repo.confirmTotp(userId, row.totp_pending_sealed, step);
    return this.get(userId);
  }

  private async load(id: string): Promise<UserRecord> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('user');
    return row;
  }
}

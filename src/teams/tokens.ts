import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId, randomToken } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import { covers, departmentsOf, grantedDepartments, mayGrant, permissionsOf, type Actor, type Permission, type Role } from '../shared/actor.ts';
import type { RoleService } from './roles.ts';
import { isoTime, isoTimeOrNull } from '../shared/time.ts';

const PREFIX = 'hm_';
// Tokens are 256 random bits, so one fast hash is enough: only the hash is stored.
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
// "Last used" is for spotting keys nobody uses any more: to the minute is enough, and spares a write per request.
const LAST_USED_EVERY_MS = 60_000;

export interface TokenOptions {
  scopes?: Permission[] | null | undefined;
  expiresAt?: number | null | undefined;
  departments?: string[] | null | undefined;
}

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  scopes: Permission[] | null;
  departments: string[] | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export class TokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly roles: RoleService,
  ) {}

  /** Returns the token itself: shown once, never stored. */
  async create(name: string, role: Role, options: TokenOptions = {}): Promise<TokenView & { token: string }> {
    await this.roles.resolve(role);
    const now = this.clock.now();
    const expiresAt = options.expiresAt ?? null;
    if (expiresAt !== null && expiresAt <= now) throw invalid('expiresAt', 'expiresAt must be in the future');
    const token = PREFIX + randomToken(32);
    const row = {
      id: newId(now), name, role, token_hash: hash(token), created_at: now, last_used_at: null, revoked_at: null,
      scopes: options.scopes ? JSON.stringify([...new Set(options.scopes)]) : null, expires_at: expiresAt,
      departments: options.departments ? JSON.stringify(options.departments) : null,
    };
    await this.db.insertInto('api_tokens').values(row).execute();
    return { ...view(row), token };
  }

  /** Creates a key for someone else: never with more than the creator holds. */
  async grant(by: Actor, name: string, role: Role, options: TokenOptions): Promise<TokenView & { token: string }> {
    if (!mayGrant(by, role, await this.roles.resolve(role))) throw new AppError('forbidden', `the role "${by.role}" may not create "${role}" keys`, 'role');
    return this.create(name, role, { ...options, departments: grantedDepartments(by, options.departments) });
  }

  async verify(token: string): Promise<Actor | null> {
    if (!token.startsWith(PREFIX)) return null;
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'scopes', 'expires_at', 'departments', 'last_used_at'])
      .where('token_hash', '=', hash(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const now = this.clock.now();
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return null;
    if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_EVERY_MS) await this.touch(row.id, now);
    const granted = (await this.roles.permissionsOf(row.role)) ?? [];
    return { id: row.id, name: row.name, role: row.role, permissions: permissionsOf(granted, row.scopes === null ? null : JSON.parse(row.scopes)), departments: departmentsOf(row.departments) };
  }

  /** Conditional, so instances that see the same key in the same minute write it once. */
  private async touch(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_EVERY_MS)]))
      .execute();
  }

  /** The keys a caller may manage: a limited caller sees those within its own departments only. */
  async list(by: Pick<Actor, 'departments'>): Promise<TokenView[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute();
    return rows.map(view).filter((k) => covers(by, k.departments));
  }

  async get(id: string): Promise<TokenView | null> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? view(row) : null;
  }

  async revoke(by: Actor, id: string): Promise<TokenView> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('API key');
    if (!mayGrant(by, row.role, (await this.roles.permissionsOf(row.role)) ?? [])) throw new AppError('forbidden', `the role "${by.role}" may not revoke "${row.role}" keys`);
    const revokedAt = row.revoked_at ?? this.clock.now();
    await this.db.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
    return view({ ...row, revoked_at: revokedAt });
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function view(row: { id: string; name: string; role: string; scopes: string | null; departments: string | null; expires_at: number | null; created_at: number; last_used_at: number | null; revoked_at: number | null }): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scopes: row.scopes === null ? null : JSON.parse(row.scopes),
    departments: row.departments === null ? null : JSON.parse(row.departments),
    expiresAt: isoTimeOrNull(row.expires_at),
    createdAt: isoTime(row.created_at),
    lastUsedAt: isoTimeOrNull(row.last_used_at),
    revokedAt: isoTimeOrNull(row.revoked_at),
  };
}

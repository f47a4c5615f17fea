import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId, randomToken } from '../shared/ids.ts';
import { covers, grantedDepartments, mayGrant, permissionsOf, type Actor, type Permission, type Role } from '../shared/actor.ts';
import type { RoleService } from './roles.ts';
import { isoTime, isoTimeOrNull } from '../shared/time.ts';
import { departmentSet } from './json-columns.ts';
import type { TokenRecord, TokenRepo } from './token-repo.ts';

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
    private readonly repo: TokenRepo,
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
    const row: TokenRecord = {
      id: newId(now), name, role, token_hash: hash(token), created_at: now, last_used_at: null, revoked_at: null,
      scopes: options.scopes ? [...new Set(options.scopes)] : null, expires_at: expiresAt, departments: options.departments ?? null,
    };
    await this.repo.insert(row);
    return { ...view(row), token };
  }

  /** Creates a key for someone else: never with more than the creator holds. */
  async grant(by: Actor, name: string, role: Role, options: TokenOptions): Promise<TokenView & { token: string }> {
    if (!mayGrant(by, role, await this.roles.resolve(role))) throw new AppError('forbidden', `the role "${by.role}" may not create "${role}" keys`, 'role');
    return this.create(name, role, { ...options, departments: grantedDepartments(by, options.departments) });
  }

  async verify(token: string): Promise<Actor | null> {
    if (!token.startsWith(PREFIX)) return null;
    const row = await this.repo.live(hash(token));
    const now = this.clock.now();
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return null;
    if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_EVERY_MS) await this.repo.touch(row.id, now, now - LAST_USED_EVERY_MS);
    const granted = (await this.roles.permissionsOf(row.role)) ?? [];
    return { id: row.id, name: row.name, role: row.role, permissions: permissionsOf(granted, row.scopes), departments: departmentSet(row.departments) };
  }

  /** The keys a caller may manage: a limited caller sees those within its own departments only. */
  async list(by: Pick<Actor, 'departments'>): Promise<TokenView[]> {
    return (await this.repo.all()).map(view).filter((k) => covers(by, k.departments));
  }

  async get(id: string): Promise<TokenView | null> {
    const row = await this.repo.byId(id);
    return row ? view(row) : null;
  }

  async revoke(by: Actor, id: string): Promise<TokenView> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('API key');
    if (!mayGrant(by, row.role, (await this.roles.permissionsOf(row.role)) ?? [])) {
      throw new AppError('forbidden', `the role "${by.role}" may not revoke "${row.role}" keys`);
    }
    const revokedAt = row.revoked_at ?? this.clock.now();
    await this.repo.revoke(id, revokedAt);
    return view({ ...row, revoked_at: revokedAt });
  }

  async count(): Promise<number> {
    return this.repo.count();
  }
}

function view(row: TokenRecord): TokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scopes: row.scopes,
    departments: row.departments,
    expiresAt: isoTimeOrNull(row.expires_at),
    createdAt: isoTime(row.created_at),
    lastUsedAt: isoTimeOrNull(row.last_used_at),
    revokedAt: isoTimeOrNull(row.revoked_at),
  };
}

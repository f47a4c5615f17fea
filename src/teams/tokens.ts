import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { newId, randomToken } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import type { Actor, Role } from './actor.ts';

const PREFIX = 'hm_';
// Tokens are 256 random bits, so one fast hash is enough: only the hash is stored.
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class TokenService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Returns the token itself: shown once, never stored. */
  async create(name: string, role: Role): Promise<{ id: string; token: string }> {
    const token = PREFIX + randomToken(32);
    const id = newId(this.clock.now());
    await this.db
      .insertInto('api_tokens')
      .values({ id, name, role, token_hash: hash(token), created_at: this.clock.now(), last_used_at: null, revoked_at: null })
      .execute();
    return { id, token };
  }

  async verify(token: string): Promise<Actor | null> {
    if (!token.startsWith(PREFIX)) return null;
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role'])
      .where('token_hash', '=', hash(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { id: row.id, name: row.name, role: row.role as Role } : null;
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

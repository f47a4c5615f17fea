import type { Kysely } from 'kysely';
import type { ApiTokensTable, Database } from '../storage/schema.ts';
import type { Permission } from '../shared/actor.ts';
import { departmentList, parsedOrNull, permissionList } from './json-columns.ts';

/** An API key's row with its scopes and departments parsed. */
export type TokenRecord = Omit<ApiTokensTable, 'scopes' | 'departments'> & { scopes: Permission[] | null; departments: string[] | null };

const record = (r: ApiTokensTable): TokenRecord => ({
  ...r, scopes: parsedOrNull(permissionList, r.scopes), departments: parsedOrNull(departmentList, r.departments),
});
const listed = (list: readonly string[] | null) => (list === null ? null : JSON.stringify(list));

/** API keys, found by the hash of their token. */
export class TokenRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(t: TokenRecord): Promise<void> {
    await this.db.insertInto('api_tokens').values({ ...t, scopes: listed(t.scopes), departments: listed(t.departments) }).execute();
  }

  /** A key not revoked, by its hash. */
  async live(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
    return row && record(row);
  }

  /** Conditional, so instances that see the same key in the same minute write it once. */
  async touch(id: string, now: number, unlessSince: number): Promise<void> {
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', unlessSince)]))
      .execute();
  }

  async all(): Promise<TokenRecord[]> {
    return (await this.db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute()).map(record);
  }

  async byId(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  async revoke(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

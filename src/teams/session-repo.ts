import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../storage/schema.ts';
import { departmentList, parsedOrNull } from './json-columns.ts';

/** Console sessions, found by the hash of their token. */
export class SessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: SessionsTable): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  /** The session and the person it signs in, unless that person is disabled. */
  async withUser(tokenHash: string) {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id', 'users.name', 'users.role', 'users.departments', 'sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.token_hash', '=', tokenHash)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    return row && { ...row, departments: parsedOrNull(departmentList, row.departments) };
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }
}

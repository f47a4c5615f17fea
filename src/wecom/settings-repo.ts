import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../storage/schema.ts';

const KEY = 'wecom';
const stored = z.object({ sealed: z.string() });

/** The WeCom settings row: sealed text only, opened by the service that holds the key. */
export class WeComSettingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async save(sealed: string, now: number): Promise<void> {
    const value = JSON.stringify({ sealed });
    await this.db
      .insertInto('settings')
      .values({ key: KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  async sealed(): Promise<{ sealed: string; updatedAt: number } | undefined> {
    const row = await this.db.selectFrom('settings').select(['value', 'updated_at']).where('key', '=', KEY).executeTakeFirst();
    return row && { sealed: stored.parse(JSON.parse(row.value)).sealed, updatedAt: row.updated_at };
  }
}

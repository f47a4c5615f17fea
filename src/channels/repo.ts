import type { Kysely } from 'kysely';
import type { ChannelsTable, Database } from '../storage/schema.ts';

/** The channels table: a flat list of nodes, each naming its parent. */
export class ChannelRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async codeTaken(code: string): Promise<boolean> {
    return (await this.db.selectFrom('channels').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async insert(row: ChannelsTable): Promise<void> {
    await this.db.insertInto('channels').values(row).execute();
  }

  async update(id: string, patch: Partial<Pick<ChannelsTable, 'name' | 'parent_id'>>, now: number): Promise<void> {
    await this.db.updateTable('channels').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
  }

  /** Every channel, by code. */
  all(): Promise<ChannelsTable[]> {
    return this.db.selectFrom('channels').selectAll().orderBy('code').execute();
  }

  /** Each channel and its parent, in no particular order. */
  links(): Promise<{ id: string; parent_id: string | null }[]> {
    return this.db.selectFrom('channels').select(['id', 'parent_id']).execute();
  }
}

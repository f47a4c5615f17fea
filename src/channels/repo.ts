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

  /** What still points at the channel: its sub-channels and the codes (archived ones too) that belong to it. */
  async dependants(id: string): Promise<{ children: number; codes: number }> {
    const count = (table: 'channels' | 'codes', column: 'parent_id' | 'channel_id') =>
      this.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where(column, '=', id).executeTakeFirstOrThrow();
    const [children, codes] = await Promise.all([count('channels', 'parent_id'), count('codes', 'channel_id')]);
    return { children: Number(children.n), codes: Number(codes.n) };
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('channels').where('id', '=', id).execute();
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

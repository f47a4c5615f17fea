import type { Kysely } from 'kysely';
import type { ContactWaysTable, Database } from '../storage/schema.ts';

/** The contact ways made for each (code, member). */
export class ContactWayRepo {
  constructor(private readonly db: Kysely<Database>) {}

  ofCode(codeId: string): Promise<ContactWaysTable[]> {
    return this.db.selectFrom('contact_ways').selectAll().where('code_id', '=', codeId).execute();
  }

  of(codeId: string, staffId: string): Promise<ContactWaysTable | undefined> {
    return this.db.selectFrom('contact_ways').selectAll().where('code_id', '=', codeId).where('staff_id', '=', staffId).executeTakeFirst();
  }

  /** Deletes the member's way on the code (only the one with `configId`, when given). */
  async delete(codeId: string, staffId: string, configId?: string): Promise<void> {
    let query = this.db.deleteFrom('contact_ways').where('code_id', '=', codeId).where('staff_id', '=', staffId);
    if (configId !== undefined) query = query.where('config_id', '=', configId);
    await query.execute();
  }

  /** Stores a way unless the member has one on the code already; true when it was stored. */
  async insert(way: ContactWaysTable): Promise<boolean> {
    const inserted = await this.db
      .insertInto('contact_ways')
      .values(way)
      .onConflict((oc) => oc.columns(['code_id', 'staff_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}

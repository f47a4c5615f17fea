import type { Kysely } from 'kysely';
import type { Database, StoreMatchesTable } from '../storage/schema.ts';

/** Region-code matches, one row each. */
export class StoreMatchRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores a match; when it sent the scan to a member, the scan learns that member in the same transaction,
   * as a staff code's scan does, so customers who add them are traced to it.
   */
  async insert(row: StoreMatchesTable): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('store_matches').values(row).execute();
      if (row.scan_id && row.staff_id) {
        await trx.updateTable('scans').set({ staff_id: row.staff_id }).where('id', '=', row.scan_id).where('code_id', '=', row.code_id).execute();
      }
    });
  }

  /** A visitor's latest matches to a store on this code, newest first. */
  async recentStores(codeId: string, visitorId: string, limit: number): Promise<{ storeId: string; city: string }[]> {
    const rows = await this.db
      .selectFrom('store_matches')
      .select(['store_id', 'store_city'])
      .where('code_id', '=', codeId)
      .where('visitor_id', '=', visitorId)
      .where('store_id', 'is not', null)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ storeId: r.store_id!, city: r.store_city! }));
  }

  /** The store a member was last matched at for this code, up to `before`. */
  async storeOf(codeId: string, staffId: string, before: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('store_matches')
      .select('store_id')
      .where('code_id', '=', codeId)
      .where('staff_id', '=', staffId)
      .where('at', '<=', before)
      .where('store_id', 'is not', null)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.store_id ?? null;
  }
}

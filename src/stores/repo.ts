import type { Kysely } from 'kysely';
import { z } from 'zod';
import { scheduleSchema } from '../routing/model.ts';
import type { WorkSchedule } from '../routing/schedule.ts';
import { bumpRevision } from '../storage/revisions.ts';
import type { Database, StoreRow } from '../storage/schema.ts';

const INSERT_CHUNK = 200;
const IN_CHUNK = 500;
const staffIds = z.array(z.string());
const attributes = z.record(z.string(), z.unknown());

/** A store row with its JSON columns parsed. */
export interface StoreRecord extends Omit<StoreRow, 'staff_ids' | 'open_hours' | 'attributes'> {
  staff_ids: string[];
  open_hours: WorkSchedule | null;
  attributes: Record<string, unknown>;
}

export interface StoreFilter {
  q?: string | undefined;
  province?: string | undefined;
  city?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const record = (r: StoreRow): StoreRecord => ({
  ...r,
  staff_ids: staffIds.parse(JSON.parse(r.staff_ids)),
  open_hours: r.open_hours === null ? null : scheduleSchema.parse(JSON.parse(r.open_hours)),
  attributes: attributes.parse(JSON.parse(r.attributes)),
});

/** The stores table; every write bumps the stores revision in its transaction, so every instance reloads its catalog. */
export class StoreRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(rows: readonly StoreRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto('stores').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      await bumpRevision(trx, 'stores');
    });
  }

  async update(id: string, row: Omit<StoreRow, 'id' | 'created_at'>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('stores').set(row).where('id', '=', id).execute();
      await bumpRevision(trx, 'stores');
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('stores').where('id', 'in', [...ids]).execute();
      await bumpRevision(trx, 'stores');
    });
  }

  /** Moves members' places at stores, given as each store's new staff list; the revision moves only when a store changed. */
  async setStaff(changes: ReadonlyMap<string, string[]>, now: number): Promise<void> {
    if (changes.size === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const [id, ids] of changes) await trx.updateTable('stores').set({ staff_ids: JSON.stringify(ids), updated_at: now }).where('id', '=', id).execute();
      await bumpRevision(trx, 'stores');
    });
  }

  async byId(id: string): Promise<StoreRecord | undefined> {
    const row = await this.db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  async list(filter: StoreFilter): Promise<StoreRecord[]> {
    let query = this.db.selectFrom('stores').selectAll().orderBy('id').limit(filter.limit);
    if (filter.q) query = query.where('name', 'like', `%${filter.q.replace(/[\\%_]/g, '')}%`);
    if (filter.province) query = query.where('province', '=', filter.province);
    if (filter.city) query = query.where('city', '=', filter.city);
    if (filter.cursor) query = query.where('id', '>', filter.cursor);
    return (await query.execute()).map(record);
  }

  async all(): Promise<StoreRecord[]> {
    return (await this.db.selectFrom('stores').selectAll().orderBy('id').execute()).map(record);
  }

  /** Stores that may list this member (a text match; the caller checks the parsed list). */
  async mentioning(staffId: string): Promise<Pick<StoreRecord, 'id' | 'staff_ids'>[]> {
    const rows = await this.db.selectFrom('stores').select(['id', 'staff_ids']).where('staff_ids', 'like', `%${staffId}%`).execute();
    return rows.map((r) => ({ id: r.id, staff_ids: staffIds.parse(JSON.parse(r.staff_ids)) }));
  }

  /** Which of these ids are stores. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      for (const r of await this.db.selectFrom('stores').select('id').where('id', 'in', ids.slice(i, i + IN_CHUNK)).execute()) found.add(r.id);
    }
    return found;
  }
}

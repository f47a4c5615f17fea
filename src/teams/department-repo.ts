import { sql, type Kysely } from 'kysely';
import type { Database, DepartmentsTable } from '../storage/schema.ts';
import { bumpRevision } from '../storage/revisions.ts';

/** How many of each kind of thing name a department. */
export interface DepartmentUses {
  departments: number;
  codes: number;
  staff: number;
  materials: number;
  users: number;
  keys: number;
  webhooks: number;
}

/** The department tree. */
export class DepartmentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async nameTaken(name: string): Promise<boolean> {
    return (await this.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  async insert(row: DepartmentsTable): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values(row).execute();
      // Staff rosters hold the department tree.
      await bumpRevision(trx, 'roster');
    });
  }

  all(): Promise<DepartmentsTable[]> {
    return this.db.selectFrom('departments').selectAll().orderBy('name').execute();
  }

  /** Each department and its parent, in no particular order. */
  links(): Promise<{ id: string; parent_id: string | null }[]> {
    return this.db.selectFrom('departments').select(['id', 'parent_id']).execute();
  }

  /** False when there is no such department. */
  async rename(id: string, name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('departments').set({ name }).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await bumpRevision(trx, 'roster');
      return true;
    });
  }

  /**
   * Deletes the department unless anything still names it (sub-departments, codes, staff, materials,
   * people, live API keys, webhooks): then nothing is deleted and the counts of what names it are answered.
   * The check and the delete share one transaction.
   */
  async removeUnused(id: string): Promise<{ deleted: boolean; uses: DepartmentUses }> {
    return this.db.transaction().execute(async (trx) => {
      // A department list is a JSON array of ids: the quoted id appears in it exactly when it is listed.
      const listed = `%${JSON.stringify(id)}%`;
      const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) =>
        Number((await query.executeTakeFirstOrThrow()).n);
      const n = sql<number>`count(*)`.as('n');
      const uses: DepartmentUses = {
        departments: await count(trx.selectFrom('departments').select(n).where('parent_id', '=', id)),
        codes: await count(trx.selectFrom('codes').select(n).where('department_id', '=', id)),
        staff: await count(trx.selectFrom('staff').select(n).where('department_id', '=', id)),
        materials: await count(trx.selectFrom('materials').select(n).where('department_id', '=', id)),
        users: await count(trx.selectFrom('users').select(n).where('departments', 'like', listed)),
        keys: await count(trx.selectFrom('api_tokens').select(n).where('departments', 'like', listed).where('revoked_at', 'is', null)),
        webhooks: await count(trx.selectFrom('webhooks').select(n).where('departments', 'like', listed)),
      };
      if (Object.values(uses).some((k) => k > 0)) return { deleted: false, uses };
      const result = await trx.deleteFrom('departments').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows > 0n) await bumpRevision(trx, 'roster');
      return { deleted: result.numDeletedRows > 0n, uses };
    });
  }

  async existing(ids: readonly string[]): Promise<Set<string>> {
    return new Set((await this.db.selectFrom('departments').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
  }
}

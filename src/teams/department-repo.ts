import type { Kysely } from 'kysely';
import type { Database, DepartmentsTable } from '../storage/schema.ts';
import { bumpRevision } from '../storage/revisions.ts';

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

  async existing(ids: readonly string[]): Promise<Set<string>> {
    return new Set((await this.db.selectFrom('departments').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
  }
}

import { sql, type Kysely } from 'kysely';
import type { Database, MaterialsTable } from '../storage/schema.ts';
import { inList } from '../storage/in-list.ts';

export type MaterialRow = Omit<MaterialsTable, 'data'>;

const META = ['id', 'name', 'kind', 'mime', 'size', 'width', 'height', 'sha256', 'department_id', 'created_at', 'updated_at'] as const;
const WORKSPACE = 'default';

export interface MaterialFilter {
  kind?: string | undefined;
  cursor?: string | undefined;
  limit: number;
  /** Only materials of these departments (a caller limited to some); null: all. */
  departments: ReadonlySet<string> | null;
}

/** The materials table (metadata and bytes) and the workspace's usage row. */
export class MaterialRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores a material if the workspace's materials stay within `quota` bytes with it. The usage row
   * is raised by one conditional update first: a concurrent upload waits on that row, then sees the
   * bytes this one took (or, on PostgreSQL's repeatable read, fails and is answered 409).
   */
  insertWithin(row: MaterialsTable, quota: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .updateTable('material_usage')
        .set({ used: sql<number>`used + ${row.size}` })
        .where('workspace', '=', WORKSPACE)
        .where(sql<boolean>`used + ${row.size} <= ${quota}`)
        .executeTakeFirst();
      if (taken.numUpdatedRows !== 1n) return false;
      await trx.insertInto('materials').values(row).execute();
      return true;
    });
  }

  /** Deletes a material and gives its bytes back to the quota; false when it was already gone. */
  delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('materials').where('id', '=', id).returning('size').executeTakeFirst();
      if (!gone) return false;
      await trx.updateTable('material_usage').set({ used: sql<number>`used - ${gone.size}` }).where('workspace', '=', WORKSPACE).execute();
      return true;
    });
  }

  async used(): Promise<number> {
    const row = await this.db.selectFrom('material_usage').select('used').where('workspace', '=', WORKSPACE).executeTakeFirstOrThrow();
    return Number(row.used);
  }

  byId(id: string): Promise<MaterialRow | undefined> {
    return this.db.selectFrom('materials').select(META).where('id', '=', id).executeTakeFirst();
  }

  async content(id: string): Promise<{ mime: string; sha256: string; data: Buffer } | undefined> {
    const row = await this.db.selectFrom('materials').select(['mime', 'sha256', 'data']).where('id', '=', id).executeTakeFirst();
    return row && { ...row, data: Buffer.from(row.data) };
  }

  list(f: MaterialFilter): Promise<MaterialRow[]> {
    let query = this.db.selectFrom('materials').select(META).orderBy('id', 'desc').limit(f.limit);
    if (f.cursor) query = query.where('id', '<', f.cursor);
    if (f.kind) query = query.where('kind', '=', f.kind);
    if (f.departments) query = query.where('department_id', 'in', inList(f.departments));
    return query.execute();
  }

  async rename(id: string, name: string, now: number): Promise<void> {
    await this.db.updateTable('materials').set({ name, updated_at: now }).where('id', '=', id).execute();
  }
}

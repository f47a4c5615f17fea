import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import { bumpRevision } from '../storage/revisions.ts';

export interface DepartmentView {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

/** The departments (华东, 华南, …) that codes belong to and that keys and people can be limited to. */
export class DepartmentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private readonly listeners: (() => void)[] = [];

  /** Called after every committed change (staff rosters follow the tree). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async create(name: string, parentId: string | null = null): Promise<DepartmentView> {
    if (parentId !== null) await this.check([parentId], 'parentId');
    if (await this.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst()) {
      throw new AppError('conflict', `a department named ${name} exists already`, 'name');
    }
    const now = this.clock.now();
    const row = { id: `dep_${newId(now)}`, name, parent_id: parentId, created_at: now };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('departments').values(row).execute();
      // Staff rosters hold the department tree.
      await bumpRevision(trx, 'roster');
    });
    for (const listener of this.listeners) listener();
    return { id: row.id, name, parentId, createdAt: new Date(now).toISOString() };
  }

  async list(): Promise<DepartmentView[]> {
    const rows = await this.db.selectFrom('departments').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id, createdAt: new Date(r.created_at).toISOString() }));
  }

  /** Refuses, naming `field`, any id that is not a department. */
  async check(ids: readonly string[], field: string): Promise<void> {
    if (ids.length === 0) return;
    const found = new Set((await this.db.selectFrom('departments').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
    const unknown = ids.find((id) => !found.has(id));
    if (unknown !== undefined) throw invalid(field, `no department ${unknown}`);
  }
}

import type { Kysely } from 'kysely';
import type { Permission } from '../shared/actor.ts';
import type { Database } from '../storage/schema.ts';
import { permissionList } from './json-columns.ts';

/** The workspace's own roles (built-in ones live in code). */
export class RoleRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async permissionsOf(name: string): Promise<Permission[] | undefined> {
    const row = await this.db.selectFrom('roles').select('permissions').where('name', '=', name).executeTakeFirst();
    return row && permissionList.parse(JSON.parse(row.permissions));
  }

  async insert(name: string, permissions: readonly Permission[], now: number): Promise<void> {
    await this.db.insertInto('roles').values({ name, permissions: JSON.stringify(permissions), created_at: now }).execute();
  }

  async all(): Promise<{ name: string; permissions: Permission[] }[]> {
    const rows = await this.db.selectFrom('roles').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, permissions: permissionList.parse(JSON.parse(r.permissions)) }));
  }
}

import type { Kysely, Migration } from 'kysely';

/** Department scope reaches the operation log and webhooks. */
export function migrationDepartmentScope(): Migration {
  return {
    async up(db: Kysely<any>) {
      // The department an entry is about, so a limited caller reads only its own departments' entries.
      await db.schema.alterTable('audit_log').addColumn('department_id', 'text').execute();
      await db.schema.createIndex('audit_log_department').on('audit_log').columns(['department_id', 'id']).execute();
      // A subscription made by a limited key hears only its departments' events.
      await db.schema.alterTable('webhooks').addColumn('departments', 'text').execute();
    },
  };
}

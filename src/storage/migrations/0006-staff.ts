import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../engine.ts';

export function migrationStaff(engine: Engine): Migration {
  return {
    async up(db: Kysely<any>) {
      // Departments form a tree (华东 > 上海 > 徐汇店).
      await db.schema.alterTable('departments').addColumn('parent_id', 'text').execute();
      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text')
        .addColumn('wecom_userid', 'text', (c) => c.unique())
        .addColumn('contact_qr_url', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('weight', 'integer', (c) => c.notNull())
        .addColumn('daily_limit', 'integer')
        .addColumn('schedule', 'text')
        .addColumn('skills', 'text', (c) => c.notNull())
        .addColumn('efficiency', sql.raw(engine === 'postgres' ? 'double precision' : 'real'), (c) => c.notNull())
        .addColumn('max_open', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_department').on('staff').columns(['department_id', 'id']).execute();
    },
  };
}

import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../engine.ts';

/**
 * The material library: images kept in the database, so every instance serves the same ones and
 * a backup of the database is a backup of them. `material_usage` is one row per workspace whose
 * conditional update admits an upload: concurrent uploads queue on it, and never both take the
 * last free bytes.
 */
export function migrationMaterials(engine: Engine): Migration {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('materials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text')
        .addColumn('data', sql.raw(blob), (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('materials_kind').on('materials').columns(['kind', 'id']).execute();
      await db.schema.createIndex('materials_department').on('materials').columns(['department_id', 'id']).execute();
      await db.schema
        .createTable('material_usage')
        .addColumn('workspace', 'text', (c) => c.primaryKey())
        .addColumn('used', 'bigint', (c) => c.notNull())
        .execute();
      await db.insertInto('material_usage').values({ workspace: 'default', used: 0 }).execute();
    },
  };
}

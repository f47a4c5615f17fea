import { type Kysely, type Migration } from 'kysely';

export function migrationChannels(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('parent_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('codes').addColumn('channel_id', 'text').execute();
    },
  };
}

import { type Kysely, type Migration } from 'kysely';

export function migrationWecomInbox(): Migration {
  return {
    async up(db: Kysely<any>) {
      // WeCom callbacks as received: acknowledged at once, processed after; the dedupe key makes
      // WeCom's retries of one event land once.
      await db.schema
        .createTable('wecom_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('change_type', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('processed_at', 'bigint')
        .execute();
      await db.schema.createIndex('wecom_events_pending').on('wecom_events').columns(['processed_at', 'id']).execute();
    },
  };
}

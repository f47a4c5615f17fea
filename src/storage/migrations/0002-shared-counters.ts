import { sql, type Kysely, type Migration } from 'kysely';

export function migrationSharedCounters(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('codes').addColumn('device_limit', 'text').execute();

      // A code's served-scan count, split in shards so concurrent scan batches update different rows.
      await db.schema
        .createTable('code_scan_counts')
        .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
        .addColumn('shard', 'integer', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('code_scan_counts_pk', ['code_id', 'shard'])
        .execute();
      await sql`insert into code_scan_counts (code_id, shard, n) select id, 0, scan_count from codes where scan_count > 0`.execute(db);
      await db.schema.alterTable('codes').dropColumn('scan_count').execute();

      // Counts shared by every instance (scan caps, per-device limits) when Redis is not used.
      await db.schema
        .createTable('counters')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .execute();
      await db.schema.createIndex('counters_expires_at').on('counters').column('expires_at').execute();

      // Background work claimed by one instance at a time: a row per task, leased while it runs.
      await db.schema
        .createTable('cluster_tasks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('next_run_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'bigint')
        .addColumn('last_run_at', 'bigint')
        .addColumn('last_run_by', 'text')
        .addColumn('last_error', 'text')
        .execute();
    },
  };
}

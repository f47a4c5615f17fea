import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Engine } from './engine.ts';

/** One list of migrations for both engines; where a type differs, it is chosen here. */
export function migrationProvider(engine: Engine): MigrationProvider {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  const migrations: Record<string, Migration> = {
    '0001-live-codes': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('codes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('rules', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('time_zone', 'text', (c) => c.notNull())
          .addColumn('valid_from', 'bigint')
          .addColumn('valid_until', 'bigint')
          .addColumn('max_scans', 'bigint')
          .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('expired_url', 'text')
          .addColumn('note', 'text')
          .addColumn('archived_at', 'bigint')
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('scan_count', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('codes_name').on('codes').column('name').execute();

        await db.schema
          .createTable('code_tags')
          .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
          .addColumn('tag', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('code_tags_pk', ['code_id', 'tag'])
          .execute();
        await db.schema.createIndex('code_tags_tag').on('code_tags').columns(['tag', 'code_id']).execute();

        await db.schema
          .createTable('code_versions')
          .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('changes', 'text', (c) => c.notNull())
          .addColumn('snapshot', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('code_versions_pk', ['code_id', 'version'])
          .execute();

        await db.schema
          .createTable('code_logos')
          .addColumn('code_id', 'text', (c) => c.primaryKey().references('codes.id').onDelete('cascade'))
          .addColumn('mime', 'text', (c) => c.notNull())
          .addColumn('data', sql.raw(blob), (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('scans')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
          .addColumn('scanned_at', 'bigint', (c) => c.notNull())
          .addColumn('local_date', 'text', (c) => c.notNull())
          .addColumn('local_hour', 'integer', (c) => c.notNull())
          .addColumn('local_weekday', 'integer', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('rule_index', 'integer')
          .addColumn('rule_name', 'text')
          .addColumn('destination', 'text')
          .addColumn('visitor_id', 'text', (c) => c.notNull())
          .addColumn('new_visitor', 'integer', (c) => c.notNull())
          .addColumn('is_bot', 'integer', (c) => c.notNull())
          .addColumn('os', 'text', (c) => c.notNull())
          .addColumn('os_version', 'text')
          .addColumn('browser', 'text')
          .addColumn('browser_version', 'text')
          .addColumn('device_type', 'text')
          .addColumn('device_vendor', 'text')
          .addColumn('device_model', 'text')
          .addColumn('in_wechat', 'integer', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('country', 'text')
          .addColumn('province', 'text')
          .addColumn('city', 'text')
          .addColumn('referrer', 'text')
          .addColumn('user_agent', 'text')
          .execute();
        await db.schema.createIndex('scans_code_id').on('scans').columns(['code_id', 'id']).execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
      },
    },
    '0002-shared-counters': {
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
    },
    '0003-webhooks': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('webhooks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('events', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('secret_sealed', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('disabled_reason', 'text')
          .addColumn('failing_since', 'bigint')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        // The outbox: written in the same transaction as the change it reports, delivered later.
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('locked_until', 'bigint')
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .execute();
        await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
        await db.schema.createIndex('webhook_deliveries_webhook').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();

        await db.schema
          .createTable('webhook_attempts')
          .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('status', 'integer')
          .addColumn('error', 'text')
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
          .execute();
      },
    },
    '0004-keys-and-audit': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('api_tokens').addColumn('scopes', 'text').execute();
        await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();

        // Append-only: the product has no way to change or remove an entry.
        await db.schema
          .createTable('audit_log')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text')
          .addColumn('ip', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('object_type', 'text')
          .addColumn('object_id', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_log_object').on('audit_log').columns(['object_type', 'object_id', 'id']).execute();
        await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'id']).execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('totp_sealed', 'text')
          .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('disabled_at', 'bigint')
          .addColumn('departments', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema.alterTable('codes').addColumn('printed', 'integer', (c) => c.notNull().defaultTo(0)).execute();

        // Departments scope who sees what: a code belongs to one (or to the whole workspace), a
        // key or a user may be limited to some.
        await db.schema
          .createTable('departments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.alterTable('codes').addColumn('department_id', 'text').execute();
        await db.schema.createIndex('codes_department').on('codes').columns(['department_id', 'id']).execute();
        await db.schema.alterTable('api_tokens').addColumn('departments', 'text').execute();
        await db.schema
          .createTable('roles')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('permissions', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        // A change held for approval, with the version it was made against.
        await db.schema
          .createTable('proposals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('code_id', 'text', (c) => c.notNull().references('codes.id').onDelete('cascade'))
          .addColumn('base_version', 'integer', (c) => c.notNull())
          .addColumn('patch', 'text', (c) => c.notNull())
          .addColumn('changes', 'text', (c) => c.notNull())
          .addColumn('proposer_id', 'text', (c) => c.notNull())
          .addColumn('proposer_name', 'text', (c) => c.notNull())
          .addColumn('levels', 'text', (c) => c.notNull())
          .addColumn('decisions', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('decided_at', 'bigint')
          .execute();
        await db.schema.createIndex('proposals_status').on('proposals').columns(['status', 'id']).execute();

        // Console sessions: only a hash of the cookie's token is kept.
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0005-wecom-inbox': {
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
    },
    '0006-staff': {
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
    },
    '0007-channels': {
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
    },
  };
  return { getMigrations: async () => migrations };
}

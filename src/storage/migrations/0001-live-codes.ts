import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../engine.ts';

export function migrationLiveCodes(engine: Engine): Migration {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  return {
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
  };
}

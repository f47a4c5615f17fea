import { sql, type Kysely, type Migration } from 'kysely';

/** Staff codes, the customers they bring and the WeCom contact ways behind them. */
export function migrationStaffCodes(): Migration {
  return {
    async up(db: Kysely<any>) {
      // A staff code's members, strategy, overflow and welcome messages (JSON); null on URL codes.
      await db.schema.alterTable('codes').addColumn('staff', 'text').execute();
      // A region code's stores and service area (JSON); null on other codes.
      await db.schema.alterTable('codes').addColumn('region', 'text').execute();
      await db.schema.alterTable('staff').addColumn('avatar_url', 'text').execute();
      // Which member a scan was sent to; a device's repeat scan goes to the same one.
      await db.schema.alterTable('scans').addColumn('staff_id', 'text').execute();
      // Partial: only scans sent to a member are indexed, so URL-code scans (the bulk) pay nothing for it
      // (a full index cost a third of SQLite's scan throughput).
      await db.schema
        .createIndex('scans_code_visitor')
        .on('scans')
        .columns(['code_id', 'visitor_id', 'scanned_at'])
        .where(sql.ref('staff_id'), 'is not', null)
        .execute();
      // Claimed by one instance at a time; attempts counted so a poison event cannot loop forever.
      await db.schema.alterTable('wecom_events').addColumn('claimed_until', 'bigint').execute();
      await db.schema.alterTable('wecom_events').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('wecom_events').addColumn('last_error', 'text').execute();

      await db.schema
        .createTable('contact_ways')
        .addColumn('code_id', 'text', (c) => c.notNull())
        .addColumn('staff_id', 'text', (c) => c.notNull())
        // The member's WeCom userid when it was made: a changed userid needs a new way.
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('config_id', 'text', (c) => c.notNull())
        .addColumn('qr_code', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('contact_ways_pk', ['code_id', 'staff_id'])
        .execute();

      await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('external_userid', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('avatar', 'text')
        .addColumn('staff_id', 'text')
        .addColumn('first_code_id', 'text')
        .addColumn('first_channel_id', 'text')
        .addColumn('last_code_id', 'text')
        .addColumn('last_channel_id', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('customers_last_seen').on('customers').columns(['last_seen_at', 'id']).execute();

      await db.schema
        .createTable('customer_touches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        // The WeCom event it came from: the same event twice is one touch.
        .addColumn('event_key', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('code_id', 'text')
        .addColumn('channel_id', 'text')
        .addColumn('staff_id', 'text')
        .addColumn('scan_id', 'text')
        .addColumn('welcome_variant', 'integer')
        .addColumn('welcome_status', 'text')
        .execute();
      await db.schema.createIndex('customer_touches_customer').on('customer_touches').columns(['customer_id', 'at']).execute();
      await db.schema.createIndex('customer_touches_code').on('customer_touches').columns(['code_id', 'customer_id']).execute();
      await db.schema.createIndex('customer_touches_channel').on('customer_touches').columns(['channel_id', 'customer_id']).execute();
    },
  };
}

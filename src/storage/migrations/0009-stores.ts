import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../engine.ts';

/** Stores for region codes, and each scanner's match (coarse, sealed location only). */
export function migrationStores(engine: Engine): Migration {
  const real = sql.raw(engine === 'postgres' ? 'double precision' : 'real');
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('stores')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('province', 'text', (c) => c.notNull())
        .addColumn('province_code', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('city_code', 'text', (c) => c.notNull())
        .addColumn('district', 'text')
        .addColumn('district_code', 'text')
        .addColumn('address', 'text', (c) => c.notNull())
        // WGS-84, whatever system the coordinates were given in.
        .addColumn('lat', real, (c) => c.notNull())
        .addColumn('lng', real, (c) => c.notNull())
        .addColumn('staff_ids', 'text', (c) => c.notNull())
        .addColumn('open_hours', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('area_tag', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('stores_city').on('stores').columns(['city', 'id']).execute();

      await db.schema
        .createTable('store_matches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code_id', 'text', (c) => c.notNull())
        .addColumn('scan_id', 'text')
        .addColumn('visitor_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('consent', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        // About 1 km, AES-GCM sealed under HUOMA_SECRET; the exact position is never stored.
        .addColumn('coarse', 'text')
        .addColumn('store_id', 'text')
        .addColumn('store_city', 'text')
        .addColumn('staff_id', 'text')
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('fallback', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('store_matches_visitor').on('store_matches').columns(['code_id', 'visitor_id', 'at']).execute();
      await db.schema.createIndex('store_matches_staff').on('store_matches').columns(['code_id', 'staff_id', 'at']).execute();
    },
  };
}

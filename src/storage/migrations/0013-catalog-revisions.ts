import type { Kysely, Migration } from 'kysely';

/**
 * A revision per catalog the scan path keeps in memory (staff roster, stores), raised in the
 * transaction of every change to it: an instance asks for this one row, not the whole catalog, to
 * learn whether its copy is still current.
 */
export function migrationCatalogRevisions(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('catalog_revisions')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('revision', 'bigint', (c) => c.notNull())
        .execute();
      await db.insertInto('catalog_revisions').values([{ name: 'roster', revision: 0 }, { name: 'stores', revision: 0 }]).execute();
    },
  };
}

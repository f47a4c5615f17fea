import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A catalog the scan path keeps in memory, checked against the database by its revision. */
export type Catalog = 'roster' | 'stores';

/**
 * Raises the catalog's revision: call it in the transaction that changes the catalog, so no
 * instance can see the change without the new revision, nor the revision without the change.
 */
export async function bumpRevision(db: Kysely<Database>, catalog: Catalog): Promise<void> {
  await db.updateTable('catalog_revisions').set((eb) => ({ revision: eb('revision', '+', 1) })).where('name', '=', catalog).execute();
}

/** The catalog's revision now: one row, cheap to ask after every staleness bound. */
export async function readRevision(db: Kysely<Database>, catalog: Catalog): Promise<number> {
  const row = await db.selectFrom('catalog_revisions').select('revision').where('name', '=', catalog).executeTakeFirstOrThrow();
  // PostgreSQL answers a bigint as a string.
  return Number(row.revision);
}

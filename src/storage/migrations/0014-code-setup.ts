import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A code type's own part (a staff code's roster, a region code's stores) moves from a column per
 * type to one `setup` column, so a new type stores its part without a column, a migration or a
 * change to the codes repo: which part it is follows from the code's `type`.
 */
export function migrationCodeSetup(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('codes').addColumn('setup', 'text').execute();
      await sql`update codes set setup = coalesce(staff, region)`.execute(db);
      await db.schema.alterTable('codes').dropColumn('staff').execute();
      await db.schema.alterTable('codes').dropColumn('region').execute();
    },
  };
}

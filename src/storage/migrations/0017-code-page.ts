import type { Kysely, Migration } from 'kysely';

/** A code's landing-page design (images from the material library, guide text, colours), as JSON; null: the plain pages. */
export function migrationCodePage(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('codes').addColumn('page', 'text').execute();
    },
  };
}

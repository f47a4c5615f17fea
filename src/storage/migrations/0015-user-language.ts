import type { Kysely, Migration } from 'kysely';

/** The console's language each person chose (`zh-CN`, `en`); null until they choose: the console then follows the browser. */
export function migrationUserLanguage(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('lang', 'text').execute();
    },
  };
}

import { type Kysely, type Migration } from 'kysely';

/** Each member's open conversations as last reported by the customer-service system (maxOpen reads them). */
export function migrationOpenConversations(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('staff_open_conversations')
        .addColumn('staff_id', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('reported_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}

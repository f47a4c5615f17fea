import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Second factors: the last time-step accepted per user (a code is refused once used, on every
 * instance), and a new secret being set up apart from the one in force, so starting a replacement
 * never switches the factor off.
 */
export function migrationTotpReplay(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
      await db.schema.alterTable('users').addColumn('totp_pending_sealed', 'text').execute();
      // A secret never confirmed was a setup in progress.
      await sql`update users set totp_pending_sealed = totp_sealed, totp_sealed = null where totp_enabled = 0 and totp_sealed is not null`.execute(db);
    },
  };
}

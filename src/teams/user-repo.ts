import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../storage/schema.ts';
import { departmentList, parsedOrNull } from './json-columns.ts';

/** A user row with its department list parsed. */
export type UserRecord = Omit<UserRow, 'departments'> & { departments: string[] | null };
export type UserChanges = Partial<Pick<UserRecord, 'name' | 'role' | 'disabled_at' | 'departments'>> & { updated_at: number };

const record = (r: UserRow): UserRecord => ({ ...r, departments: parsedOrNull(departmentList, r.departments) });
const stored = (departments: string[] | null) => (departments === null ? null : JSON.stringify(departments));

/** People who sign in, their second factor and (when they are disabled) their sessions. */
export class UserRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async emailTaken(email: string): Promise<boolean> {
    return (await this.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
  }

  /** Whether anyone can sign in yet (disabled people count: the first-run setup is over once a person exists). */
  async exists(): Promise<boolean> {
    return (await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
  }

  async setLang(id: string, lang: string): Promise<void> {
    await this.db.updateTable('users').set({ lang }).where('id', '=', id).execute();
  }

  async insert(user: UserRecord): Promise<void> {
    await this.db.insertInto('users').values({ ...user, departments: stored(user.departments) }).execute();
  }

  async all(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('id').execute()).map(record);
  }

  async byId(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  /** Someone who may sign in with this email (not disabled). */
  async activeByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).where('disabled_at', 'is', null).executeTakeFirst();
    return row && record(row);
  }

  /**
   * Applies `changes` only if the person is still at version `readAt` (false otherwise, nothing written); in the
   * same transaction a disabled person's sessions end and `alongside` (the log entry) is written.
   */
  update(id: string, readAt: number, changes: UserChanges, alongside: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
    const { departments, ...rest } = changes;
    const set = departments === undefined ? rest : { ...rest, departments: stored(departments) };
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('users').set(set).where('id', '=', id).where('updated_at', '=', readAt).executeTakeFirst();
      if (result.numUpdatedRows !== 1n) return false;
      if (changes.disabled_at) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await alongside(trx);
      return true;
    });
  }

  async setPendingTotp(id: string, sealed: string): Promise<void> {
    await this.db.updateTable('users').set({ totp_pending_sealed: sealed }).where('id', '=', id).execute();
  }

  /** The pending secret comes into force, its code's time-step spent. */
  async confirmTotp(id: string, sealed: string, step: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ totp_sealed: sealed, totp_pending_sealed: null, totp_enabled: 1, totp_last_step: step })
      .where('id', '=', id)
      .execute();
  }

  /** Claims a time-step for the factor `sealed`, if it is still in force and the step is newer than the last one claimed. */
  async claimTotpStep(id: string, sealed: string, step: number): Promise<boolean> {
    const claimed = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where('totp_sealed', '=', sealed)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return claimed.numUpdatedRows > 0n;
  }
}

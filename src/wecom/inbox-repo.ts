import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, WeComEventsTable } from '../storage/schema.ts';

const fields = z.record(z.string(), z.string());
export type CallbackFields = z.output<typeof fields>;

export interface InboxEvent {
  id: string;
  fields: CallbackFields;
  receivedAt: number;
  attempts: number;
}

/** The table of WeCom callbacks received, each claimed by one instance at a time. */
export class WeComInboxRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Up to `limit` events not done, tried fewer than `maxAttempts` times and not held by a lease at `now`, each
   * claimed until `leaseUntil` by one conditional update, so two instances never work on the same event.
   */
  async claim(now: number, leaseUntil: number, limit: number, maxAttempts: number): Promise<InboxEvent[]> {
    const due = await this.db
      .selectFrom('wecom_events')
      .select(['id', 'payload', 'received_at', 'attempts'])
      .where('processed_at', 'is', null)
      .where('attempts', '<', maxAttempts)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: InboxEvent[] = [];
    for (const row of due) {
      const result = await this.db
        .updateTable('wecom_events')
        .set({ claimed_until: leaseUntil, attempts: row.attempts + 1 })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .executeTakeFirst();
      if (result.numUpdatedRows === 1n) {
        claimed.push({ id: row.id, fields: fields.parse(JSON.parse(row.payload)), receivedAt: row.received_at, attempts: row.attempts + 1 });
      }
    }
    return claimed;
  }

  async done(id: string, now: number): Promise<void> {
    await this.db.updateTable('wecom_events').set({ processed_at: now, claimed_until: null, last_error: null }).where('id', '=', id).execute();
  }

  async failed(id: string, error: string, retryAt: number): Promise<void> {
    await this.db.updateTable('wecom_events').set({ claimed_until: retryAt, last_error: error }).where('id', '=', id).execute();
  }

  /** Stores the event unless one with its dedupe key is stored; true when it was new. */
  async insert(event: Omit<WeComEventsTable, 'payload' | 'claimed_until' | 'last_error'> & { fields: CallbackFields }): Promise<boolean> {
    const { fields: payload, ...row } = event;
    const result = await this.db
      .insertInto('wecom_events')
      .values({ ...row, payload: JSON.stringify(payload) })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}

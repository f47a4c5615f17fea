import { detached } from '../storage/ambient-transaction.ts';
import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';

export type CallbackFields = Record<string, string>;

/**
 * WeCom retries a callback it thinks failed: an event is known by its change type, member,
 * customer and time, and stored once however often it comes.
 */
export const dedupeKey = (f: CallbackFields) =>
  [f.Event ?? f.MsgType ?? '', f.ChangeType ?? '', f.UserID ?? f.FromUserName ?? '', f.ExternalUserID ?? '', f.CreateTime ?? ''].join('|');

export interface InboxEvent {
  id: string;
  fields: CallbackFields;
  receivedAt: number;
  attempts: number;
}

/** An event that failed this often is left alone (kept with its error) rather than retried forever. */
export const MAX_ATTEMPTS = 8;

/** Callbacks as received, answered at once and worked through afterwards. */
export class WeComInbox {
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Told of every new event, so the worker starts at once (a welcome message has 20 s). */
  onReceive(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Events due for work, each claimed for `leaseMs` by one conditional update, so two instances
   * never work on the same event; a holder that died loses it when the lease ends.
   */
  async claim(limit: number, leaseMs: number): Promise<InboxEvent[]> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('wecom_events')
      .select(['id', 'payload', 'received_at', 'attempts'])
      .where('processed_at', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: InboxEvent[] = [];
    for (const row of due) {
      const result = await this.db
        .updateTable('wecom_events')
        .set({ claimed_until: now + leaseMs, attempts: row.attempts + 1 })
        .where('id', '=', row.id)
        .where('attempts', '=', row.attempts)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .executeTakeFirst();
      if (result.numUpdatedRows === 1n) claimed.push({ id: row.id, fields: JSON.parse(row.payload), receivedAt: row.received_at, attempts: row.attempts + 1 });
    }
    return claimed;
  }

  async done(id: string): Promise<void> {
    await this.db.updateTable('wecom_events').set({ processed_at: this.clock.now(), claimed_until: null, last_error: null }).where('id', '=', id).execute();
  }

  /** Tried again after `retryMs` (the lease is shortened to it), the error kept for whoever looks. */
  async failed(id: string, error: string, retryMs: number): Promise<void> {
    await this.db.updateTable('wecom_events').set({ claimed_until: this.clock.now() + retryMs, last_error: error.slice(0, 1000) }).where('id', '=', id).execute();
  }

  /** Stores the event; false when it was stored before (a retry), which changes nothing. */
  async receive(fields: CallbackFields): Promise<boolean> {
    const now = this.clock.now();
    const result = await this.db
      .insertInto('wecom_events')
      .values({
        id: newId(now), dedupe_key: dedupeKey(fields), event: fields.Event ?? fields.MsgType ?? 'unknown', change_type: fields.ChangeType ?? null,
        payload: JSON.stringify(fields), received_at: now, processed_at: null, attempts: 0,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    const fresh = Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    // The worker reads the event once it is committed, not from inside the transaction that receives it.
    if (fresh) for (const listener of this.listeners) detached(listener);
    return fresh;
  }
}

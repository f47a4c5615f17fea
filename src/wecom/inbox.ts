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

/** Callbacks as received, answered at once and worked through afterwards. */
export class WeComInbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

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
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async pending(limit: number): Promise<{ id: string; fields: CallbackFields }[]> {
    const rows = await this.db.selectFrom('wecom_events').select(['id', 'payload']).where('processed_at', 'is', null).orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, fields: JSON.parse(r.payload) }));
  }
}

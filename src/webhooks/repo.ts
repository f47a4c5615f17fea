import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Engine } from '../storage/engine.ts';
import type { Database, DeliveryRow, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookRow } from '../storage/schema.ts';

export type NewDelivery = Insertable<WebhookDeliveriesTable>;
export type ClaimedDelivery = DeliveryRow & Pick<WebhookRow, 'url' | 'secret_sealed' | 'failing_since'>;
const INSERT_CHUNK = 100;
const names = z.array(z.string());

/** A subscription with its event types and departments parsed. */
export type WebhookRecord = Omit<WebhookRow, 'events' | 'departments'> & { events: string[]; departments: string[] | null };

type Lists = 'events' | 'departments';

function record<R extends Pick<WebhookRow, Lists>>(row: R): Omit<R, Lists> & Pick<WebhookRecord, Lists> {
  return { ...row, events: names.parse(JSON.parse(row.events)), departments: row.departments === null ? null : names.parse(JSON.parse(row.departments)) };
}

export class WebhookRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  async insert(hook: WebhookRecord): Promise<void> {
    const row = { ...hook, events: JSON.stringify(hook.events), departments: hook.departments && JSON.stringify(hook.departments) };
    await this.db.insertInto('webhooks').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<WebhookRecord, 'departments'>>): Promise<boolean> {
    const { events, ...rest } = patch;
    const set = events === undefined ? rest : { ...rest, events: JSON.stringify(events) };
    const result = await this.db.updateTable('webhooks').set(set).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  async byId(id: string): Promise<WebhookRecord | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  async list(): Promise<WebhookRecord[]> {
    return (await this.db.selectFrom('webhooks').selectAll().orderBy('id', 'desc').execute()).map(record);
  }

  /** Read inside the change's own transaction, so a subscription made a moment ago is never missed. */
  async subscribers(trx: Transaction<Database>): Promise<Pick<WebhookRecord, 'id' | 'events' | 'departments'>[]> {
    return (await trx.selectFrom('webhooks').select(['id', 'events', 'departments']).where('enabled', '=', 1).execute()).map(record);
  }

  async insertDeliveries(rows: NewDelivery[], db: Kysely<Database> | Transaction<Database> = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insertInto('webhook_deliveries').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }

  /**
   * Leases up to `limit` due deliveries to this instance. On PostgreSQL, `skip locked` lets every
   * instance claim a different batch at once; SQLite has one writer and needs no such care.
   */
  async claimDue(now: number, leaseUntil: number, limit: number): Promise<ClaimedDelivery[]> {
    const lock = this.engine === 'postgres' ? sql`for update skip locked` : sql``;
    const { rows } = await sql<DeliveryRow>`
      update webhook_deliveries set locked_until = ${leaseUntil}
      where id in (
        select id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until < ${now})
          and webhook_id in (select id from webhooks where enabled = 1)
        order by next_attempt_at limit ${limit} ${lock})
      returning *`.execute(this.db);
    if (rows.length === 0) return [];
    const hooks = await this.db
      .selectFrom('webhooks')
      .select(['id', 'url', 'secret_sealed', 'failing_since'])
      .where('id', 'in', [...new Set(rows.map((r) => r.webhook_id))])
      .execute();
    const byId = new Map(hooks.map((h) => [h.id, h]));
    return rows.flatMap((r) => {
      const hook = byId.get(r.webhook_id);
      return hook ? [{ ...r, url: hook.url, secret_sealed: hook.secret_sealed, failing_since: hook.failing_since }] : [];
    });
  }

  /** One attempt's outcome: the delivery's new state, its log line, and the subscription's health, together. */
  async recordAttempt(
    delivery: Pick<DeliveryRow, 'id' | 'webhook_id'>,
    next: Pick<WebhookDeliveriesTable, 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at'>,
    attempt: Insertable<WebhookAttemptsTable>,
    health: { ok: true } | { ok: false; now: number; disableReason: string | null },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('webhook_deliveries').set({ ...next, locked_until: null }).where('id', '=', delivery.id).execute();
      await trx.insertInto('webhook_attempts').values(attempt).execute();
      const hook = trx.updateTable('webhooks').where('id', '=', delivery.webhook_id);
      if (health.ok) {
        await hook.set({ failing_since: null }).execute();
      } else {
        await hook.set({ failing_since: sql`coalesce(failing_since, ${health.now})` }).execute();
        if (health.disableReason !== null) {
          await trx.updateTable('webhooks').set({ enabled: 0, disabled_reason: health.disableReason }).where('id', '=', delivery.webhook_id).execute();
        }
      }
    });
  }

  async deliveries(webhookId: string, opts: { limit: number; cursor?: string | undefined; status?: string | undefined }) {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(opts.limit);
    if (opts.cursor) query = query.where('id', '<', opts.cursor);
    if (opts.status) query = query.where('status', '=', opts.status);
    const rows = await query.execute();
    const attempts = rows.length
      ? await this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('attempt').execute()
      : [];
    return rows.map((row) => ({ row, attempts: attempts.filter((a) => a.delivery_id === row.id) }));
  }

  delivery(webhookId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

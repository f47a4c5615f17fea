import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../storage/schema.ts';
import { inList } from '../storage/in-list.ts';
import { ATTRIBUTION_MODELS, firstAndLast, type AttributionModel } from './attribution.ts';

const SETTINGS_KEY = 'attribution';
const tagList = z.array(z.string());
const attributionSetting = z.object({ model: z.enum(ATTRIBUTION_MODELS) });

export interface AddTouch {
  /** The WeCom event it came from: the same event twice is one touch. */
  eventKey: string;
  externalUserId: string;
  name: string | null;
  avatar: string | null;
  staffId: string | null;
  codeId: string | null;
  channelId: string | null;
  scanId: string | null;
  at: number;
}

export interface CustomerFilter {
  codeId?: string | undefined;
  /** The channel and everything below it. */
  channelIds?: string[] | undefined;
  staffId?: string | undefined;
  tag?: string | undefined;
  /** Part of the name, any case. */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export type TouchRow = Database['customer_touches'];
export type CustomerRecord = Omit<Database['customers'], 'tags'> & { tags: string[] };

const record = (row: Database['customers']): CustomerRecord => ({ ...row, tags: tagList.parse(JSON.parse(row.tags)) });

/** Customers and their touches in SQL; which touch a customer is credited to is the service's to say. */
export class CustomerRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts an add (ids fresh from the caller) unless its event was recorded before, and recomputes the
   * customer's first and last touch; `fresh` is false for an event seen before.
   */
  recordAdd(add: AddTouch, ids: { touch: string; customer: string }, now: number) {
    return this.db.transaction().execute(async (trx) => {
      const customerId = await this.upsert(trx, add, ids.customer);
      const inserted = await trx
        .insertInto('customer_touches')
        .values({
          id: ids.touch, customer_id: customerId, event_key: add.eventKey, kind: 'add', at: add.at, code_id: add.codeId, channel_id: add.channelId,
          staff_id: add.staffId, scan_id: add.scanId, welcome_variant: null, welcome_status: null,
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
        const earlier = await trx
          .selectFrom('customer_touches')
          .select(['id', 'welcome_status'])
          .where('event_key', '=', add.eventKey)
          .executeTakeFirstOrThrow();
        return { customerId, touchId: earlier.id, fresh: false, welcomeStatus: earlier.welcome_status };
      }
      await this.reattribute(trx, customerId, now);
      return { customerId, touchId: ids.touch, fresh: true, welcomeStatus: null };
    });
  }

  holderOf(externalUserId: string): Promise<{ id: string; staff_id: string | null } | undefined> {
    return this.db.selectFrom('customers').select(['id', 'staff_id']).where('external_userid', '=', externalUserId).executeTakeFirst();
  }

  /** A lost touch; the customer is marked lost when the member who lost them is the one they belong to. */
  async recordLost(customer: { id: string; staff_id: string | null }, touch: { id: string; eventKey: string; staffId: string | null; at: number }) {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('customer_touches')
        .values({
          id: touch.id, customer_id: customer.id, event_key: touch.eventKey, kind: 'lost', at: touch.at, code_id: null, channel_id: null,
          staff_id: touch.staffId, scan_id: null, welcome_variant: null, welcome_status: null,
        })
        .onConflict((oc) => oc.column('event_key').doNothing())
        .execute();
      if (customer.staff_id === touch.staffId) await trx.updateTable('customers').set({ status: 'lost' }).where('id', '=', customer.id).execute();
    });
  }

  async setWelcome(touchId: string, variant: number | null, status: string): Promise<void> {
    await this.db.updateTable('customer_touches').set({ welcome_variant: variant, welcome_status: status }).where('id', '=', touchId).execute();
  }

  async addTags(customerId: string, tags: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('customers').select('tags').where('id', '=', customerId).executeTakeFirstOrThrow();
      const merged = [...new Set([...tagList.parse(JSON.parse(row.tags)), ...tags])];
      await trx.updateTable('customers').set({ tags: JSON.stringify(merged) }).where('id', '=', customerId).execute();
    });
  }

  async heldBy(staffId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('customers').select('external_userid').where('staff_id', '=', staffId).where('status', '=', 'active').execute();
    return rows.map((r) => r.external_userid);
  }

  async transferred(externalUserIds: readonly string[], toStaffId: string): Promise<void> {
    await this.db.updateTable('customers').set({ staff_id: toStaffId }).where('external_userid', 'in', [...externalUserIds]).execute();
  }

  async knows(externalUserId: string, staffId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('customer_touches')
      .innerJoin('customers', 'customers.id', 'customer_touches.customer_id')
      .select('customer_touches.id')
      .where('customers.external_userid', '=', externalUserId)
      .where('customer_touches.staff_id', '=', staffId)
      .where('customer_touches.kind', '=', 'add')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Per channel: adds in [from, to), and customers first seen then credited (by `model`) to it. */
  async byChannel(from: number, to: number, staffIds: readonly string[] | null, model: AttributionModel) {
    const only = staffIds === null ? null : inList(staffIds);
    let adds = this.db
      .selectFrom('customer_touches')
      .select((eb) => ['channel_id as channel', eb.fn.countAll<number>().as('n')])
      .where('kind', '=', 'add').where('at', '>=', from).where('at', '<', to).where('channel_id', 'is not', null)
      .groupBy('channel_id');
    if (only) adds = adds.where('staff_id', 'in', only);
    const column = model === 'first_touch' ? 'first_channel_id' : 'last_channel_id';
    let customers = this.db
      .selectFrom('customers')
      .select((eb) => [`${column} as channel`, eb.fn.countAll<number>().as('n')])
      .where('first_seen_at', '>=', from).where('first_seen_at', '<', to).where(column, 'is not', null)
      .groupBy(column);
    if (only) customers = customers.where('staff_id', 'in', only);
    const toMap = (rows: { channel: string | null; n: number }[]) => new Map(rows.map((r) => [r.channel!, Number(r.n)]));
    return { adds: toMap(await adds.execute()), customers: toMap(await customers.execute()) };
  }

  async welcomeOutcomes(codeId: string): Promise<{ variant: number | null; status: string | null; adds: number }[]> {
    const rows = await this.db
      .selectFrom('customer_touches')
      .select((eb) => ['welcome_variant as variant', 'welcome_status as status', eb.fn.countAll<number>().as('adds')])
      .where('code_id', '=', codeId)
      .where('kind', '=', 'add')
      .groupBy(['welcome_variant', 'welcome_status'])
      .execute();
    return rows.map((r) => ({ variant: r.variant, status: r.status, adds: Number(r.adds) }));
  }

  async model(): Promise<AttributionModel | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    return row && attributionSetting.parse(JSON.parse(row.value)).model;
  }

  async setModel(model: AttributionModel, now: number): Promise<void> {
    const value = JSON.stringify({ model });
    await this.db
      .insertInto('settings')
      .values({ key: SETTINGS_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  /** A page of customers, newest first; code and channel filters read the columns of the given model. */
  async list(filter: CustomerFilter, model: AttributionModel): Promise<CustomerRecord[]> {
    const code = model === 'first_touch' ? 'first_code_id' : 'last_code_id';
    const channel = model === 'first_touch' ? 'first_channel_id' : 'last_channel_id';
    let query = this.db.selectFrom('customers').selectAll().orderBy('id', 'desc').limit(filter.limit);
    if (filter.codeId) query = query.where(code, '=', filter.codeId);
    if (filter.channelIds) query = query.where(channel, 'in', filter.channelIds.length ? filter.channelIds : ['']);
    if (filter.staffId) query = query.where('staff_id', '=', filter.staffId);
    if (filter.tag) {
      // Tags are a JSON list: look for the quoted tag, its LIKE wildcards escaped (SQLite has no default escape).
      const pattern = `%${JSON.stringify(filter.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`tags like ${pattern} escape '\\'`);
    }
    if (filter.q) {
      const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
    }
    if (filter.cursor) query = query.where('id', '<', filter.cursor);
    return (await query.execute()).map(record);
  }

  async get(id: string): Promise<CustomerRecord | undefined> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  /** Each customer's touches in time order. */
  async touchesOf(ids: string[]): Promise<Map<string, TouchRow[]>> {
    const out = new Map<string, TouchRow[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.selectFrom('customer_touches').selectAll().where('customer_id', 'in', ids).orderBy('at').orderBy('id').execute();
    for (const t of rows) out.set(t.customer_id, [...(out.get(t.customer_id) ?? []), t]);
    return out;
  }

  private async upsert(trx: Transaction<Database>, add: AddTouch, newId: string): Promise<string> {
    const existing = await trx.selectFrom('customers').select('id').where('external_userid', '=', add.externalUserId).executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('customers')
        .set((eb) => ({
          name: add.name ?? eb.ref('name'),
          avatar: add.avatar ?? eb.ref('avatar'),
          status: 'active',
          staff_id: add.staffId ?? eb.ref('staff_id'),
        }))
        .where('id', '=', existing.id)
        .execute();
      return existing.id;
    }
    await trx
      .insertInto('customers')
      .values({
        id: newId, external_userid: add.externalUserId, name: add.name, avatar: add.avatar, staff_id: add.staffId, first_code_id: null, first_channel_id: null,
        last_code_id: null, last_channel_id: null, tags: '[]', status: 'active', first_seen_at: add.at, last_seen_at: add.at,
      })
      .onConflict((oc) => oc.column('external_userid').doNothing())
      .execute();
    // Two events of one new customer at once: the other insert won, use its row.
    return (await trx.selectFrom('customers').select('id').where('external_userid', '=', add.externalUserId).executeTakeFirstOrThrow()).id;
  }

  /** First and last touch recomputed from every add, so a late (reconciled) add lands in its place in time. */
  private async reattribute(trx: Transaction<Database>, customerId: string, now: number): Promise<void> {
    const adds = await trx
      .selectFrom('customer_touches')
      .select(['at', 'code_id', 'channel_id', 'id'])
      .where('customer_id', '=', customerId)
      .where('kind', '=', 'add')
      .orderBy('id')
      .execute();
    const { first, last } = firstAndLast(adds.map((t) => ({ at: t.at, codeId: t.code_id, channelId: t.channel_id })));
    await trx
      .updateTable('customers')
      .set({
        first_code_id: first?.codeId ?? null, first_channel_id: first?.channelId ?? null, first_seen_at: first?.at ?? now,
        last_code_id: last?.codeId ?? null, last_channel_id: last?.channelId ?? null, last_seen_at: last?.at ?? now,
      })
      .where('id', '=', customerId)
      .execute();
  }
}

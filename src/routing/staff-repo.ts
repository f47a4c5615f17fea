import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, StaffRow } from '../storage/schema.ts';
import { bumpRevision } from '../storage/revisions.ts';
import { inList } from '../storage/in-list.ts';
import { scheduleSchema, STAFF_STATUSES, type StaffView } from './model.ts';
import type { OpenReport } from './open-conversations.ts';
import type { StaffStatus } from './pick-staff.ts';

const IN_CHUNK = 500;
const skills = z.array(z.string());
const status = z.enum(STAFF_STATUSES);

/** A member as stored: what the API shows, with times as epoch ms. */
export type StaffRecord = Omit<StaffView, 'openConversations' | 'createdAt' | 'updatedAt'> & { createdAt: number; updatedAt: number };
export type StaffFields = Omit<StaffRecord, 'id' | 'createdAt' | 'updatedAt'>;

const record = (r: StaffRow): StaffRecord => ({
  id: r.id, name: r.name, departmentId: r.department_id, wecomUserId: r.wecom_userid, contactQrUrl: r.contact_qr_url, avatarUrl: r.avatar_url,
  status: status.parse(r.status), weight: r.weight, dailyLimit: r.daily_limit,
  schedule: r.schedule === null ? null : scheduleSchema.parse(JSON.parse(r.schedule)), skills: skills.parse(JSON.parse(r.skills)),
  efficiency: Number(r.efficiency), maxOpen: r.max_open, createdAt: r.created_at, updatedAt: r.updated_at,
});

const toRow = (s: StaffFields) => ({
  name: s.name, department_id: s.departmentId, wecom_userid: s.wecomUserId, contact_qr_url: s.contactQrUrl, avatar_url: s.avatarUrl, status: s.status,
  weight: s.weight, daily_limit: s.dailyLimit, schedule: s.schedule === null ? null : JSON.stringify(s.schedule), skills: JSON.stringify(s.skills),
  efficiency: s.efficiency, max_open: s.maxOpen,
});

/** Staff members and their reported open conversations; a change to a member bumps the roster revision in its transaction. */
export class StaffRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(id: string, fields: StaffFields, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('staff').values({ id, ...toRow(fields), created_at: now, updated_at: now }).execute();
      await bumpRevision(trx, 'roster');
    });
  }

  async update(id: string, fields: StaffFields, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('staff').set({ ...toRow(fields), updated_at: now }).where('id', '=', id).execute();
      await bumpRevision(trx, 'roster');
    });
  }

  async list(filter: { departments?: ReadonlySet<string> | null; status?: StaffStatus | undefined } = {}): Promise<StaffRecord[]> {
    let query = this.db.selectFrom('staff').selectAll().orderBy('id');
    if (filter.departments) query = query.where('department_id', 'in', inList(filter.departments));
    if (filter.status) query = query.where('status', '=', filter.status);
    return (await query.execute()).map(record);
  }

  async byId(id: string): Promise<StaffRecord | undefined> {
    const row = await this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    return row && record(row);
  }

  /** The id of the member with this WeCom userid, if any. */
  async withWecomUserId(userId: string): Promise<string | undefined> {
    return (await this.db.selectFrom('staff').select('id').where('wecom_userid', '=', userId).executeTakeFirst())?.id;
  }

  /** The department of each of these members that exists (absent: no such member). */
  async departmentsOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await this.db.selectFrom('staff').select(['id', 'department_id']).where('id', 'in', ids.slice(i, i + IN_CHUNK)).execute();
      for (const r of rows) out.set(r.id, r.department_id);
    }
    return out;
  }

  async openReportOf(staffId: string): Promise<OpenReport | undefined> {
    const row = await this.db.selectFrom('staff_open_conversations').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
    return row && { count: row.count, reportedAt: Number(row.reported_at) };
  }

  async openReports(): Promise<Map<string, OpenReport>> {
    const rows = await this.db.selectFrom('staff_open_conversations').selectAll().execute();
    return new Map(rows.map((r) => [r.staff_id, { count: r.count, reportedAt: Number(r.reported_at) }]));
  }

  /** One row per member, replacing what they reported before. */
  async reportOpen(rows: readonly { staff_id: string; count: number; reported_at: number }[]): Promise<void> {
    await this.db
      .insertInto('staff_open_conversations')
      .values([...rows])
      .onConflict((oc) => oc.column('staff_id').doUpdateSet((eb) => ({ count: eb.ref('excluded.count'), reported_at: eb.ref('excluded.reported_at') })))
      .execute();
  }
}

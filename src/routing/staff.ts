import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Database, StaffRow } from '../storage/schema.ts';
import { bumpRevision } from '../storage/revisions.ts';
import type { CreateStaffInput, OpenConversationsView, StaffView, UpdateStaffInput } from './model.ts';
import { isFresh, type OpenReport } from './open-conversations.ts';
import type { StaffStatus } from './pick-staff.ts';
import { Roster, type RosterMember } from './roster.ts';
import { isoTime } from '../shared/time.ts';
import { inList } from '../storage/in-list.ts';

function view(r: StaffRow, open: OpenConversationsView | null = null): StaffView {
  return {
    id: r.id, name: r.name, departmentId: r.department_id, wecomUserId: r.wecom_userid, contactQrUrl: r.contact_qr_url, avatarUrl: r.avatar_url, status: r.status as StaffStatus,
    weight: r.weight, dailyLimit: r.daily_limit, schedule: r.schedule === null ? null : JSON.parse(r.schedule), skills: JSON.parse(r.skills),
    efficiency: Number(r.efficiency), maxOpen: r.max_open, openConversations: open, createdAt: isoTime(r.created_at), updatedAt: isoTime(r.updated_at),
  };
}

const toRow = (s: Omit<StaffView, 'createdAt' | 'updatedAt' | 'id' | 'openConversations'>) => ({
  name: s.name, department_id: s.departmentId, wecom_userid: s.wecomUserId, contact_qr_url: s.contactQrUrl, avatar_url: s.avatarUrl, status: s.status, weight: s.weight,
  daily_limit: s.dailyLimit, schedule: s.schedule === null ? null : JSON.stringify(s.schedule), skills: JSON.stringify(s.skills), efficiency: s.efficiency, max_open: s.maxOpen,
});

/** The people scans are routed to. */
export class StaffService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Refuses, naming the field, a department that does not exist (the teams domain's). */
    private readonly checkDepartment: (id: string, field: string) => Promise<void>,
  ) {}

  private readonly listeners: (() => void)[] = [];
  private readonly openListeners: (() => void)[] = [];

  /** Called after every committed change, so rosters cached for scans are rebuilt. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Called after open conversations are reported, so the counts cached for scans are read again. */
  onOpenReported(listener: () => void): void {
    this.openListeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Everyone with the department tree, as the scan path routes with it. */
  async roster(): Promise<Roster> {
    const [rows, departments] = await Promise.all([
      this.db.selectFrom('staff').selectAll().execute(),
      this.db.selectFrom('departments').select(['id', 'parent_id']).execute(),
    ]);
    const members = new Map<string, RosterMember>(rows.map((r) => {
      const v = view(r);
      return [v.id, { id: v.id, name: v.name, departmentId: v.departmentId, wecomUserId: v.wecomUserId, contactQrUrl: v.contactQrUrl, avatarUrl: v.avatarUrl,
        weight: v.weight, status: v.status, dailyLimit: v.dailyLimit, schedule: v.schedule, efficiency: v.efficiency, maxOpen: v.maxOpen }];
    }));
    return new Roster(members, new Map(departments.map((d) => [d.id, d.parent_id])));
  }

  async create(input: CreateStaffInput): Promise<StaffView> {
    if (input.departmentId !== null) await this.checkDepartment(input.departmentId, 'departmentId');
    await this.ensureUserIdFree(input.wecomUserId, null);
    const now = this.clock.now();
    const id = `stf_${newId(now)}`;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('staff').values({ id, ...toRow(input), created_at: now, updated_at: now }).execute();
      await bumpRevision(trx, 'roster');
    });
    this.changed();
    return this.get(id);
  }

  async list(filter: { departments: ReadonlySet<string> | null; status?: StaffStatus | undefined }): Promise<StaffView[]> {
    let query = this.db.selectFrom('staff').selectAll().orderBy('id');
    if (filter.departments) query = query.where('department_id', 'in', inList(filter.departments));
    if (filter.status) query = query.where('status', '=', filter.status);
    const [rows, open] = await Promise.all([query.execute(), this.openReports()]);
    return rows.map((r) => view(r, this.openView(open.get(r.id))));
  }

  async get(id: string): Promise<StaffView> {
    const row = await this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('staff member');
    const open = await this.db.selectFrom('staff_open_conversations').selectAll().where('staff_id', '=', id).executeTakeFirst();
    return view(row, this.openView(open && { count: open.count, reportedAt: Number(open.reported_at) }));
  }

  /** Every member's last reported open conversations, fresh or not: the scan path keeps them in memory. */
  async openReports(): Promise<Map<string, OpenReport>> {
    const rows = await this.db.selectFrom('staff_open_conversations').selectAll().execute();
    return new Map(rows.map((r) => [r.staff_id, { count: r.count, reportedAt: Number(r.reported_at) }]));
  }

  /** The customer-service system's numbers, stamped with our clock; members must exist (checked by the caller). */
  async reportOpen(counts: readonly { staffId: string; count: number }[]): Promise<void> {
    if (counts.length === 0) return;
    const now = this.clock.now();
    // One row per member, the last one given winning, in id order so concurrent reports lock alike.
    const latest = new Map(counts.map((c) => [c.staffId, c.count]));
    const rows = [...latest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([staff_id, count]) => ({ staff_id, count, reported_at: now }));
    await this.db
      .insertInto('staff_open_conversations')
      .values(rows)
      .onConflict((oc) => oc.column('staff_id').doUpdateSet((eb) => ({ count: eb.ref('excluded.count'), reported_at: eb.ref('excluded.reported_at') })))
      .execute();
    for (const listener of this.openListeners) listener();
  }

  /** The department of each of these members that exists (absent: no such member). */
  async departmentsOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('staff').select(['id', 'department_id']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((r) => [r.id, r.department_id]));
  }

  private openView(report: OpenReport | undefined): OpenConversationsView | null {
    if (!report) return null;
    return { count: report.count, reportedAt: isoTime(report.reportedAt), fresh: isFresh(report, this.clock.now()) };
  }

  async update(id: string, patch: UpdateStaffInput): Promise<StaffView> {
    const next = { ...(await this.get(id)), ...patch };
    if (!next.wecomUserId && !next.contactQrUrl) throw invalid('wecomUserId', 'a member needs a WeCom userid or a contact QR, or nobody could reach them');
    if (patch.departmentId) await this.checkDepartment(patch.departmentId, 'departmentId');
    await this.ensureUserIdFree(next.wecomUserId, id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('staff').set({ ...toRow(next), updated_at: this.clock.now() }).where('id', '=', id).execute();
      await bumpRevision(trx, 'roster');
    });
    this.changed();
    return this.get(id);
  }

  departmentOf(id: string): Promise<string | null | undefined> {
    return this.db.selectFrom('staff').select('department_id').where('id', '=', id).executeTakeFirst().then((r) => r?.department_id);
  }

  private async ensureUserIdFree(userId: string | null, self: string | null): Promise<void> {
    if (userId === null) return;
    const other = await this.db.selectFrom('staff').select('id').where('wecom_userid', '=', userId).executeTakeFirst();
    if (other && other.id !== self) throw new AppError('conflict', `another member has the WeCom userid ${userId}`, 'wecomUserId');
  }
}

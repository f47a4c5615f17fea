import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Database, StaffRow } from '../storage/schema.ts';
import type { CreateStaffInput, StaffView, UpdateStaffInput } from './model.ts';
import type { StaffStatus } from './pick-staff.ts';
import { Roster, type RosterMember } from './roster.ts';
import { isoTime } from '../shared/time.ts';

function view(r: StaffRow): StaffView {
  return {
    id: r.id, name: r.name, departmentId: r.department_id, wecomUserId: r.wecom_userid, contactQrUrl: r.contact_qr_url, avatarUrl: r.avatar_url, status: r.status as StaffStatus,
    weight: r.weight, dailyLimit: r.daily_limit, schedule: r.schedule === null ? null : JSON.parse(r.schedule), skills: JSON.parse(r.skills),
    efficiency: Number(r.efficiency), maxOpen: r.max_open, createdAt: isoTime(r.created_at), updatedAt: isoTime(r.updated_at),
  };
}

const toRow = (s: Omit<StaffView, 'createdAt' | 'updatedAt' | 'id'>) => ({
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

  /** Called after every committed change, so rosters cached for scans are rebuilt. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
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
    await this.db.insertInto('staff').values({ id, ...toRow(input), created_at: now, updated_at: now }).execute();
    this.changed();
    return this.get(id);
  }

  async list(filter: { departments: ReadonlySet<string> | null; status?: StaffStatus | undefined }): Promise<StaffView[]> {
    let query = this.db.selectFrom('staff').selectAll().orderBy('id');
    if (filter.departments) query = query.where('department_id', 'in', [...filter.departments, '']);
    if (filter.status) query = query.where('status', '=', filter.status);
    return (await query.execute()).map(view);
  }

  async get(id: string): Promise<StaffView> {
    const row = await this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('staff member');
    return view(row);
  }

  async update(id: string, patch: UpdateStaffInput): Promise<StaffView> {
    const next = { ...(await this.get(id)), ...patch };
    if (!next.wecomUserId && !next.contactQrUrl) throw invalid('wecomUserId', 'a member needs a WeCom userid or a contact QR, or nobody could reach them');
    if (patch.departmentId) await this.checkDepartment(patch.departmentId, 'departmentId');
    await this.ensureUserIdFree(next.wecomUserId, id);
    await this.db.updateTable('staff').set({ ...toRow(next), updated_at: this.clock.now() }).where('id', '=', id).execute();
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

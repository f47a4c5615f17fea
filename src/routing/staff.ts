import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { CreateStaffInput, OpenConversationsView, StaffView, UpdateStaffInput } from './model.ts';
import { isFresh, type OpenReport } from './open-conversations.ts';
import type { StaffStatus } from './pick-staff.ts';
import { Roster, type RosterMember } from './roster.ts';
import type { StaffRecord, StaffRepo } from './staff-repo.ts';
import { isoTime } from '../shared/time.ts';

/** The departments staff belong to (the teams domain's), as routing needs them. */
export interface DepartmentDirectory {
  /** Refuses, naming the field, any id that is not a department. */
  check(ids: readonly string[], field: string): Promise<void>;
  /** Each department's parent (null at the top). */
  tree(): Promise<ReadonlyMap<string, string | null>>;
}

const view = (r: StaffRecord, open: OpenConversationsView | null = null): StaffView => ({
  ...r, openConversations: open, createdAt: isoTime(r.createdAt), updatedAt: isoTime(r.updatedAt),
});

/** The people scans are routed to. */
export class StaffService {
  constructor(
    private readonly repo: StaffRepo,
    private readonly clock: Clock,
    private readonly departments: DepartmentDirectory,
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
    const [records, departments] = await Promise.all([this.repo.list(), this.departments.tree()]);
    const members = new Map<string, RosterMember>(records.map((v) => [v.id, {
      id: v.id, name: v.name, departmentId: v.departmentId, wecomUserId: v.wecomUserId, contactQrUrl: v.contactQrUrl, avatarUrl: v.avatarUrl,
      weight: v.weight, status: v.status, dailyLimit: v.dailyLimit, schedule: v.schedule, efficiency: v.efficiency, maxOpen: v.maxOpen,
    }]));
    return new Roster(members, departments);
  }

  async create(input: CreateStaffInput): Promise<StaffView> {
    if (input.departmentId !== null) await this.departments.check([input.departmentId], 'departmentId');
    await this.ensureUserIdFree(input.wecomUserId, null);
    const now = this.clock.now();
    const id = `stf_${newId(now)}`;
    await this.repo.insert(id, input, now);
    this.changed();
    return this.get(id);
  }

  async list(filter: { departments: ReadonlySet<string> | null; status?: StaffStatus | undefined }): Promise<StaffView[]> {
    const [records, open] = await Promise.all([this.repo.list(filter), this.openReports()]);
    return records.map((r) => view(r, this.openView(open.get(r.id))));
  }

  async get(id: string): Promise<StaffView> {
    const record = await this.repo.byId(id);
    if (!record) throw notFound('staff member');
    return view(record, this.openView(await this.repo.openReportOf(id)));
  }

  /** Every member's last reported open conversations, fresh or not: the scan path keeps them in memory. */
  openReports(): Promise<Map<string, OpenReport>> {
    return this.repo.openReports();
  }

  /** The customer-service system's numbers, stamped with our clock; members must exist (checked by the caller). */
  async reportOpen(counts: readonly { staffId: string; count: number }[]): Promise<void> {
    if (counts.length === 0) return;
    const now = this.clock.now();
    // One row per member, the last one given winning, in id order so concurrent reports lock alike.
    const latest = new Map(counts.map((c) => [c.staffId, c.count]));
    await this.repo.reportOpen([...latest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([staff_id, count]) => ({ staff_id, count, reported_at: now })));
    for (const listener of this.openListeners) listener();
  }

  /** The department of each of these members that exists (absent: no such member). */
  departmentsOf(ids: readonly string[]): Promise<Map<string, string | null>> {
    return this.repo.departmentsOf([...new Set(ids)]);
  }

  private openView(report: OpenReport | undefined): OpenConversationsView | null {
    if (!report) return null;
    return { count: report.count, reportedAt: isoTime(report.reportedAt), fresh: isFresh(report, this.clock.now()) };
  }

  async update(id: string, patch: UpdateStaffInput): Promise<StaffView> {
    const { openConversations: _open, createdAt: _created, updatedAt: _updated, id: _id, ...next } = { ...(await this.get(id)), ...patch };
    if (!next.wecomUserId && !next.contactQrUrl) throw invalid('wecomUserId', 'a member needs a WeCom userid or a contact QR, or nobody could reach them');
    if (patch.departmentId) await this.departments.check([patch.departmentId], 'departmentId');
    await this.ensureUserIdFree(next.wecomUserId, id);
    await this.repo.update(id, next, this.clock.now());
    this.changed();
    return this.get(id);
  }

  async departmentOf(id: string): Promise<string | null | undefined> {
    return (await this.repo.departmentsOf([id])).get(id);
  }

  private async ensureUserIdFree(userId: string | null, self: string | null): Promise<void> {
    if (userId === null) return;
    const other = await this.repo.withWecomUserId(userId);
    if (other !== undefined && other !== self) throw new AppError('conflict', `another member has the WeCom userid ${userId}`, 'wecomUserId');
  }
}

import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isoTime } from '../shared/time.ts';
import { attributed, type AttributionModel } from './attribution.ts';
import type { AddTouch, CustomerFilter, CustomerRecord, CustomerRepo, TouchRow } from './repo.ts';

const touchView = (t: TouchRow) => ({
  kind: t.kind, at: isoTime(t.at), codeId: t.code_id, channelId: t.channel_id, staffId: t.staff_id, scanId: t.scan_id,
  welcome: t.welcome_status === null ? null : { variant: t.welcome_variant, status: t.welcome_status },
});

/**
 * People who added a member through one of our codes: one identity per WeCom external user
 * across codes, every touch kept, credited to the first or the latest touch as the workspace chooses.
 */
export class CustomerService {
  constructor(
    private readonly repo: CustomerRepo,
    private readonly clock: Clock,
  ) {}

  /** Records an add; `fresh` is false when this event was recorded before (a retry or a replay). */
  recordAdd(add: AddTouch): Promise<{ customerId: string; touchId: string; fresh: boolean; welcomeStatus: string | null }> {
    const now = this.clock.now();
    return this.repo.recordAdd(add, { touch: `tch_${newId(now)}`, customer: `cus_${newId(now)}` }, now);
  }

  /** The customer deleted the member, or the member the customer. */
  async recordLost(eventKey: string, externalUserId: string, staffId: string | null, at: number): Promise<void> {
    const customer = await this.repo.holderOf(externalUserId);
    if (customer) await this.repo.recordLost(customer, { id: `tch_${newId(this.clock.now())}`, eventKey, staffId, at });
  }

  setWelcome(touchId: string, variant: number | null, status: string): Promise<void> {
    return this.repo.setWelcome(touchId, variant, status);
  }

  async addTags(customerId: string, tags: readonly string[]): Promise<void> {
    if (tags.length > 0) await this.repo.addTags(customerId, tags);
  }

  /** External user ids a member holds, for handing them to a colleague. */
  heldBy(staffId: string): Promise<string[]> {
    return this.repo.heldBy(staffId);
  }

  async transferred(externalUserIds: readonly string[], toStaffId: string): Promise<void> {
    if (externalUserIds.length > 0) await this.repo.transferred(externalUserIds, toStaffId);
  }

  /** Whether an add of this customer by this member is known (reconciliation asks before re-creating it). */
  knows(externalUserId: string, staffId: string): Promise<boolean> {
    return this.repo.knows(externalUserId, staffId);
  }

  /**
   * Per channel: adds in a range, and customers credited to it (by the workspace's model) first seen in the range.
   * `staffIds`: only adds to and customers of these members (a limited caller's own).
   */
  async byChannel(from: number, to: number, staffIds: readonly string[] | null): Promise<{ adds: Map<string, number>; customers: Map<string, number> }> {
    return this.repo.byChannel(from, to, staffIds, await this.model());
  }

  /** Adds through a code by welcome variant and outcome: the numbers for comparing variants. */
  welcomeOutcomes(codeId: string): Promise<{ variant: number | null; status: string | null; adds: number }[]> {
    return this.repo.welcomeOutcomes(codeId);
  }

  async model(): Promise<AttributionModel> {
    return (await this.repo.model()) ?? 'first_touch';
  }

  async setModel(model: AttributionModel): Promise<{ model: AttributionModel }> {
    await this.repo.setModel(model, this.clock.now());
    return { model };
  }

  async list(filter: CustomerFilter) {
    const model = await this.model();
    const rows = await this.repo.list(filter, model);
    const touches = await this.repo.touchesOf(rows.map((r) => r.id));
    const items = rows.map((r) => this.view(r, model, touches.get(r.id) ?? []));
    return { items, nextCursor: rows.length === filter.limit ? rows[rows.length - 1]!.id : null };
  }

  async get(id: string) {
    const row = await this.repo.get(id);
    if (!row) throw notFound('customer');
    return this.view(row, await this.model(), (await this.repo.touchesOf([id])).get(id) ?? []);
  }

  private view(r: CustomerRecord, model: AttributionModel, touches: TouchRow[]) {
    const first = { codeId: r.first_code_id, channelId: r.first_channel_id };
    const last = { codeId: r.last_code_id, channelId: r.last_channel_id };
    return {
      id: r.id, externalUserId: r.external_userid, name: r.name, avatar: r.avatar, staffId: r.staff_id, status: r.status, tags: r.tags,
      attribution: { model, ...attributed(model, { first, last }) },
      firstTouch: first, lastTouch: last,
      firstSeenAt: isoTime(r.first_seen_at), lastSeenAt: isoTime(r.last_seen_at),
      touches: touches.map(touchView),
    };
  }
}

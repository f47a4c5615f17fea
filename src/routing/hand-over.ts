import type { CodeService } from '../codes/service.ts';
import type { MemberEntry, StaffSetup } from './staff-setup.ts';
import type { CustomerService } from '../customers/service.ts';
import { AppError, invalid } from '../shared/errors.ts';
import { inScope, type Actor } from '../shared/actor.ts';
import type { AuditLog } from '../teams/audit.ts';
import type { WeComConnection } from '../wecom/connection.ts';
import type { StaffService } from './staff.ts';

const PER_TRANSFER = 100;

/** A list of ids with one replaced by another, once. */
const swapIn = (ids: readonly string[], from: string, to: string) => [...new Set(ids.map((id) => (id === from ? to : id)))];

/** A roster with one member's places given to another (merged where the other is listed already). */
export function replaceMember(setup: StaffSetup, from: string, to: string): Pick<StaffSetup, 'members' | 'memberRules' | 'backupStaffIds'> {
  const swap = (entries: MemberEntry[]) => {
    const out: MemberEntry[] = [];
    for (const e of entries) {
      const entry = e.staffId === from ? { ...e, staffId: to } : e;
      const twin = entry.staffId !== undefined ? out.find((o) => o.staffId === entry.staffId) : undefined;
      if (twin) twin.weight += entry.weight;
      else out.push({ ...entry });
    }
    return out;
  };
  return {
    members: swap(setup.members),
    memberRules: setup.memberRules.map((r) => ({ ...r, members: swap(r.members) })),
    backupStaffIds: swapIn(setup.backupStaffIds, from, to),
  };
}

/**
 * A member leaves: their places on staff codes go to a named colleague, their WeCom customers are
 * handed over (WeCom's transfer_customer), they are marked left, and all of it goes in the operation log.
 */
export class HandOver {
  constructor(
    private readonly staff: StaffService,
    private readonly codes: CodeService,
    private readonly customers: CustomerService,
    private readonly wecom: WeComConnection,
    private readonly audit: AuditLog,
    private readonly stores: { replaceStaff(from: string, to: string): Promise<string[]> },
  ) {}

  async leave(id: string, toId: string, actor: Actor, ip: string | null) {
    if (id === toId) throw invalid('handoverTo', 'hand over to someone else');
    const leaving = await this.staff.get(id);
    const taking = await this.staff.get(toId).catch(() => {
      throw invalid('handoverTo', `no staff member ${toId}`);
    });
    if (taking.status === 'left') throw invalid('handoverTo', `${taking.name} has left too`);
    // A limited caller hands over within its own departments only: to its own people, on its own codes.
    if (!inScope(actor, taking.departmentId)) throw new AppError('forbidden', `${taking.name} belongs to a department outside your scope`, 'handoverTo');
    const naming = await this.codes.staffCodesNaming(id);
    const outside = naming.find((code) => !inScope(actor, code.departmentId));
    if (outside) {
      throw new AppError(
        'forbidden',
        `code ${outside.id} names them and belongs to a department outside your scope; someone who holds it must hand over`,
        'handoverTo',
      );
    }

    const changed: string[] = [];
    const held: string[] = [];
    for (const code of naming) {
      const patch =
        'staff' in code ? replaceMember(code.staff, id, toId) : 'region' in code ? { backupStaffIds: swapIn(code.region.backupStaffIds, id, toId) } : null;
      if (!patch) continue;
      const result = await this.codes.update(code.id, patch, actor);
      ('proposal' in result ? held : changed).push(code.id);
    }
    const stores = await this.stores.replaceStaff(id, toId);
    const transfer = await this.transferCustomers(id, leaving.wecomUserId, taking.wecomUserId, toId);
    const staff = await this.staff.update(id, { status: 'left' });
    const detail = { to: { id: toId, name: taking.name }, codes: changed, heldForApproval: held, stores, customers: transfer };
    await this.audit.append({
      actor: { id: actor.id, name: actor.name }, ip, action: 'staff.hand_over', objectType: 'staff', objectId: id, outcome: 'ok',
      department: leaving.departmentId, detail,
    });
    return { staff, ...detail };
  }

  private async transferCustomers(fromId: string, from: string | null, to: string | null, toId: string) {
    const client = await this.wecom.client();
    const held = await this.customers.heldBy(fromId);
    if (held.length === 0) return { transferred: 0, failed: [] as { externalUserId: string; errcode: number }[] };
    if (!client || !from || !to) {
      throw new AppError('conflict', 'their customers can only be handed over through WeCom: set WeCom up and give both a WeCom userid', 'handoverTo');
    }
    const failed: { externalUserId: string; errcode: number }[] = [];
    let transferred = 0;
    for (let i = 0; i < held.length; i += PER_TRANSFER) {
      const answer = await client.call<{ customer: { external_userid: string; errcode: number }[] }>('/cgi-bin/externalcontact/transfer_customer', {
        handover_userid: from, takeover_userid: to, external_userid: held.slice(i, i + PER_TRANSFER),
      });
      const ok = answer.customer.filter((c) => c.errcode === 0).map((c) => c.external_userid);
      await this.customers.transferred(ok, toId);
      transferred += ok.length;
      failed.push(...answer.customer.filter((c) => c.errcode !== 0).map((c) => ({ externalUserId: c.external_userid, errcode: c.errcode })));
    }
    return { transferred, failed };
  }
}

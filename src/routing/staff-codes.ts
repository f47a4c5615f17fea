import { detached } from '../storage/ambient-transaction.ts';
import type { FastifyBaseLogger } from 'fastify';
import { localTime, localView } from '../shared/local-time.ts';
import type { CodeOf } from '../codes/model.ts';
import { compileCode, type Decision, type ScanContext } from '../codes/rules.ts';
import type { CodeTypePlugin, Simulation, TypeScan } from '../codes/code-type.ts';
import { landingOf } from '../codes/landing.ts';
import { localViewSchema } from '../codes/decision-schema.ts';
import { z } from 'zod';
import { referencedIds, staffCodeSchema, type StaffSetup } from './staff-setup.ts';
import { invalid } from '../shared/errors.ts';
import { assertNamable, type Actor } from '../shared/actor.ts';
import type { ContactWayRegistry } from '../wecom/contact-way-registry.ts';
import { WeComError } from '../wecom/client.ts';
import type { Roster } from './roster.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import type { StaffRouter } from './staff-router.ts';
import { staffTiers } from './tiers.ts';

declare module '../codes/model.ts' {
  interface CodeSetups {
    /** A staff code: its roster and greetings; `url` is its backup page (null: none). */
    staff: { staff: StaffSetup };
  }
}

type StaffCode = CodeOf<'staff'>;

/** Everyone a staff code can send a scan to, over all its rosters and overflow. */
function reachable(config: StaffCode, roster: Roster): Set<string> {
  const setup = config.staff;
  const rosters = [setup.members, ...setup.memberRules.map((r) => r.members)];
  return new Set(rosters.flatMap((entries) => staffTiers(setup, roster, entries).flatMap((t) => t.candidates.map((c) => c.staffId))));
}

/**
 * Staff codes as a code type: a scan meets one member of the roster (StaffRouter). Saving one
 * involves more than the code itself: everyone it names exists and has not left, each WeCom member
 * named is asked for a contact way at once (so a member who cannot hold customers is refused with
 * the reason, not discovered by a scanner), and contact ways of members who are no longer on the
 * code are deleted.
 */
export class StaffCodes implements CodeTypePlugin<'staff'> {
  readonly type = 'staff';
  readonly schema = staffCodeSchema;
  readonly traceSchema = z.object({
    local: localViewSchema,
    tier: z.string().nullable(),
    candidates: z.array(z.object({ tier: z.string(), staffId: z.string(), available: z.boolean(), reason: z.string().nullable() })),
  });

  constructor(
    private readonly rosters: CachedValue<Roster>,
    private readonly registry: ContactWayRegistry,
    private readonly router: StaffRouter,
    private readonly logger: FastifyBaseLogger,
  ) {}

  async scan({ code, ctx, local, scanCount, visitor, record }: TypeScan<StaffCode>) {
    return this.router.route(code, ctx, local, scanCount, visitor, record);
  }

  /** A staff code answers with a member's contact page, or a refusal; it never asks for a location. */
  landing(decision: Decision) {
    return landingOf(decision, 'destination');
  }

  async check(next: StaffCode, previous: StaffCode | null, by: Pick<Actor, 'departments'>): Promise<void> {
    const refs = referencedIds(next.staff);
    let roster = await this.roster();
    const known = (r: Roster) => refs.staff.every(([id]) => r.members.has(id)) && refs.departments.every(([id]) => r.hasDepartment(id));
    if (!known(roster)) {
      // Someone may have just been added on another instance: look again before refusing.
      this.rosters.invalidate();
      roster = await this.roster();
    }
    const named = previous ? referencedIds(previous.staff) : { staff: [], departments: [] };
    const namedDepartments = new Set(named.departments.map(([id]) => id));
    for (const [id, field] of refs.departments) {
      if (!roster.hasDepartment(id)) throw invalid(field, `no department ${id}`);
      if (!namedDepartments.has(id)) assertNamable(by, id, `department ${id}`, field);
    }
    const before = new Set(named.staff.map(([id]) => id));
    for (const [id, field] of refs.staff) {
      const member = roster.members.get(id);
      if (!member) throw invalid(field, `no staff member ${id}`);
      if (member.status === 'left') throw invalid(field, `${member.name} has left; hand their place to a colleague`);
      if (!before.has(id)) assertNamable(by, member.departmentId, member.name, field);
      if (member.wecomUserId === null || before.has(id)) continue;
      try {
        await this.registry.qrFor(next, id, member.wecomUserId);
      } catch (error) {
        if (error instanceof WeComError && error.memberCannotAddCustomers) {
          const why = `WeCom ${error.code}: no customer-contact licence or permission, or not activated`;
          throw invalid(field, `${member.name} (${member.wecomUserId}) cannot hold WeCom customers (${why}); fix it in WeCom or choose someone else`);
        }
        // WeCom unreachable: not a reason to refuse the save; the contact way is made at the first scan.
        this.logger.warn({ err: error, staffId: id }, 'could not create a WeCom contact way in advance');
      }
    }
  }

  written(next: StaffCode | null, previous: StaffCode | null): void {
    const code = next ?? previous;
    if (!code) return;
    this.registry.forget(code.slug);
    // Detached: it deletes WeCom contact ways, never from inside a transaction that may still roll back the change.
    void detached(async () => this.registry.prune(code.id, next ? reachable(next, await this.roster()) : null)).catch((err: unknown) =>
      this.logger.error({ err, codeId: code.id }, 'could not delete contact ways no longer used'),
    );
  }

  private roster(): Promise<Roster> {
    return current(this.rosters);
  }

  /** A staff code's decision for a simulated scan, with every candidate considered and why. */
  async simulate({ config, scanCount }: { config: StaffCode; scanCount: number }, ctx: ScanContext): Promise<Simulation> {
    const local = localTime(ctx.now, config.timeZone);
    const visitor = { id: ctx.visitorId ?? '', returning: false };
    const routed = await this.router.route(compileCode(config), { ...ctx, returning: false }, local, scanCount, visitor, false, true);
    return {
      decision: routed.decision,
      trace: { local: localView(local, config.timeZone), tier: routed.pick?.tier ?? null, candidates: routed.pick?.trace ?? [] },
    };
  }
}

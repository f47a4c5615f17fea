import { localTime, localView } from '../shared/local-time.ts';
import type { CodeTypePlugin, LocationStep, Simulation, TypeScan } from '../codes/code-type.ts';
import { z } from 'zod';
import { landingOf } from '../codes/landing.ts';
import { decisionSchema, localViewSchema } from '../codes/decision-schema.ts';
import type { CodeOf } from '../codes/model.ts';
import { regionCodeSchema, type RegionSetup } from './region-setup.ts';
import { askLocation, compileCode, type CompiledCode, type Decision, type ScanContext } from '../codes/rules.ts';
import type { Roster } from '../routing/roster.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import { invalid } from '../shared/errors.ts';
import { assertNamable, type Actor } from '../shared/actor.ts';
import type { RegionRouter } from './region-router.ts';
import type { StoreService } from './service.ts';
import { attributeValue } from './model.ts';

declare module '../codes/model.ts' {
  interface CodeSetups {
    /** A region code: its stores and service area, backup staff and greetings. */
    region: { region: RegionSetup };
  }
}

type RegionCode = CodeOf<'region'>;

const storeSchema = z.object({ id: z.string(), name: z.string(), address: z.string(), attributes: z.record(z.string(), attributeValue) });
const matchSchema = z.object({
  rule: z.string(),
  distanceKm: z.number().nullable(),
  radiusKm: z.number().nullable(),
  candidates: z.array(z.object({ storeId: z.string(), distanceKm: z.number().nullable(), load: z.number() })),
});
const nothing = async () => {};

/**
 * Region codes as a code type: a scan asks for the scanner's position first (with consent), and
 * the location step matches a store and one of its people (RegionRouter). Saving one checks what
 * it names.
 */
export class RegionCodes implements CodeTypePlugin<'region'> {
  readonly type = 'region';
  readonly schema = regionCodeSchema;
  readonly traceSchema = matchSchema.extend({ local: localViewSchema, store: storeSchema.nullable(), storeId: z.string().nullable() });

  constructor(
    private readonly stores: Pick<StoreService, 'missing'>,
    private readonly rosters: CachedValue<Roster>,
    private readonly regions: RegionRouter,
  ) {}

  scan({ code, ctx, scanCount }: TypeScan<RegionCode>) {
    const decision = askLocation(code.config, ctx.now, scanCount);
    return { decision, counted: decision.action === 'locate', release: nothing };
  }

  landing(decision: Decision) {
    return landingOf(decision, 'store');
  }

  readonly location = {
    asks: () => true,
    answerSchema: z
      .object({
        decision: decisionSchema,
        store: storeSchema.nullable(),
        others: z.array(storeSchema.omit({ attributes: true })),
        match: matchSchema.pick({ rule: true, distanceKm: true }),
      })
      .describe("A region code's store match: the store, the member met there (backup staff when nothing fits), stores to switch to"),
    seenAtStep: false,
    decide: async (code: CompiledCode<RegionCode>, { body, ctx, visitor }: LocationStep) => {
      // Without a position the router reads the region of the scanner's IP itself.
      const located = await this.regions.locate(code, body, visitor.id, ctx.ip ?? '', { ...ctx, province: null, city: null }, true);
      const { rule, distanceKm } = located.match;
      return { decision: located.decision, store: located.store, others: located.others, match: { rule, distanceKm } };
    },
  };

  /** Every store and backup member it names exists (and has not left), and newly named ones are the caller's to name. */
  async check(next: RegionCode, previous: RegionCode | null, by: Pick<Actor, 'departments'>): Promise<void> {
    const { storeIds, backupStaffIds } = next.region;
    const missing = new Set(await this.stores.missing(storeIds));
    const at = storeIds.findIndex((id) => missing.has(id));
    if (at >= 0) throw invalid(`storeIds.${at}`, `no store ${storeIds[at]}`);
    let roster = await current(this.rosters);
    if (backupStaffIds.some((id) => !roster.members.has(id))) {
      this.rosters.invalidate();
      roster = await current(this.rosters);
    }
    backupStaffIds.forEach((id, i) => {
      const member = roster.members.get(id);
      if (!member) throw invalid(`backupStaffIds.${i}`, `no staff member ${id}`);
      if (member.status === 'left') throw invalid(`backupStaffIds.${i}`, `${member.name} has left`);
      if (!previous?.region.backupStaffIds.includes(id)) assertNamable(by, member.departmentId, member.name, `backupStaffIds.${i}`);
    });
  }

  /** A simulated scan at a location (or without one: the region typed in, else none): the match with every candidate's distance. */
  async simulate({ config }: { config: RegionCode; scanCount: number }, ctx: ScanContext): Promise<Simulation> {
    const at = ctx.location;
    const position = { consent: at !== null, coordSystem: 'wgs84' as const, ...(at ? { lat: at.lat, lng: at.lng } : {}) };
    const located = await this.regions.locate(compileCode(config), position, ctx.visitorId ?? '', ctx.ip ?? '', ctx, false, true);
    const local = localTime(ctx.now, config.timeZone);
    return { decision: located.decision, trace: { local: localView(local, config.timeZone), store: located.store, ...located.match } };
  }
}

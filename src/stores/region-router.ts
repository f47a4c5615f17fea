import { localTime } from '../shared/local-time.ts';
import { codeStatus } from '../codes/lifecycle.ts';
import { refuse, type CompiledCode, type Decision, type ScanContext } from '../codes/rules.ts';
import type { SharedLocation } from '../codes/code-type.ts';
import type { CodeOf } from '../codes/model.ts';
import { sharedPosition } from '../geo/coords.ts';
import type { IpRegionLookup } from '../geo/ip-region.ts';
import { matchStore, switchable, type StoreMatch } from '../geo/match-store.ts';
import { distanceKm as distance, type LatLng } from '../geo/distance.ts';
import { StoreIndex } from '../geo/store-index.ts';
import { prepareTiers } from '../routing/pick-staff.ts';
import { onDuty } from '../routing/schedule.ts';
import type { Roster } from '../routing/roster.ts';
import type { StaffRouter } from '../routing/staff-router.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import type { StoreMatches } from './matches.ts';
import type { CatalogStore } from './service.ts';

type RegionCode = CodeOf<'region'>;

export interface Located {
  decision: Decision;
  match: Omit<StoreMatch<CatalogStore>, 'store'> & { storeId: string | null };
  /** Stores the scanner may switch to on the page. */
  others: { id: string; name: string; address: string }[];
  store: { id: string; name: string; address: string; attributes: Record<string, unknown> } | null;
}

/**
 * A region code's second step: the scanner's position (with consent) or their IP's city matched to a
 * store by the pure matcher over the code's stores (a k-d tree per code, rebuilt when stores or the
 * code change), then a member of that store picked like a staff code's — backup staff when there
 * is no store or nobody at it. Every match is recorded with its consent and a coarse, sealed location.
 */
export class RegionRouter {
  private readonly indexes = new WeakMap<CatalogStore[], WeakMap<CompiledCode<RegionCode>, StoreIndex<CatalogStore>>>();

  constructor(
    private readonly catalog: CachedValue<CatalogStore[]>,
    private readonly rosters: CachedValue<Roster>,
    private readonly staff: StaffRouter,
    private readonly matches: StoreMatches,
    private readonly pointRegion: (p: LatLng) => { province: string; city: string | null } | null,
    private readonly ipRegion: IpRegionLookup,
  ) {}

  async locate(
    code: CompiledCode<RegionCode>,
    input: SharedLocation,
    visitorId: string,
    ip: string,
    ctx: ScanContext,
    record: boolean,
    trace = false,
  ): Promise<Located> {
    const { config } = code;
    const setup = config.region;
    // Caps were applied when the landing page was scanned; here only the code's own state counts.
    const status = codeStatus(config, ctx.now, 0);
    const empty = { rule: 'no_location' as const, distanceKm: null, radiusKm: null, candidates: [], storeId: null };
    if (status !== 'active') return { decision: refuse(config, status), match: empty, others: [], store: null };
    const local = localTime(ctx.now, config.timeZone);
    const location = sharedPosition(input);
    // Without a position: the region the caller already knows (a simulation's), else the IP's.
    const region = location ? this.pointRegion(location) : ctx.city || ctx.province ? { province: ctx.province ?? '', city: ctx.city } : this.ipRegion(ip);
    const index = this.indexFor(await current(this.catalog), code);
    const load = (storeId: string) => this.staff.loadOf(index.has(storeId)?.staffIds ?? [], local.date);
    const home = setup.homeArea && visitorId ? await this.matches.homeArea(config.id, visitorId) : null;
    const chosen = input.storeId !== undefined && setup.switching !== 'none' ? index.has(input.storeId) : undefined;
    const match: StoreMatch<CatalogStore> = chosen
      ? { store: chosen, distanceKm: location ? Math.round(distance(location, chosen) * 100) / 100 : null, rule: 'chosen', radiusKm: null, candidates: [] }
      : matchStore(
          setup,
          index,
          { location, province: region?.province ?? null, city: region?.city ?? null },
          local,
          load,
          home,
          trace ? 10 : 1,
          (s) => s.openHours === null || onDuty(s.openHours, local),
        );

    const roster = await current(this.rosters);
    const tiers = prepareTiers(
      [
        { name: 'store', candidates: (match.store?.staffIds ?? []).map((id) => ({ staffId: id, weight: roster.members.get(id)?.weight ?? 1 })) },
        { name: 'backup', candidates: setup.backupStaffIds.map((id) => ({ staffId: id, weight: 1 })), lastResort: true },
      ].filter((t) => t.candidates.length > 0),
      roster.members,
    );
    const routed = await this.staff.assign(code, roster, tiers, 'weighted', { ctx, local, scanCount: 0, record, trace, rule: null });
    let decision = routed.decision;
    if (decision.action === 'contact' && !decision.fallback && match.store) {
      decision = { ...decision, storeId: match.store.id, storeName: match.store.name, distanceKm: match.distanceKm };
    }
    if (record) {
      await this.matches.record({
        codeId: config.id, scanId: input.scanId ?? null, visitorId, at: ctx.now, consent: input.consent, source: location ? 'gps' : region ? 'ip' : 'none',
        location, storeId: match.store?.id ?? null, storeCity: match.store?.city ?? null, staffId: decision.action === 'contact' ? decision.staffId : null,
        rule: match.rule, fallback: decision.action === 'contact' && decision.fallback,
      }).catch(async (error: unknown) => {
        await routed.release();
        throw error;
      });
    }
    const { store, ...rest } = match;
    return {
      decision,
      match: { ...rest, storeId: store?.id ?? null },
      others: switchable(setup, index, match, location).map((s) => ({ id: s.id, name: s.name, address: s.address })),
      store: store ? { id: store.id, name: store.name, address: store.address, attributes: store.attributes } : null,
    };
  }

  private indexFor(stores: CatalogStore[], code: CompiledCode<RegionCode>): StoreIndex<CatalogStore> {
    let byCode = this.indexes.get(stores);
    if (!byCode) this.indexes.set(stores, (byCode = new WeakMap()));
    let index = byCode.get(code);
    if (!index) {
      const wanted = new Set(code.config.region.storeIds);
      byCode.set(code, (index = new StoreIndex(stores.filter((s) => wanted.has(s.id)))));
    }
    return index;
  }
}

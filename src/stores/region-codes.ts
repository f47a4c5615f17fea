import { localTime, localView } from '../shared/local-time.ts';
import type { CodeConfig } from '../codes/model.ts';
import { compileCode, type ScanContext } from '../codes/rules.ts';
import type { StoredCode } from '../codes/repo.ts';
import type { Roster } from '../routing/roster.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import { invalid } from '../shared/errors.ts';
import { assertNamable, type Actor } from '../shared/actor.ts';
import type { RegionRouter } from './region-router.ts';
import type { StoreService } from './service.ts';

/** What saving and simulating a region code involves beyond the code itself. */
export class RegionCodes {
  constructor(
    private readonly stores: Pick<StoreService, 'missing'>,
    private readonly rosters: CachedValue<Roster>,
    private readonly regions: RegionRouter,
  ) {}

  /** Every store and backup member it names exists (and has not left), and newly named ones are the caller's to name. */
  async check(next: CodeConfig, previous: CodeConfig | null, by: Pick<Actor, 'departments'>): Promise<void> {
    if (!next.region) return;
    const missing = new Set(await this.stores.missing(next.region.storeIds));
    const at = next.region.storeIds.findIndex((id) => missing.has(id));
    if (at >= 0) throw invalid(`storeIds.${at}`, `no store ${next.region.storeIds[at]}`);
    let roster = await current(this.rosters);
    if (next.region.backupStaffIds.some((id) => !roster.members.has(id))) {
      this.rosters.invalidate();
      roster = await current(this.rosters);
    }
    next.region.backupStaffIds.forEach((id, i) => {
      const member = roster.members.get(id);
      if (!member) throw invalid(`backupStaffIds.${i}`, `no staff member ${id}`);
      if (member.status === 'left') throw invalid(`backupStaffIds.${i}`, `${member.name} has left`);
      if (!previous?.region?.backupStaffIds.includes(id)) assertNamable(by, member.departmentId, member.name, `backupStaffIds.${i}`);
    });
  }

  /** A simulated scan at a location (or without one: the region typed in, else none): the match with every candidate's distance. */
  async simulate({ config }: StoredCode, ctx: ScanContext): Promise<object> {
    const at = ctx.location;
    const located = await this.regions.locate(
      compileCode(config),
      { consent: at !== null, coordSystem: 'wgs84', ...(at ? { lat: at.lat, lng: at.lng } : {}) },
      ctx.visitorId ?? '',
      ctx.ip ?? '',
      ctx,
      false,
      true,
    );
    const local = localTime(ctx.now, config.timeZone);
    return { decision: located.decision, trace: { local: localView(local, config.timeZone), store: located.store, ...located.match } };
  }
}

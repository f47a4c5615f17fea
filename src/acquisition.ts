import type { FastifyBaseLogger } from 'fastify';
import { codeTypes } from './code-types.ts';
import type { Config } from './config.ts';
import type { Counters } from './counters/counters.ts';
import type { IpRegionLookup } from './geo/ip-region.ts';
import { regionOfPoint } from './geo/point-region.ts';
import { StaffRouter } from './routing/staff-router.ts';
import { StaffRepo } from './routing/staff-repo.ts';
import { StaffService } from './routing/staff.ts';
import type { ScanHistory } from './scans/history.ts';
import { CachedValue } from './shared/cached-value.ts';
import type { Clock } from './shared/clock.ts';
import { SecretBox } from './shared/secret-box.ts';
import type { Storage } from './storage/db.ts';
import { readRevision } from './storage/revisions.ts';
import { StoreMatchRepo } from './stores/match-repo.ts';
import { StoreMatches } from './stores/matches.ts';
import { RegionRouter } from './stores/region-router.ts';
import { StoreRepo } from './stores/repo.ts';
import { StoreService, type CsvParser } from './stores/service.ts';
import { DepartmentRepo } from './teams/department-repo.ts';
import { DepartmentService } from './teams/departments.ts';
import { WeComConnection } from './wecom/connection.ts';
import { ContactWayRepo } from './wecom/contact-way-repo.ts';
import { ContactWayRegistry } from './wecom/contact-way-registry.ts';
import { WeComSettingsRepo } from './wecom/settings-repo.ts';
import { WeComSettingsService } from './wecom/settings.ts';

export interface AcquisitionDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  logger: FastifyBaseLogger;
  counters: Counters;
  /** Scans as other domains read them: a staff code's repeat scan meets the member it met before. */
  scanHistory: Pick<ScanHistory, 'lastStaffFor'>;
  ipRegion: IpRegionLookup;
  csv: CsvParser;
}

/**
 * The customer-acquisition part of the composition root: departments, staff and stores (kept in
 * memory for the scan path and dropped on every instance when they change), WeCom, and what staff
 * and region codes add to saving, simulating and scanning a code: the code types' plug-ins (handed to the services when they are built).
 */
export function buildAcquisition({ config, storage, clock, logger, counters, scanHistory, ipRegion, csv }: AcquisitionDeps) {
  const departments = new DepartmentService(new DepartmentRepo(storage.db), clock);
  const staff = new StaffService(new StaffRepo(storage.db), clock, departments);
  const rosters = new CachedValue(() => staff.roster(), () => clock.now(), () => readRevision(storage.db, 'roster'));
  // Reported counts change all day, so a version would change as often as they do: one small row
  // per member, they are simply read again after the bound.
  const openReports = new CachedValue(() => staff.openReports(), () => clock.now());
  const wecomSecrets = new SecretBox(config.secret, 'wecom settings');
  const wecomSettings = new WeComSettingsService(new WeComSettingsRepo(storage.db), clock, wecomSecrets, config.wecomAllowHosts);
  const wecom = new WeComConnection(wecomSettings, clock);
  const contactWays = new ContactWayRegistry(new ContactWayRepo(storage.db), wecom, clock);
  const staffRouter = new StaffRouter(
    rosters,
    counters,
    async (code, member) => (member.wecomUserId !== null && (await contactWays.qrFor(code.config, member.id, member.wecomUserId))) || member.contactQrUrl,
    (codeId, visitorId, since) => scanHistory.lastStaffFor(codeId, visitorId, since),
    openReports,
  );
  const stores = new StoreService(new StoreRepo(storage.db), clock, staff, csv);
  const catalog = new CachedValue(() => stores.catalog(), () => clock.now(), () => readRevision(storage.db, 'stores'));
  const storeMatches = new StoreMatches(new StoreMatchRepo(storage.db), new SecretBox(config.secret, 'store match locations'));
  const regions = new RegionRouter(catalog, rosters, staffRouter, storeMatches, regionOfPoint, ipRegion);
  const types = codeTypes({ rosters, contactWays, staffRouter, stores, regions, logger });
  return { departments, staff, rosters, openReports, wecomSettings, wecom, contactWays, staffRouter, stores, catalog, storeMatches, regions, types };
}

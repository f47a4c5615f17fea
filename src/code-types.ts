import type { FastifyBaseLogger } from 'fastify';
import { CodeSchemas } from './codes/code-schemas.ts';
import { CodeTypes } from './codes/code-type.ts';
import { urlCodeType, urlCodeSchema } from './codes/url-code-type.ts';
import type { Roster } from './routing/roster.ts';
import { StaffCodes } from './routing/staff-codes.ts';
import type { StaffRouter } from './routing/staff-router.ts';
import { staffCodeSchema } from './routing/staff-setup.ts';
import { RegionCodes } from './stores/region-codes.ts';
import type { RegionRouter } from './stores/region-router.ts';
import { regionCodeSchema } from './stores/region-setup.ts';
import type { StoreService } from './stores/service.ts';
import type { CachedValue } from './shared/cached-value.ts';
import type { ContactWayRegistry } from './wecom/contact-way-registry.ts';

/**
 * The one place code types are registered. Adding a type (group, item …) is its own folder's
 * schema and plug-in, and a line in each list here; the first type is the default of `type`.
 */
export const codeSchemas = new CodeSchemas([urlCodeSchema, staffCodeSchema, regionCodeSchema]);

export interface CodeTypeDeps {
  rosters: CachedValue<Roster>;
  contactWays: ContactWayRegistry;
  staffRouter: StaffRouter;
  stores: Pick<StoreService, 'missing'>;
  regions: RegionRouter;
  logger: FastifyBaseLogger;
}

/** Every code type's plug-in, built with what its domain needs; the services take them through their constructors. */
export function codeTypes(d: CodeTypeDeps): CodeTypes {
  return new CodeTypes(codeSchemas, [
    urlCodeType,
    new StaffCodes(d.rosters, d.contactWays, d.staffRouter, d.logger),
    new RegionCodes(d.stores, d.rosters, d.regions),
  ]);
}

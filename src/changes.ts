import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { StaffService } from './routing/staff.ts';
import type { CodeCache } from './scans/code-cache.ts';
import type { ChangeBus } from './storage/change-bus.ts';
import type { Database } from './storage/schema.ts';
import type { StoreService } from './stores/service.ts';
import type { DepartmentService } from './teams/departments.ts';
import type { ContactWayRegistry } from './wecom/contact-way-registry.ts';

/**
 * How news of a change travels, in one place. What the scan path reads from memory (codes, staff,
 * departments, stores, reported open conversations) is dropped here at once when it changes, and
 * on every other instance when the change bus brings the news.
 */

/** Sent on the change bus for staff, department and store changes; no slug can look like them. */
const ROSTER_CHANGED = '*roster';
const STORES_CHANGED = '*stores';
const OPEN_REPORTED = '*open';

/** How a code's store tells other instances of a change: inside its transaction, so only a committed change is told. */
export const publishCodeChanges = (bus: ChangeBus) => (slug: string, trx?: Transaction<Database>) => bus.publish(slug, trx);

type Droppable = { invalidate(): void };

export interface Caches {
  bus: ChangeBus;
  logger: FastifyBaseLogger;
  cache: CodeCache;
  contactWays: ContactWayRegistry;
  rosters: Droppable;
  catalog: Droppable;
  openReports: Droppable;
  staff: StaffService;
  departments: DepartmentService;
  stores: StoreService;
}

/** Wires every change to what caches it; returns what the code service calls after each committed change here. */
export function wireChanges({ bus, logger, cache, contactWays, rosters, catalog, openReports, staff, departments, stores }: Caches): (slug: string) => void {
  const changedEverywhere = (what: string, drop: () => void) => () => {
    drop();
    bus.publish(what).catch((err: unknown) => logger.error({ err }, `could not tell other instances about a change (${what})`));
  };
  staff.onChange(changedEverywhere(ROSTER_CHANGED, () => rosters.invalidate()));
  departments.onChange(changedEverywhere(ROSTER_CHANGED, () => rosters.invalidate()));
  stores.onChange(changedEverywhere(STORES_CHANGED, () => catalog.invalidate()));
  staff.onOpenReported(changedEverywhere(OPEN_REPORTED, () => openReports.invalidate()));
  bus.subscribe({
    changed: (slug) => {
      if (slug === ROSTER_CHANGED) return rosters.invalidate();
      if (slug === STORES_CHANGED) return catalog.invalidate();
      if (slug === OPEN_REPORTED) return openReports.invalidate();
      cache.invalidate(slug);
      contactWays.forget(slug);
    },
    lost: () => {
      cache.clear();
      rosters.invalidate();
      catalog.invalidate();
      openReports.invalidate();
    },
  });
  // Here the code's own follow-ups (staff codes' contact ways) run after the commit; other instances hear it from the bus above.
  return (slug) => cache.invalidate(slug);
}

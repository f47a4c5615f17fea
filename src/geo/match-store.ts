import { inWindow, minutesOf, type LocalTime } from '../shared/local-time.ts';
import type { RegionSetup } from '../stores/region-setup.ts';
import { distanceKm, type LatLng } from './distance.ts';
import { normalizeRegion } from './region-names.ts';
import type { Near, Placed, StoreIndex } from './store-index.ts';

/** Where the scanner is, as far as we know: their consented position, or only their IP's region. */
export interface ScannerPlace {
  location: LatLng | null;
  province: string | null;
  city: string | null;
}

/** A returning customer's usual area: the city they keep being matched in, and their store there. */
export interface HomeArea {
  city: string;
  storeId: string;
}

/** `chosen`: the scanner picked the store themselves on the page. */
export type MatchRule = 'home_area' | 'distance' | 'city' | 'province' | 'ip_city' | 'nearest_anywhere' | 'chosen' | 'outside_area' | 'no_location';

export interface StoreMatch<T> {
  store: T | null;
  distanceKm: number | null;
  /** Which rule decided, for the trace and the record. */
  rule: MatchRule;
  radiusKm: number | null;
  candidates: { storeId: string; distanceKm: number | null; load: number }[];
}

/** Stores this close to the nearest count as equally near: the one with the least load today wins. */
const TIE_KM = 0.01;
const CANDIDATES = 10;

/** The radius now: the first radius window that holds, else the service area's. */
export function radiusNow(setup: RegionSetup, local: LocalTime): number | null {
  if (setup.serviceArea.mode !== 'distance') return null;
  const window = setup.radiusWindows.find(
    (w) => (!w.weekdays || w.weekdays.includes(local.weekday)) && inWindow(local.minutes, minutesOf(w.timeOfDay.from), minutesOf(w.timeOfDay.to)),
  );
  return window?.km ?? setup.serviceArea.km;
}

/** The nearest stores, enough of them to hold every store tied with the nearest (and `want` for a trace). */
function nearestTied<T extends Placed>(index: StoreIndex<T>, at: LatLng, want: number, open: (s: T) => boolean, maxKm?: number): Near<T>[] {
  for (let limit = Math.max(want, 2); ; limit *= 4) {
    const near = index.nearest(at, limit, maxKm, open);
    if (near.length < limit || near.at(-1)!.km - near[0]!.km > TIE_KM) return near;
  }
}

function nearestWithTies<T extends Placed>(near: Near<T>[], load: (id: string) => number): Near<T> | null {
  if (near.length === 0) return null;
  const best = near[0]!.km;
  return near.filter((n) => n.km - best <= TIE_KM).reduce((a, b) => (load(b.store.id) < load(a.store.id) ? b : a));
}

/** Stores of an area, nearest first when the position is known, else least loaded first. */
function rank<T extends Placed>(stores: readonly T[], at: LatLng | null, load: (id: string) => number): Near<T>[] {
  const near = stores.map((store) => ({ store, km: at ? distanceKm(at, store) : 0 }));
  return near.sort((a, b) => a.km - b.km || load(a.store.id) - load(b.store.id));
}

/**
 * The store a scanner is matched to, and the rule that decided: a returning customer's home area
 * first; then, with a position, the nearest store in the service area (within the radius, or in the
 * scanner's city or province); without one, a store in their IP's city; with switching "any", the
 * nearest store anywhere when the area has none. Pure: the index, the place, the time and the loads come in.
 */
export function matchStore<T extends Placed>(
  setup: RegionSetup,
  index: StoreIndex<T>,
  scanner: ScannerPlace,
  local: LocalTime,
  load: (storeId: string) => number,
  home: HomeArea | null,
  /** How many candidates to report (a simulation's trace wants several; a scan, none beyond the ties). */
  want = CANDIDATES,
  /** Whether a store is open now: closed ones are passed over. */
  open: (store: T) => boolean = () => true,
): StoreMatch<T> {
  const radiusKm = radiusNow(setup, local);
  const at = scanner.location;
  const result = (near: Near<T> | null, rule: MatchRule, seen: Near<T>[]): StoreMatch<T> => ({
    store: near?.store ?? null,
    distanceKm: near && at ? Math.round(near.km * 100) / 100 : null,
    rule: near ? rule : rule === 'no_location' ? rule : 'outside_area',
    radiusKm,
    candidates: seen.slice(0, want).map((n) => ({ storeId: n.store.id, distanceKm: at ? Math.round(n.km * 100) / 100 : null, load: load(n.store.id) })),
  });

  const homeStore = setup.homeArea && home ? index.has(home.storeId) : undefined;
  if (homeStore && open(homeStore) && (!scanner.city || normalizeRegion(scanner.city) !== normalizeRegion(home!.city) || !at)) {
    const near = { store: homeStore, km: at ? distanceKm(at, homeStore) : 0 };
    return result(near, 'home_area', [near]);
  }

  let inArea: Near<T>[] = [];
  let rule: MatchRule = 'no_location';
  if (at) {
    const mode = setup.serviceArea.mode;
    if (mode === 'distance') [inArea, rule] = [nearestTied(index, at, want, open, radiusKm!), 'distance'];
    else if (mode === 'city') [inArea, rule] = [scanner.city ? rank(index.inCity(scanner.city).filter(open), at, load) : [], 'city'];
    else [inArea, rule] = [scanner.province ? rank(index.inProvince(scanner.province).filter(open), at, load) : [], 'province'];
  } else if (scanner.city || scanner.province) {
    // No position (refused or unavailable): the IP's city, then its province in province mode.
    const byCity = scanner.city ? index.inCity(scanner.city) : [];
    const stores = byCity.length === 0 && setup.serviceArea.mode === 'province' && scanner.province ? index.inProvince(scanner.province) : byCity;
    [inArea, rule] = [rank(stores.filter(open), null, load), 'ip_city'];
  }
  if (inArea.length > 0) return result(nearestWithTies(inArea, load), rule, inArea);
  if (at && setup.switching === 'any') {
    const anywhere = nearestTied(index, at, want, open);
    return result(nearestWithTies(anywhere, load), 'nearest_anywhere', anywhere);
  }
  return result(null, at ? rule : 'no_location', []);
}

/** Other stores the scanner may switch to on the page: in their area ("region"), near them anywhere ("any"), or none. */
export function switchable<T extends Placed>(setup: RegionSetup, index: StoreIndex<T>, match: StoreMatch<T>, at: LatLng | null): T[] {
  if (setup.switching === 'none' || !match.store) return [];
  const others = (list: readonly T[]) => list.filter((s) => s.id !== match.store!.id).slice(0, 5);
  if (setup.switching === 'any' && at) return others(index.nearest(at, 6).map((n) => n.store));
  if (at && setup.serviceArea.mode === 'distance') return others(index.nearest(at, 6, match.radiusKm ?? undefined).map((n) => n.store));
  return others(index.inCity(match.store.city));
}

import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { distanceKm, type LatLng } from './distance.ts';
import { normalizeRegion } from './region-names.ts';

export interface Placed extends LatLng {
  id: string;
  city: string;
  province: string;
}

export interface Near<T> {
  store: T;
  km: number;
}

/**
 * Stores on a k-d tree searched by great-circle distance (geokdbush): the nearest of 20,000 in
 * microseconds, where a scan of all of them takes a millisecond. Distances given back are exact
 * haversine km. Also groups the stores by city and province (short names).
 */
export class StoreIndex<T extends Placed> {
  private readonly tree: KDBush | null;
  private readonly byId: Map<string, T>;
  private readonly byCity = new Map<string, T[]>();
  private readonly byProvince = new Map<string, T[]>();

  constructor(readonly stores: readonly T[]) {
    this.byId = new Map(stores.map((s) => [s.id, s]));
    if (stores.length === 0) this.tree = null;
    else {
      this.tree = new KDBush(stores.length);
      for (const s of stores) this.tree.add(s.lng, s.lat);
      this.tree.finish();
    }
    for (const s of stores) {
      const city = normalizeRegion(s.city);
      const province = normalizeRegion(s.province);
      // Appended in place: copying the list per store made a chain of 20,000 in one city take a minute.
      let inCity = this.byCity.get(city);
      if (!inCity) this.byCity.set(city, (inCity = []));
      inCity.push(s);
      let inProvince = this.byProvince.get(province);
      if (!inProvince) this.byProvince.set(province, (inProvince = []));
      inProvince.push(s);
    }
  }

  /** Up to `limit` stores nearest to `p`, within `maxKm` if given, that pass `keep` if given, nearest first. */
  nearest(p: LatLng, limit: number, maxKm?: number, keep?: (store: T) => boolean): Near<T>[] {
    if (!this.tree) return [];
    // The tree measures with its own earth radius: search a hair wider, then decide by our exact distance.
    const wider = maxKm === undefined ? undefined : maxKm * (1 + 1e-3) + 1e-6;
    const found = around(this.tree, p.lng, p.lat, limit, wider, keep ? (i: number) => keep(this.stores[i]!) : undefined);
    return found
      .map((i) => ({ store: this.stores[i]!, km: distanceKm(p, this.stores[i]!) }))
      .filter((n) => maxKm === undefined || n.km <= maxKm)
      .sort((a, b) => a.km - b.km);
  }

  inCity(city: string): readonly T[] {
    return this.byCity.get(normalizeRegion(city)) ?? [];
  }

  inProvince(province: string): readonly T[] {
    return this.byProvince.get(normalizeRegion(province)) ?? [];
  }

  has(id: string): T | undefined {
    return this.byId.get(id);
  }
}

/** The same question answered by measuring every store: what the index is checked and benchmarked against. */
export function nearestByScan<T extends Placed>(stores: readonly T[], p: LatLng, limit: number, maxKm = Infinity): Near<T>[] {
  return stores
    .map((store) => ({ store, km: distanceKm(p, store) }))
    .filter((n) => n.km <= maxKm)
    .sort((a, b) => a.km - b.km)
    .slice(0, limit);
}

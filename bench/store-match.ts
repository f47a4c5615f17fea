// Nearest-store matching over 20,000 stores: the k-d tree against measuring every store, in one process.
import { localTime } from '../src/shared/local-time.ts';
import { withRegionDefaults } from '../src/stores/region-setup.ts';
import { distanceKm } from '../src/geo/distance.ts';
import { matchStore } from '../src/geo/match-store.ts';
import { nearestByScan, StoreIndex } from '../src/geo/store-index.ts';
import { seeded, rate } from '../test/support/seeded.ts';

export const STORES = 20_000;

/** Stores scattered around 50 city centres (as chains are), and scanners near them. */
export function chain(n = STORES, seed = 7) {
  const random = seeded(seed);
  const centres = Array.from({ length: 50 }, () => ({ lat: 22 + random() * 18, lng: 102 + random() * 20 }));
  const near = () => {
    const c = centres[Math.floor(random() * centres.length)]!;
    return { lat: c.lat + (random() - 0.5) * 0.6, lng: c.lng + (random() - 0.5) * 0.6 };
  };
  const stores = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, city: `c${i % 50}`, province: 'p', ...near() }));
  return { stores, near };
}

export function storeMatchBench(seconds = 3) {
  const { stores, near } = chain();
  const index = new StoreIndex(stores);
  const setup = withRegionDefaults({ storeIds: [], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: ['b'] });
  const local = localTime(Date.parse('2026-11-24T10:00:00+08:00'), 'Asia/Shanghai');
  // The same answers first: every one of 1,000 queries agrees with the full scan.
  let agree = 0;
  for (let i = 0; i < 1000; i++) {
    const p = near();
    if (index.nearest(p, 1)[0]!.store.id === nearestByScan(stores, p, 1)[0]!.store.id) agree++;
  }
  // The whole decision as a scan makes it (radius, ties by load, rule), and the bare indexed search.
  const matched = rate(seconds, () => matchStore(setup, index, { location: near(), city: null, province: null }, local, () => 0, null, 1));
  const indexed = rate(seconds, () => index.nearest(near(), 1, 5));
  // The fairest brute force: one tight pass keeping the nearest within the radius, nothing allocated.
  const scanned = rate(seconds, () => {
    const p = near();
    let best = -1;
    let bestKm = 5;
    for (let i = 0; i < stores.length; i++) {
      const km = distanceKm(p, stores[i]!);
      if (km <= bestKm) [best, bestKm] = [i, km];
    }
    return best;
  });
  return { stores: STORES, agree, matched, indexed, scanned };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(storeMatchBench());

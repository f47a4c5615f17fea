import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime } from '../shared/local-time.ts';
import { withRegionDefaults } from '../stores/region-setup.ts';
import { distanceKm } from './distance.ts';
import { matchStore, radiusNow } from './match-store.ts';
import { nearestByScan, StoreIndex } from './store-index.ts';

const monday10 = localTime(Date.parse('2026-11-23T10:00:00+08:00'), 'Asia/Shanghai');
const point = fc.record({ lat: fc.double({ min: 30, max: 32, noNaN: true }), lng: fc.double({ min: 120, max: 122, noNaN: true }) });
const setup = (over: object = {}) => withRegionDefaults({ storeIds: [], serviceArea: { mode: 'distance', km: 20 }, backupStaffIds: ['b'], ...over });
const noLoad = () => 0;
const store = (id: string, lat: number, lng: number, city = '上海') => ({ id, lat, lng, city, province: city });
/** Where the scanner is: a position, or only the city and province of its IP. */
const at = (location: { lat: number; lng: number } | null, city: string | null = null) => ({ location, city, province: city });

describe('matching a scanner to a store', () => {
  it('picks the nearest store within the radius, exactly as measuring every store does, over 2,000 random chains', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 200 }), point, fc.integer({ min: 1, max: 100 }), (ps, here, km) => {
        const stores = ps.map((p, i) => ({ ...p, id: `s${i}`, city: '上海', province: '上海' }));
        const m = matchStore(setup({ serviceArea: { mode: 'distance', km } }), new StoreIndex(stores), at(here), monday10, noLoad, null);
        const brute = nearestByScan(stores, here, 1, km)[0];
        if (!brute) {
          expect(m).toMatchObject({ store: null, rule: 'outside_area' });
        } else {
          expect(m.rule).toBe('distance');
          // Equal up to the tie margin: a store as near as the nearest may win on load.
          expect(distanceKm(here, m.store!) - brute.km).toBeLessThanOrEqual(0.01);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('breaks a tie by load: of two stores equally near, the one with fewer adds today', () => {
    const stores = [store('busy', 31.2, 121.4), store('calm', 31.2, 121.4)];
    const load = (id: string) => (id === 'busy' ? 9 : 1);
    expect(matchStore(setup(), new StoreIndex(stores), at({ lat: 31.21, lng: 121.41 }), monday10, load, null).store!.id).toBe('calm');
  });

  it('passes over a store that is closed now for the next nearest open one', () => {
    const stores = [store('closed', 31.2, 121.4), store('open', 31.22, 121.42)];
    const m = matchStore(setup(), new StoreIndex(stores), at({ lat: 31.2, lng: 121.4 }), monday10, noLoad, null, 1, (s) => s.id !== 'closed');
    expect(m.store!.id).toBe('open');
  });

  it('uses the radius of the window that holds now', () => {
    const s = setup({
      serviceArea: { mode: 'distance', km: 3 },
      radiusWindows: [{ timeOfDay: { from: '09:00', to: '11:00' }, weekdays: [1, 2, 3, 4, 5], km: 10 }],
    });
    expect(radiusNow(s, monday10)).toBe(10);
    expect(radiusNow(s, localTime(Date.parse('2026-11-23T15:00:00+08:00'), 'Asia/Shanghai'))).toBe(3);
    expect(radiusNow(s, localTime(Date.parse('2026-11-22T10:00:00+08:00'), 'Asia/Shanghai'))).toBe(3);
  });

  it('sends a travelling regular to their usual store, and someone at home to the nearest', () => {
    const stores = [store('sh', 31.2, 121.4, '上海市'), store('bj', 39.9, 116.4, '北京市')];
    const index = new StoreIndex(stores);
    const home = { city: '上海', storeId: 'sh' };
    const beijing = at({ lat: 39.91, lng: 116.41 }, '北京');
    const inBeijing = matchStore(setup(), index, beijing, monday10, noLoad, home);
    expect(inBeijing).toMatchObject({ store: { id: 'sh' }, rule: 'home_area' });
    const atHome = matchStore(setup(), index, at({ lat: 31.21, lng: 121.41 }, '上海'), monday10, noLoad, home);
    expect(atHome).toMatchObject({ store: { id: 'sh' }, rule: 'distance' });
    expect(matchStore(setup({ homeArea: false }), index, beijing, monday10, noLoad, home).store!.id).toBe('bj');
  });

  it('without a position, matches in the IP\'s city; without that either, nothing', () => {
    const index = new StoreIndex([store('sh', 31.2, 121.4, '上海市')]);
    expect(matchStore(setup(), index, at(null, '上海'), monday10, noLoad, null)).toMatchObject({ store: { id: 'sh' }, rule: 'ip_city', distanceKm: null });
    expect(matchStore(setup(), index, at(null), monday10, noLoad, null)).toMatchObject({ store: null, rule: 'no_location' });
  });
});

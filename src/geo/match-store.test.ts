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

describe('matching a scanner to a store', () => {
  it('picks the nearest store within the radius, exactly as measuring every store does, over 2,000 random chains', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 200 }), point, fc.integer({ min: 1, max: 100 }), (ps, at, km) => {
        const stores = ps.map((p, i) => ({ ...p, id: `s${i}`, city: '上海', province: '上海' }));
        const m = matchStore(setup({ serviceArea: { mode: 'distance', km } }), new StoreIndex(stores), { location: at, city: null, province: null }, monday10, noLoad, null);
        const brute = nearestByScan(stores, at, 1, km)[0];
        if (!brute) {
          expect(m).toMatchObject({ store: null, rule: 'outside_area' });
        } else {
          expect(m.rule).toBe('distance');
          // Equal up to the tie margin: a store as near as the nearest may win on load.
          expect(distanceKm(at, m.store!) - brute.km).toBeLessThanOrEqual(0.01);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('breaks a tie by load: of two stores equally near, the one with fewer adds today', () => {
    const stores = [{ id: 'busy', lat: 31.2, lng: 121.4, city: '上海', province: '上海' }, { id: 'calm', lat: 31.2, lng: 121.4, city: '上海', province: '上海' }];
    const load = (id: string) => (id === 'busy' ? 9 : 1);
    expect(matchStore(setup(), new StoreIndex(stores), { location: { lat: 31.21, lng: 121.41 }, city: null, province: null }, monday10, load, null).store!.id).toBe('calm');
  });

  it('passes over a store that is closed now for the next nearest open one', () => {
    const stores = [{ id: 'closed', lat: 31.2, lng: 121.4, city: '上海', province: '上海' }, { id: 'open', lat: 31.22, lng: 121.42, city: '上海', province: '上海' }];
    const m = matchStore(setup(), new StoreIndex(stores), { location: { lat: 31.2, lng: 121.4 }, city: null, province: null }, monday10, noLoad, null, 1, (s) => s.id !== 'closed');
    expect(m.store!.id).toBe('open');
  });

  it('uses the radius of the window that holds now', () => {
    const s = setup({ serviceArea: { mode: 'distance', km: 3 }, radiusWindows: [{ timeOfDay: { from: '09:00', to: '11:00' }, weekdays: [1, 2, 3, 4, 5], km: 10 }] });
    expect(radiusNow(s, monday10)).toBe(10);
    expect(radiusNow(s, localTime(Date.parse('2026-11-23T15:00:00+08:00'), 'Asia/Shanghai'))).toBe(3);
    expect(radiusNow(s, localTime(Date.parse('2026-11-22T10:00:00+08:00'), 'Asia/Shanghai'))).toBe(3);
  });

  it('sends a travelling regular to their usual store, and someone at home to the nearest', () => {
    const stores = [{ id: 'sh', lat: 31.2, lng: 121.4, city: '上海市', province: '上海市' }, { id: 'bj', lat: 39.9, lng: 116.4, city: '北京市', province: '北京市' }];
    const index = new StoreIndex(stores);
    const home = { city: '上海', storeId: 'sh' };
    const inBeijing = matchStore(setup(), index, { location: { lat: 39.91, lng: 116.41 }, city: '北京', province: '北京' }, monday10, noLoad, home);
    expect(inBeijing).toMatchObject({ store: { id: 'sh' }, rule: 'home_area' });
    const atHome = matchStore(setup(), index, { location: { lat: 31.21, lng: 121.41 }, city: '上海', province: '上海' }, monday10, noLoad, home);
    expect(atHome).toMatchObject({ store: { id: 'sh' }, rule: 'distance' });
    expect(matchStore(setup({ homeArea: false }), index, { location: { lat: 39.91, lng: 116.41 }, city: '北京', province: '北京' }, monday10, noLoad, home).store!.id).toBe('bj');
  });

  it('without a position, matches in the IP\'s city; without that either, nothing', () => {
    const index = new StoreIndex([{ id: 'sh', lat: 31.2, lng: 121.4, city: '上海市', province: '上海市' }]);
    expect(matchStore(setup(), index, { location: null, city: '上海', province: '上海' }, monday10, noLoad, null)).toMatchObject({ store: { id: 'sh' }, rule: 'ip_city', distanceKm: null });
    expect(matchStore(setup(), index, { location: null, city: null, province: null }, monday10, noLoad, null)).toMatchObject({ store: null, rule: 'no_location' });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestByScan, StoreIndex } from './store-index.ts';

const point = fc.record({ lat: fc.double({ min: 18, max: 53, noNaN: true }), lng: fc.double({ min: 74, max: 134, noNaN: true }) });
const stores = fc.array(point, { minLength: 1, maxLength: 300 }).map((ps) => ps.map((p, i) => ({ ...p, id: `s${i}`, city: '上海', province: '上海' })));

describe('the store index', () => {
  it('finds the same nearest stores as measuring every one, within a radius or not, over 2,000 random rosters', () => {
    fc.assert(
      fc.property(stores, point, fc.option(fc.integer({ min: 1, max: 2000 })), (all, p, km) => {
        const index = new StoreIndex(all);
        const fast = index.nearest(p, 5, km ?? undefined);
        const slow = nearestByScan(all, p, 5, km ?? Infinity);
        expect(fast.map((n) => n.km)).toEqual(slow.map((n) => n.km));
        expect(new Set(fast.map((n) => n.store.id))).toEqual(new Set(slow.map((n) => n.store.id)));
      }),
      { numRuns: 2000 },
    );
  });

  it('measures along the earth, not in flat degrees: at 40°N a degree of longitude is 85 km, not 111', () => {
    const index = new StoreIndex([
      { id: 'east', lat: 40, lng: 117.0, city: '北京', province: '北京' },
      { id: 'north', lat: 40.9, lng: 116.0, city: '北京', province: '北京' },
    ]);
    // In flat degrees "east" (1.0°) is farther than "north" (0.9°); on the earth it is nearer.
    expect(index.nearest({ lat: 40, lng: 116 }, 1)[0]!.store.id).toBe('east');
    expect(index.nearest({ lat: 40, lng: 116 }, 1)[0]!.km).toBeCloseTo(85.4, 0);
  });

  it('is built for a chain of 20,000 stores in one city while a scan waits for it (rebuilt whenever the catalog is reloaded)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({
      id: `s${i}`, lat: 31 + (i % 200) / 1000, lng: 121 + i / 100_000, city: '上海市', province: '上海市',
    }));
    const index = new StoreIndex(many);
    expect(index.inCity('上海')).toHaveLength(20_000);
    expect(index.inProvince('上海')).toHaveLength(20_000);
  });

  it('groups stores by city and province in their short names', () => {
    const index = new StoreIndex([{ id: 'a', lat: 31.2, lng: 121.4, city: '上海市', province: '上海市' }]);
    expect(index.inCity('上海').map((s) => s.id)).toEqual(['a']);
    expect(index.inProvince('上海市').map((s) => s.id)).toEqual(['a']);
    expect(new StoreIndex([]).nearest({ lat: 0, lng: 0 }, 1)).toEqual([]);
  });
});

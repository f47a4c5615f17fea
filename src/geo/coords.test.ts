import fc from 'fast-check';
import gcoordModule from 'gcoord';
import { describe, expect, it } from 'vitest';
import { fromWgs84, toWgs84, type CoordSystem } from './coords.ts';
import { distanceKm } from './distance.ts';

// gcoord is CommonJS: Node hands its exports over as the default import; its types put them one level down.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
const inChina = fc.record({ lat: fc.double({ min: 18.2, max: 53.5, noNaN: true }), lng: fc.double({ min: 73.6, max: 134.7, noNaN: true }) });
const ORACLE: Record<CoordSystem, unknown> = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 };
const viaOracle = (p: { lat: number; lng: number }, from: CoordSystem, to: CoordSystem) => {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], ORACLE[from] as never, ORACLE[to] as never) as [number, number];
  return { lat, lng };
};

describe('coordinate systems', () => {
  it('agrees with an independent implementation (gcoord) within a metre, both ways, anywhere in China', () => {
    fc.assert(
      fc.property(inChina, fc.constantFrom<CoordSystem>('gcj02', 'bd09'), (p, system) => {
        expect(distanceKm(fromWgs84(p, system), viaOracle(p, 'wgs84', system)) * 1000).toBeLessThan(1);
        expect(distanceKm(toWgs84(p, system), viaOracle(p, system, 'wgs84')) * 1000).toBeLessThan(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('comes back to the same point (under a metre), and moves a point by the few hundred metres that break a 1 km radius', () => {
    fc.assert(
      fc.property(inChina, fc.constantFrom<CoordSystem>('gcj02', 'bd09'), (p, system) => {
        expect(distanceKm(toWgs84(fromWgs84(p, system), system), p) * 1000).toBeLessThan(1);
      }),
      { numRuns: 2000 },
    );
    const xujiahui = { lat: 31.19, lng: 121.43 };
    const shift = distanceKm(fromWgs84(xujiahui, 'gcj02'), xujiahui) * 1000;
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(800);
  });

  it('leaves points outside China as they are (GCJ-02 applies in China only)', () => {
    const paris = { lat: 48.8566, lng: 2.3522 };
    expect(toWgs84(paris, 'gcj02')).toEqual(paris);
    expect(fromWgs84(paris, 'gcj02')).toEqual(paris);
  });
});

import type { LatLng } from './distance.ts';

/** The systems coordinates come in: GPS, China's mandated offset (AMap, Tencent), Baidu's on top of it. */
export const COORD_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type CoordSystem = (typeof COORD_SYSTEMS)[number];

// The published GCJ-02 parameters (Krasovsky 1940 ellipsoid) and Baidu's offset constant.
const A = 6378245.0;
const EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** GCJ-02 is applied inside China only; outside, it equals WGS-84. */
const outsideChina = ({ lat, lng }: LatLng) => lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

function wgsToGcj(p: LatLng): LatLng {
  if (outsideChina(p)) return p;
  const dLatRaw = offsetLat(p.lng - 105.0, p.lat - 35.0);
  const dLngRaw = offsetLng(p.lng - 105.0, p.lat - 35.0);
  const radLat = (p.lat / 180.0) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLatRaw * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (dLngRaw * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: p.lat + dLat, lng: p.lng + dLng };
}

/** No closed form back: iterate the forward transform until it lands on the point (well under a metre). */
function gcjToWgs(p: LatLng): LatLng {
  if (outsideChina(p)) return p;
  let guess = p;
  for (let i = 0; i < 10; i++) {
    const there = wgsToGcj(guess);
    const dLat = there.lat - p.lat;
    const dLng = there.lng - p.lng;
    guess = { lat: guess.lat - dLat, lng: guess.lng - dLng };
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLng) < 1e-9) break;
  }
  return guess;
}

function gcjToBd({ lat, lng }: LatLng): LatLng {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * X_PI);
  return { lat: z * Math.sin(theta) + 0.006, lng: z * Math.cos(theta) + 0.0065 };
}

function bdToGcj(p: LatLng): LatLng {
  const x = p.lng - 0.0065;
  const y = p.lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return { lat: z * Math.sin(theta), lng: z * Math.cos(theta) };
}

/** A point given in `from` as WGS-84, the system stores are kept in. */
export function toWgs84(p: LatLng, from: CoordSystem): LatLng {
  switch (from) {
    case 'wgs84':
      return p;
    case 'gcj02':
      return gcjToWgs(p);
    case 'bd09':
      return gcjToWgs(bdToGcj(p));
    default:
      return from satisfies never;
  }
}

/** The position a scanner shared, in WGS-84: none without their consent, whatever else was sent. */
export function sharedPosition(input: { consent: boolean; lat?: number | undefined; lng?: number | undefined; coordSystem: CoordSystem }): LatLng | null {
  return input.consent && input.lat !== undefined && input.lng !== undefined ? toWgs84({ lat: input.lat, lng: input.lng }, input.coordSystem) : null;
}

/** A WGS-84 point in the system a caller asked for. */
export function fromWgs84(p: LatLng, to: CoordSystem): LatLng {
  switch (to) {
    case 'wgs84':
      return p;
    case 'gcj02':
      return wgsToGcj(p);
    case 'bd09':
      return gcjToBd(wgsToGcj(p));
    default:
      return to satisfies never;
  }
}

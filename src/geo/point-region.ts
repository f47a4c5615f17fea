import { createRequire } from 'node:module';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { LatLng } from './distance.ts';

interface Feature {
  type: 'Feature';
  properties: { name: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

interface Area {
  name: string;
  feature: Feature;
  bbox: [number, number, number, number];
}

function bboxOf(f: Feature): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0] as number);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0] as number);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(f.geometry.coordinates);
  return box;
}

const areas = (features: Feature[]): Area[] => features.map((feature) => ({ name: feature.properties.name, feature, bbox: bboxOf(feature) }));

const inside = (a: Area, p: LatLng) =>
  p.lng >= a.bbox[0] && p.lat >= a.bbox[1] && p.lng <= a.bbox[2] && p.lat <= a.bbox[3] && booleanPointInPolygon([p.lng, p.lat], a.feature as never);

const MUNICIPALITIES = new Set(['北京', '天津', '上海', '重庆']);

let loaded: { provinces: Area[]; cities: Map<string, Area[]> } | null = null;

/** Loaded on first use: the polygons take a few megabytes that a server without region codes never needs. */
function load() {
  if (loaded) return loaded;
  const maps = createRequire(import.meta.url)('china-geojson') as Record<string, { features: Feature[] }>;
  const provinces = areas(maps.China!.features);
  const cities = new Map(provinces.map((p) => [p.name, areas(maps[p.name]?.features ?? [])]));
  loaded = { provinces, cities };
  return loaded;
}

/**
 * The province and city a point lies in, offline (city boundaries of about 2010; names are
 * compared in their short form, so renamed suffixes do not matter). Null outside China's provinces.
 */
export function regionOfPoint(p: LatLng): { province: string; city: string | null } | null {
  const { provinces, cities } = load();
  const province = provinces.find((a) => inside(a, p));
  if (!province) return null;
  if (MUNICIPALITIES.has(province.name)) return { province: province.name, city: province.name };
  const city = cities.get(province.name)?.find((a) => inside(a, p));
  return { province: province.name, city: city?.name ?? null };
}

import { createRequire } from 'node:module';
import { normalizeRegion } from './region-names.ts';

// china-area-data v5: the statistics bureau's codes, "86" → provinces, province code → cities, city code → districts.
const data = createRequire(import.meta.url)('china-area-data/v5/data.json') as Record<string, Record<string, string>>;

export interface Division {
  province: string;
  provinceCode: string;
  city: string;
  cityCode: string;
  district: string | null;
  districtCode: string | null;
}

export type DivisionError = { field: 'province' | 'city' | 'district'; message: string };

/** Municipalities (北京市, 上海市…) list one pseudo-city, "市辖区": the city is the municipality itself. */
const PSEUDO_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function find(level: Record<string, string> | undefined, name: string): [string, string] | null {
  if (!level) return null;
  const short = normalizeRegion(name);
  for (const [code, full] of Object.entries(level)) if (full === name.trim() || normalizeRegion(full) === short) return [code, full];
  return null;
}

/**
 * A province, city and optional district as written by a person ("上海", "上海市", "广西壮族自治区"),
 * checked against the offline list and given their full names and codes.
 */
export function resolveDivision(province: string, city: string, district?: string | null): Division | DivisionError {
  const p = find(data['86'], province);
  if (!p) return { field: 'province', message: `${province} is not a province-level division of China` };
  const cities = data[p[0]] ?? {};
  let c = find(cities, city);
  const pseudo = Object.entries(cities).filter(([, name]) => PSEUDO_CITIES.has(name));
  // A municipality, or a county-level city directly under its province (仙桃, 济源…), named as the city.
  if (!c && normalizeRegion(city) === normalizeRegion(p[1]) && pseudo.length > 0) c = [pseudo[0]![0], p[1]];
  if (!c) {
    for (const [code] of pseudo) {
      const direct = find(data[code], city);
      if (direct) return { province: p[1], provinceCode: p[0], city: direct[1], cityCode: direct[0], district: null, districtCode: null };
    }
    return { field: 'city', message: `${city} is not a city of ${p[1]}` };
  }
  const cityName = PSEUDO_CITIES.has(c[1]) ? p[1] : c[1];
  if (!district) return { province: p[1], provinceCode: p[0], city: cityName, cityCode: c[0], district: null, districtCode: null };
  const districts = pseudo.length > 0 && cityName === p[1] ? Object.assign({}, ...pseudo.map(([code]) => data[code] ?? {})) : data[c[0]];
  const d = find(districts, district);
  if (!d) return { field: 'district', message: `${district} is not a district of ${cityName}` };
  return { province: p[1], provinceCode: p[0], city: cityName, cityCode: c[0], district: d[1], districtCode: d[0] };
}

export const isDivisionError = (r: Division | DivisionError): r is DivisionError => 'field' in r;

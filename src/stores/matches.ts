import type { LatLng } from '../geo/distance.ts';
import type { HomeArea } from '../geo/match-store.ts';
import { normalizeRegion } from '../geo/region-names.ts';
import { newId } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { StoreMatchRepo } from './match-repo.ts';

/** About 1 km: two decimals of a degree. The exact position is never kept. */
export const coarse = (p: LatLng): LatLng => ({ lat: Math.round(p.lat * 100) / 100, lng: Math.round(p.lng * 100) / 100 });

export interface MatchRecord {
  codeId: string;
  scanId: string | null;
  visitorId: string;
  at: number;
  consent: boolean;
  source: 'gps' | 'ip' | 'none';
  location: LatLng | null;
  storeId: string | null;
  storeCity: string | null;
  staffId: string | null;
  rule: string;
  fallback: boolean;
}

/** How many of a visitor's latest matches must share a city for it to be their usual area. */
const HOME_WINDOW = 5;
const HOME_MIN = 2;

/** Each region-code match: consent or refusal, the coarse location sealed (AES-GCM), the store and member. */
export class StoreMatches {
  constructor(
    private readonly repo: StoreMatchRepo,
    private readonly box: SecretBox,
  ) {}

  async record(m: MatchRecord): Promise<void> {
    await this.repo.insert({
      id: newId(m.at), code_id: m.codeId, scan_id: m.scanId, visitor_id: m.visitorId, at: m.at, consent: m.consent ? 1 : 0, source: m.source,
      coarse: m.location ? this.box.seal(JSON.stringify(coarse(m.location))) : null, store_id: m.storeId, store_city: m.storeCity, staff_id: m.staffId,
      rule: m.rule, fallback: m.fallback ? 1 : 0,
    });
  }

  /** The city this visitor keeps being matched in on this code, and their latest store there. */
  async homeArea(codeId: string, visitorId: string): Promise<HomeArea | null> {
    const recent = (await this.repo.recentStores(codeId, visitorId, HOME_WINDOW)).map((r) => ({ ...r, city: normalizeRegion(r.city) }));
    const counts = new Map<string, number>();
    for (const r of recent) counts.set(r.city, (counts.get(r.city) ?? 0) + 1);
    const [city, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
    if (city === null || n < HOME_MIN) return null;
    return { city, storeId: recent.find((r) => r.city === city)!.storeId };
  }

  /** The store a member was matched at for this code, latest first up to `before`: the add's area tag. */
  storeOf(codeId: string, staffId: string, before: number): Promise<string | null> {
    return this.repo.storeOf(codeId, staffId, before);
  }
}

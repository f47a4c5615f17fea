import type { Kysely } from 'kysely';
import type { LatLng } from '../geo/distance.ts';
import type { HomeArea } from '../geo/match-store.ts';
import { normalizeRegion } from '../geo/region-names.ts';
import { newId } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Database } from '../storage/schema.ts';

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
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  async record(m: MatchRecord): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('store_matches')
        .values({
          id: newId(m.at), code_id: m.codeId, scan_id: m.scanId, visitor_id: m.visitorId, at: m.at, consent: m.consent ? 1 : 0, source: m.source,
          coarse: m.location ? this.box.seal(JSON.stringify(coarse(m.location))) : null, store_id: m.storeId, store_city: m.storeCity, staff_id: m.staffId,
          rule: m.rule, fallback: m.fallback ? 1 : 0,
        })
        .execute();
      // The scan now knows its member, as a staff code's does: customers who add them are traced to it.
      if (m.scanId && m.staffId) await trx.updateTable('scans').set({ staff_id: m.staffId }).where('id', '=', m.scanId).where('code_id', '=', m.codeId).execute();
    });
  }

  /** The city this visitor keeps being matched in on this code, and their latest store there. */
  async homeArea(codeId: string, visitorId: string): Promise<HomeArea | null> {
    const rows = await this.db
      .selectFrom('store_matches')
      .select(['store_id', 'store_city'])
      .where('code_id', '=', codeId)
      .where('visitor_id', '=', visitorId)
      .where('store_id', 'is not', null)
      .orderBy('at', 'desc')
      .limit(HOME_WINDOW)
      .execute();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(normalizeRegion(r.store_city!), (counts.get(normalizeRegion(r.store_city!)) ?? 0) + 1);
    const [city, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
    if (city === null || n < HOME_MIN) return null;
    const latest = rows.find((r) => normalizeRegion(r.store_city!) === city)!;
    return { city, storeId: latest.store_id! };
  }

  /** The store a member was matched at for this code, latest first up to `before`: the add's area tag. */
  async storeOf(codeId: string, staffId: string, before: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('store_matches')
      .select('store_id')
      .where('code_id', '=', codeId)
      .where('staff_id', '=', staffId)
      .where('at', '<=', before)
      .where('store_id', 'is not', null)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.store_id ?? null;
  }
}

import type { CodeConfig } from '../codes/model.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import type { StoreMatches } from './matches.ts';
import type { CatalogStore } from './service.ts';

/** The area tag of the store a region code matched a customer's scan to (before `before`, with that member); null without one. */
export const storeAreaTag = (matches: Pick<StoreMatches, 'storeOf'>, catalog: CachedValue<CatalogStore[]>) =>
  async (code: CodeConfig, staffId: string, before: number): Promise<string | null> => {
    const storeId = await matches.storeOf(code.id, staffId, before);
    return storeId === null ? null : ((await current(catalog)).find((s) => s.id === storeId)?.areaTag ?? null);
  };

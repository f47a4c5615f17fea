/** Which touch a customer is credited to: the first code that brought them, or the latest. */
export const ATTRIBUTION_MODELS = ['first_touch', 'last_touch'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export interface Touch {
  at: number;
  codeId: string | null;
  channelId: string | null;
}

/**
 * The first and the latest touch by time, whatever order they arrived in (a reconciled add can
 * come in after later ones); ties keep the one that arrived first.
 */
export function firstAndLast<T extends Touch>(touches: readonly T[]): { first: T | null; last: T | null } {
  let first: T | null = null;
  let last: T | null = null;
  for (const t of touches) {
    if (first === null || t.at < first.at) first = t;
    if (last === null || t.at > last.at) last = t;
  }
  return { first, last };
}

export const attributed = <T>(model: AttributionModel, pair: { first: T; last: T }): T => (model === 'first_touch' ? pair.first : pair.last);

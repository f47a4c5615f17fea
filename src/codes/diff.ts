import type { CodeConfig } from './model.ts';

// Bookkeeping fields change on every write and would drown the real change in noise.
const IGNORED = new Set<keyof CodeConfig>(['version', 'updatedAt', 'createdAt', 'id', 'slug']);

/** The fields a person changed, with before and after, for a code's version history. */
export function diffConfigs(before: CodeConfig | null, after: CodeConfig): { field: string; from: unknown; to: unknown }[] {
  const changes: { field: string; from: unknown; to: unknown }[] = [];
  for (const field of Object.keys(after) as (keyof CodeConfig)[]) {
    if (IGNORED.has(field)) continue;
    const from = before ? before[field] : null;
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

import type { SomeCodeTypeSchema } from './code-type.ts';
import { editableFields } from './model.ts';
import type { FieldChange } from '../shared/diff.ts';

const TIMES = new Set(['validFrom', 'validUntil']);
/** Whether the code is on paper is a fact about the world, not about its setup: a restore leaves it. */
const KEPT = new Set(['printed']);

/** A stored configuration (a version's snapshot, or today's code) as the fields PATCH takes, times as ISO strings. */
function editableOf(stored: Record<string, unknown>, type: SomeCodeTypeSchema): Record<string, unknown> {
  const own = type.stored ? stored[type.stored.key] : undefined;
  const fields: Record<string, unknown> = { ...stored, ...(own !== null && typeof own === 'object' ? own : {}) };
  const edit: Record<string, unknown> = {};
  for (const key of [...Object.keys(editableFields), ...Object.keys(type.fields)]) {
    if (KEPT.has(key) || !(key in fields)) continue;
    const value = fields[key];
    edit[key] = TIMES.has(key) && typeof value === 'number' ? new Date(value).toISOString() : value;
  }
  return edit;
}

/**
 * What restoring a version changes, as the edit that brings today's code back to it: each field
 * that differs, from its value today to the version's. The restore sends these `to` values as a
 * PATCH body, so they are checked against today's rules (a member since gone, a deleted material)
 * and held for approval like any edit. Fields the version predates are left as they are.
 */
export function restoringChanges(snapshot: Record<string, unknown>, current: Record<string, unknown>, type: SomeCodeTypeSchema): FieldChange[] {
  const now = editableOf(current, type);
  return Object.entries(editableOf(snapshot, type))
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(now[key]))
    .map(([field, to]) => ({ field, from: now[field] ?? null, to }));
}

import { diffFields, type FieldChange } from '../shared/diff.ts';
import type { CodeConfig } from './model.ts';

// Bookkeeping fields change on every write and would drown the real change in noise.
const IGNORED = new Set<string>(['version', 'updatedAt', 'createdAt', 'id', 'slug']);

/** The fields a person changed, with before and after, for a code's version history. */
export function diffConfigs(before: CodeConfig | null, after: CodeConfig): FieldChange[] {
  // A new code lists every field it was given, with `from` null.
  return diffFields(before ?? Object.fromEntries(Object.keys(after).map((k) => [k, null])), after, IGNORED);
}

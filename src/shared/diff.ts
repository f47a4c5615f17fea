export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** Top-level fields whose values differ (compared as JSON), skipping bookkeeping fields. */
export function diffFields(before: object | null, after: object | null, ignore: ReadonlySet<string>): FieldChange[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (ignore.has(field)) continue;
    const from = field in b ? b[field] : null;
    const to = field in a ? a[field] : null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

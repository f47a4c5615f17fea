/**
 * Values for an SQL `in (…)` that may be empty: with '' (no id, no department is '') added, an
 * empty set still filters, matching nothing, where `in ()` would be an error.
 */
export const inList = (values: Iterable<string>): string[] => ['', ...values];

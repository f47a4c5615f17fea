/** Epoch milliseconds as the ISO 8601 UTC text the API answers with. */
export const isoTime = (ms: number) => new Date(ms).toISOString();

/** The same, keeping "not set" as null. */
export const isoTimeOrNull = (ms: number | null) => (ms === null ? null : isoTime(ms));

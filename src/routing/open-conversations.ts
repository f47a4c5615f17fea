/**
 * A report older than this is ignored: when the customer-service system stops reporting, its last
 * numbers must not hold a member back by `maxOpen` for ever (they are routed as if none were open).
 */
export const OPEN_REPORT_MAX_AGE_MS = 10 * 60_000;

/** A member's open conversations as the customer-service system last reported them. */
export interface OpenReport {
  count: number;
  /** When the report reached us (our clock, not the reporter's). */
  reportedAt: number;
}

export const isFresh = (report: OpenReport, now: number) => now - report.reportedAt <= OPEN_REPORT_MAX_AGE_MS;

/** The open counts the picker may rely on at `now`: fresh reports of these members only. */
export function freshOpen(reports: ReadonlyMap<string, OpenReport>, ids: readonly string[], now: number): Map<string, number> {
  const open = new Map<string, number>();
  for (const id of ids) {
    const report = reports.get(id);
    if (report && isFresh(report, now)) open.set(id, report.count);
  }
  return open;
}

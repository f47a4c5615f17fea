import { invalid } from '../shared/errors.ts';
import { checkWayOut, type CodeConfig, type UpdateCodeInput } from './model.ts';
import { STAFF_FIELDS, type StaffSetup } from './staff-setup.ts';

/**
 * A code with an edit applied: a staff code's own fields go into its setup, and the checks that
 * span fields (a URL code's url, a staff code's way out, the validity window) hold afterwards.
 */
export const patched = (patch: UpdateCodeInput) => (current: CodeConfig): CodeConfig => {
  const staffPatch: Partial<StaffSetup> = {};
  const common: Partial<CodeConfig> = {};
  for (const [key, value] of Object.entries(patch)) {
    if ((STAFF_FIELDS as string[]).includes(key)) Object.assign(staffPatch, { [key]: value });
    else Object.assign(common, { [key]: value });
  }
  const staffKey = Object.keys(staffPatch)[0];
  if (staffKey !== undefined && current.staff === null) throw invalid(staffKey, `${staffKey} belongs to staff codes (type "staff")`);
  const next: CodeConfig = { ...current, ...common, staff: current.staff && { ...current.staff, ...staffPatch } };
  if (next.staff === null && !next.url) throw invalid('url', 'a URL code needs url: where its scans go');
  if (next.staff) {
    checkWayOut(
      { backupStaffIds: next.staff.backupStaffIds, url: next.url },
      { addIssue: (issue) => { throw invalid(issue.path.join('.'), issue.message); } },
    );
    if (next.rules.length > 0) throw invalid('rules', 'a staff code picks members with memberRules; rules send URL codes to other URLs');
  }
  checkWindow(next.validFrom, next.validUntil);
  return next;
};

export function checkWindow(from: number | null, until: number | null): void {
  if (from !== null && until !== null && until <= from) throw invalid('validUntil', 'validUntil must be later than validFrom');
}

import { invalid } from '../shared/errors.ts';
import { checkWayOut, type CodeConfig, type UpdateCodeInput } from './model.ts';
import { REGION_FIELDS, type RegionSetup } from './region-setup.ts';
import { STAFF_FIELDS, type StaffSetup } from './staff-setup.ts';

/**
 * A code with an edit applied: a staff code's own fields go into its setup, and the checks that
 * span fields (a URL code's url, a staff code's way out, the validity window) hold afterwards.
 */
export const patched = (patch: UpdateCodeInput) => (current: CodeConfig): CodeConfig => {
  const own: Record<string, unknown> = {};
  const common: Partial<CodeConfig> = {};
  const kindFields = current.staff ? (STAFF_FIELDS as string[]) : current.region ? (REGION_FIELDS as string[]).concat('backupStaffIds', 'welcomeMessages') : [];
  for (const [key, value] of Object.entries(patch)) {
    if (kindFields.includes(key)) own[key] = value;
    else if ((STAFF_FIELDS as string[]).includes(key) || (REGION_FIELDS as string[]).includes(key)) {
      throw invalid(key, `${key} belongs to ${(REGION_FIELDS as string[]).includes(key) ? 'region codes (type "region")' : 'staff codes (type "staff")'}`);
    } else Object.assign(common, { [key]: value });
  }
  const next: CodeConfig = {
    ...current,
    ...common,
    staff: current.staff && { ...current.staff, ...(own as Partial<StaffSetup>) },
    region: current.region && { ...current.region, ...(own as Partial<RegionSetup>) },
  };
  if (next.type === 'url' && !next.url) throw invalid('url', 'a URL code needs url: where its scans go');
  if (next.type !== 'url' && next.rules.length > 0) throw invalid('rules', 'only URL codes take rules');
  if (next.staff) {
    checkWayOut(
      { backupStaffIds: next.staff.backupStaffIds, url: next.url },
      { addIssue: (issue) => { throw invalid(issue.path.join('.'), issue.message); } },
    );
  }
  if (next.region && next.region.backupStaffIds.length === 0) throw invalid('backupStaffIds', 'a region code needs backup staff');
  checkWindow(next.validFrom, next.validUntil);
  return next;
};

export function checkWindow(from: number | null, until: number | null): void {
  if (from !== null && until !== null && until <= from) throw invalid('validUntil', 'validUntil must be later than validFrom');
}

import type { MemberEntry, StaffSetup } from './staff-setup.ts';
import type { Candidate, Tier } from './pick-staff.ts';
import type { Roster } from './roster.ts';

/**
 * Who may take a scan, in order: the roster (listed people; a listed department's people share its
 * weight), their department colleagues, the overflow departments, then the backup staff, who take
 * whatever is left. Nobody appears twice: the earliest tier keeps them.
 */
export function staffTiers(setup: StaffSetup, roster: Roster, entries: readonly MemberEntry[] = setup.members): Tier[] {
  const placed = new Set<string>();
  const take = (ids: Iterable<string>, weightOf: (id: string) => number, group?: Candidate['group']): Candidate[] => {
    const out: Candidate[] = [];
    for (const id of ids) {
      if (placed.has(id)) continue;
      placed.add(id);
      out.push({ staffId: id, weight: weightOf(id), ...(group ? { group } : {}) });
    }
    return out;
  };
  const ownWeight = (id: string) => roster.members.get(id)?.weight ?? 1;

  const members: Candidate[] = [];
  for (const entry of entries) {
    if (entry.staffId !== undefined) members.push(...take([entry.staffId], () => entry.weight));
    else members.push(...take(roster.staffUnder(entry.departmentId!), ownWeight, { id: entry.departmentId!, weight: entry.weight }));
  }
  const tiers: Tier[] = [{ name: 'members', candidates: members }];
  if (setup.overflowColleagues) {
    const departments = new Set(entries.flatMap((e) => (e.staffId !== undefined ? [roster.members.get(e.staffId)?.departmentId ?? null] : [])));
    const colleagues = [...departments].flatMap((d) => (d === null ? [] : roster.staffIn(d)));
    tiers.push({ name: 'colleagues', candidates: take(colleagues, ownWeight) });
  }
  tiers.push({ name: 'departments', candidates: take(setup.overflowDepartmentIds.flatMap((d) => roster.staffUnder(d)), ownWeight) });
  tiers.push({ name: 'backup', candidates: take(setup.backupStaffIds, () => 1), lastResort: true });
  return tiers.filter((t) => t.candidates.length > 0);
}

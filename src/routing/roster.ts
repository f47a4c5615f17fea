import type { StaffMember } from './pick-staff.ts';

/** A staff member as the scan path sees them: what picking needs, and what the scanner is shown. */
export interface RosterMember extends StaffMember {
  name: string;
  departmentId: string | null;
  wecomUserId: string | null;
  contactQrUrl: string | null;
  avatarUrl: string | null;
  weight: number;
}

/** Everyone a staff code can reach, with the department tree; rebuilt whenever staff or departments change. */
export class Roster {
  private readonly children = new Map<string, string[]>();
  private readonly byDepartment = new Map<string, string[]>();

  constructor(
    readonly members: ReadonlyMap<string, RosterMember>,
    private readonly departments: ReadonlyMap<string, string | null>,
  ) {
    for (const [id, parent] of departments) {
      if (parent !== null) this.children.set(parent, [...(this.children.get(parent) ?? []), id]);
    }
    for (const m of members.values()) {
      if (m.departmentId !== null) this.byDepartment.set(m.departmentId, [...(this.byDepartment.get(m.departmentId) ?? []), m.id]);
    }
  }

  hasDepartment(id: string): boolean {
    return this.departments.has(id);
  }

  /** People of this department only. */
  staffIn(departmentId: string): readonly string[] {
    return this.byDepartment.get(departmentId) ?? [];
  }

  /** People of this department and every department below it. */
  staffUnder(departmentId: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const walk = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      out.push(...this.staffIn(id));
      for (const child of this.children.get(id) ?? []) walk(child);
    };
    walk(departmentId);
    return out;
  }
}

import { z } from 'zod';
import { httpUrl } from '../shared/url.ts';
import { invalid } from '../shared/errors.ts';
import type { CodeTypeSchema } from '../codes/code-type.ts';
import { refuseEditedRules, refuseRules } from '../codes/code-schemas.ts';
import { conditionsSchema, HH_MM } from '../codes/fields.ts';
import type { Issues } from '../codes/model.ts';

const id = z.string().min(1).max(40);

/** One line of a staff code's roster: a person, or a whole department (its sub-departments included). */
export const memberEntrySchema = z
  .strictObject({
    staffId: id.optional(),
    departmentId: id.optional(),
    /** Share of the scans: members 3 and 7 get 30 % and 70 %; a department's share is split among its people. */
    weight: z.number().int().min(1).max(1000).default(1),
  })
  .refine((m) => (m.staffId === undefined) !== (m.departmentId === undefined), { message: 'give either staffId or departmentId', path: ['staffId'] });
export type MemberEntry = z.output<typeof memberEntrySchema>;

const members = z.array(memberEntrySchema).min(1, 'a staff code needs at least one member').max(2000);

/** A different roster for some scans: weekday evenings → night shift, Shanghai → local sales. */
export const memberRuleSchema = z.strictObject({
  name: z.string().trim().max(50).optional(),
  when: conditionsSchema,
  members,
  enabled: z.boolean().default(true),
});
export type MemberRule = z.output<typeof memberRuleSchema>;

/** A greeting sent when a customer adds the member; the first variant whose conditions hold is sent. */
export const welcomeSchema = z.strictObject({
  name: z.string().trim().max(50).optional(),
  text: z.string().trim().min(1).max(4000),
  link: z.strictObject({ title: z.string().trim().min(1).max(128), url: httpUrl, desc: z.string().max(512).optional(), picUrl: httpUrl.optional() }).optional(),
  imageUrl: httpUrl.optional(),
  /** Only for customers who came through one of these channels or a channel below them. */
  channelIds: z.array(id).min(1).max(50).optional(),
  timeOfDay: z
    .strictObject({ from: z.string().regex(HH_MM, 'must be HH:MM (24-hour)'), to: z.string().regex(HH_MM, 'must be HH:MM (24-hour)') })
    .refine((w) => w.from !== w.to, { message: 'from and to must differ (a window may cross midnight)', path: ['to'] })
    .optional(),
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
});
export type WelcomeMessage = z.output<typeof welcomeSchema>;

export const STRATEGIES = ['weighted', 'round_robin', 'least_loaded'] as const;

/** What a staff code has beyond a live code's fields; flattened into the code in the API. */
export const staffFields = {
  members,
  strategy: z.enum(STRATEGIES),
  /** The last resort: they take a scan whatever their hours and limits (never when away or gone). */
  backupStaffIds: z.array(id).max(50),
  /** When the picked members are all full or off duty, try their department colleagues next. */
  overflowColleagues: z.boolean(),
  /** Then people of these departments. */
  overflowDepartmentIds: z.array(id).max(50),
  /** Outside every member's working hours: overflow as usual, or close with an off-hours page. */
  offHours: z.enum(['overflow', 'close']),
  memberRules: z.array(memberRuleSchema).max(50),
  /** The same device scanning again within this many hours meets the same member and is not counted again. */
  dedupeHours: z.number().min(0).max(72),
  welcomeMessages: z.array(welcomeSchema).max(20),
};

export interface StaffSetup {
  members: MemberEntry[];
  strategy: (typeof STRATEGIES)[number];
  backupStaffIds: string[];
  overflowColleagues: boolean;
  overflowDepartmentIds: string[];
  offHours: 'overflow' | 'close';
  memberRules: MemberRule[];
  dedupeHours: number;
  welcomeMessages: WelcomeMessage[];
}

/** Every staff and department id a setup names, with the field a missing one is reported under. */
export function referencedIds(s: StaffSetup): { staff: [string, string][]; departments: [string, string][] } {
  const staff: [string, string][] = [];
  const departments: [string, string][] = [];
  const add = (list: MemberEntry[], path: string) =>
    list.forEach((m, i) => {
      if (m.staffId !== undefined) staff.push([m.staffId, `${path}.${i}.staffId`]);
      if (m.departmentId !== undefined) departments.push([m.departmentId, `${path}.${i}.departmentId`]);
    });
  add(s.members, 'members');
  s.memberRules.forEach((r, i) => add(r.members, `memberRules.${i}.members`));
  s.backupStaffIds.forEach((sid, i) => staff.push([sid, `backupStaffIds.${i}`]));
  s.overflowDepartmentIds.forEach((d, i) => departments.push([d, `overflowDepartmentIds.${i}`]));
  return { staff, departments };
}

/** A setup as created: what was not given takes its default. */
export function withStaffDefaults(given: Partial<StaffSetup> & { members: StaffSetup['members'] }): StaffSetup {
  return {
    members: given.members,
    strategy: given.strategy ?? 'weighted',
    backupStaffIds: given.backupStaffIds ?? [],
    overflowColleagues: given.overflowColleagues ?? true,
    overflowDepartmentIds: given.overflowDepartmentIds ?? [],
    offHours: given.offHours ?? 'overflow',
    memberRules: given.memberRules ?? [],
    dedupeHours: given.dedupeHours ?? 3,
    welcomeMessages: given.welcomeMessages ?? [],
  };
}

/** A staff code must always have somewhere to send a scan when nobody on its roster can take it. */
export function checkWayOut(c: { backupStaffIds: string[]; url: string | null }, issues: Issues): void {
  if (c.backupStaffIds.length === 0 && !c.url) {
    const message = 'a staff code needs a way out when nobody can take a scan: backupStaffIds, or a backup page in url';
    issues.addIssue({ code: 'custom', path: ['backupStaffIds'], message });
  }
}

const throwing: Issues = { addIssue: (issue) => { throw invalid(issue.path.join('.'), issue.message); } };

/** A staff code's configuration: its setup, stored as JSON in the `staff` column. */
export const staffCodeSchema: CodeTypeSchema<'staff'> = {
  type: 'staff',
  label: 'staff codes (type "staff")',
  fields: staffFields,
  // Rows written before a field existed take its default.
  stored: { key: 'staff', schema: z.object(staffFields).partial().required({ members: true }).transform(withStaffDefaults) },
  checkNew(input, issues) {
    refuseRules(this.label, input, issues);
    if (input.members === undefined) issues.addIssue({ code: 'custom', path: ['members'], message: 'a staff code needs members' });
    checkWayOut({ backupStaffIds: (input.backupStaffIds as string[] | undefined) ?? [], url: input.url ?? null }, issues);
  },
  setup: (input) => ({ staff: withStaffDefaults(input as unknown as Partial<StaffSetup> & Pick<StaffSetup, 'members'>) }),
  edit(code, own) {
    const next = { ...code, staff: { ...code.staff, ...(own as Partial<StaffSetup>) } };
    refuseEditedRules(next);
    checkWayOut({ backupStaffIds: next.staff.backupStaffIds, url: next.url }, throwing);
    return next;
  },
  view: (code) => ({ ...code.staff }),
};

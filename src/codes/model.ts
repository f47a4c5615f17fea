import { z } from 'zod';
import { codeName, conditionsSchema, httpUrl, isoInstant, timeZone } from './fields.ts';
import { STAFF_FIELDS, staffFields, withStaffDefaults, type StaffSetup } from './staff-setup.ts';

export { OS_NAMES, httpUrl, codeName, isTimeZone, conditionsSchema, type OsName, type Conditions, type ConditionKind } from './fields.ts';

export const ruleSchema = z.strictObject({
  name: z.string().trim().max(50).optional(),
  when: conditionsSchema,
  url: httpUrl,
  enabled: z.boolean().default(true),
});
export type Rule = z.output<typeof ruleSchema>;

/**
 * How many served scans one device (the browser's visitor cookie) may have: per day in the
 * code's time zone, or in all. Over the limit it is sent to `url`, else shown a page.
 */
const deviceLimitSchema = z.strictObject({
  max: z.number().int().min(1).max(10_000),
  period: z.enum(['day', 'total']),
  url: httpUrl.nullable().default(null),
});
export type DeviceLimit = z.output<typeof deviceLimitSchema>;

const tag = z.string().trim().min(1).max(20);

/** Fields a person sets on a live code; shared by create and update. */
const editable = {
  name: codeName,
  rules: z.array(ruleSchema).max(100),
  tags: z.array(tag).max(20).transform((tags) => [...new Set(tags)]),
  timeZone,
  validFrom: isoInstant.nullable(),
  validUntil: isoInstant.nullable(),
  maxScans: z.number().int().positive().max(2_000_000_000).nullable(),
  deviceLimit: deviceLimitSchema.nullable(),
  paused: z.boolean(),
  /** Marked once the code is on paper: approval rules can then guard its changes. */
  printed: z.boolean(),
  /** The department the code belongs to; null: the whole workspace. */
  departmentId: z.string().min(1).max(40).nullable(),
  /** The channel (campaign > platform > phase) its scans are attributed to. */
  channelId: z.string().min(1).max(40).nullable(),
  expiredUrl: httpUrl.nullable(),
  note: z.string().max(500).nullable(),
};

export const CODE_TYPES = ['url', 'staff'] as const;
export type CodeType = (typeof CODE_TYPES)[number];

const staffOptional = Object.fromEntries(STAFF_FIELDS.map((f) => [f, staffFields[f].optional()])) as {
  [K in keyof typeof staffFields]: z.ZodOptional<(typeof staffFields)[K]>;
};

/** Every field a code may be created with; `createCodeSchema` adds the checks between them. */
export const codeShape = z.strictObject({
  ...editable,
  type: z.enum(CODE_TYPES).default('url'),
  /** A URL code's destination; on a staff code, the backup page shown when nobody can take a scan. */
  url: httpUrl.nullable().optional(),
  rules: editable.rules.default([]),
  tags: editable.tags.default([]),
  timeZone: timeZone.default('Asia/Shanghai'),
  validFrom: editable.validFrom.default(null),
  validUntil: editable.validUntil.default(null),
  maxScans: editable.maxScans.default(null),
  deviceLimit: editable.deviceLimit.default(null),
  paused: editable.paused.default(false),
  printed: editable.printed.default(false),
  departmentId: editable.departmentId.default(null),
  channelId: editable.channelId.default(null),
  expiredUrl: editable.expiredUrl.default(null),
  note: editable.note.default(null),
  ...staffOptional,
});

type Issues = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/** A staff code must always have somewhere to send a scan when nobody on its roster can take it. */
export function checkWayOut(c: { backupStaffIds: string[]; url: string | null }, ctx: Issues): void {
  if (c.backupStaffIds.length === 0 && !c.url) {
    ctx.addIssue({ code: 'custom', path: ['backupStaffIds'], message: 'a staff code needs a way out when nobody can take a scan: backupStaffIds, or a backup page in url' });
  }
}

export const createCodeSchema = codeShape
  .superRefine((c, ctx) => {
    if (c.type === 'url') {
      if (!c.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a URL code needs url: where its scans go' });
      for (const f of STAFF_FIELDS) if (c[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} belongs to staff codes (type "staff")` });
      return;
    }
    if (c.members === undefined) ctx.addIssue({ code: 'custom', path: ['members'], message: 'a staff code needs members' });
    if (c.rules.length > 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'a staff code picks members with memberRules; rules send URL codes to other URLs' });
    checkWayOut({ backupStaffIds: c.backupStaffIds ?? [], url: c.url ?? null }, ctx);
  })
  .transform((c) => {
    const common = Object.fromEntries(Object.entries(c).filter(([k]) => !(STAFF_FIELDS as string[]).includes(k))) as Omit<typeof c, keyof typeof staffFields>;
    const staff: StaffSetup | null = c.type === 'staff' ? withStaffDefaults(c as Partial<StaffSetup> & { members: StaffSetup['members'] }) : null;
    return { ...common, url: c.url ?? null, staff };
  });
export type CreateCodeInput = z.output<typeof createCodeSchema>;

export const updateCodeSchema = z.strictObject({ ...editable, url: httpUrl.nullable(), ...staffFields }).partial();
export type UpdateCodeInput = z.output<typeof updateCodeSchema>;

/** The stored configuration of a code: what a scan is decided from, and what a version records. */
export interface CodeConfig {
  id: string;
  slug: string;
  type: CodeType;
  name: string;
  /** A URL code's destination; a staff code's backup page (null: none). */
  url: string | null;
  /** A staff code's roster and greetings; null on a URL code. */
  staff: StaffSetup | null;
  rules: Rule[];
  tags: string[];
  timeZone: string;
  validFrom: number | null;
  validUntil: number | null;
  maxScans: number | null;
  deviceLimit: DeviceLimit | null;
  paused: boolean;
  printed: boolean;
  departmentId: string | null;
  channelId: string | null;
  expiredUrl: string | null;
  note: string | null;
  archivedAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export const CODE_STATUSES = ['active', 'paused', 'scheduled', 'ended', 'limit_reached', 'archived'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

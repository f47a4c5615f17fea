import { z } from 'zod';
import { httpUrl } from '../shared/url.ts';
import { codeName, conditionsSchema, isoInstant, timeZone } from './fields.ts';
import { REGION_FIELDS, regionFields, withRegionDefaults, type RegionSetup } from './region-setup.ts';
import { STAFF_FIELDS, staffFields, withStaffDefaults, type StaffSetup } from './staff-setup.ts';

export { OS_NAMES, codeName, isTimeZone, conditionsSchema, type OsName, type Conditions, type ConditionKind } from './fields.ts';

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
  tags: z.array(tag).max(20).transform((tags) => [...new Set(tags)]).pipe(z.array(z.string())),
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

export const CODE_TYPES = ['url', 'staff', 'region'] as const;
export type CodeType = (typeof CODE_TYPES)[number];

const staffOptional = Object.fromEntries(STAFF_FIELDS.map((f) => [f, staffFields[f].optional()])) as {
  [K in keyof typeof staffFields]: z.ZodOptional<(typeof staffFields)[K]>;
};
const regionOptional = Object.fromEntries(REGION_FIELDS.map((f) => [f, regionFields[f].optional()])) as {
  [K in keyof typeof regionFields]: z.ZodOptional<(typeof regionFields)[K]>;
};

/** Staff-code fields that region codes have too. */
const SHARED_FIELDS = ['backupStaffIds', 'welcomeMessages'] as const;

/** Fields of one kind of code that another kind refuses (backup staff and welcome messages serve staff and region codes alike). */
const FOREIGN: Record<CodeType, readonly string[]> = {
  url: [...STAFF_FIELDS, ...REGION_FIELDS],
  staff: REGION_FIELDS,
  region: STAFF_FIELDS.filter((f) => !(SHARED_FIELDS as readonly string[]).includes(f)),
};
const KIND_NAME: Record<CodeType, string> = { url: 'URL codes', staff: 'staff codes (type "staff")', region: 'region codes (type "region")' };
const ownerOf = (field: string) => (REGION_FIELDS as string[]).includes(field) ? KIND_NAME.region : KIND_NAME.staff;

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
  ...regionOptional,
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
    for (const f of FOREIGN[c.type]) {
      if (c[f as keyof typeof c] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} belongs to ${ownerOf(f)}` });
    }
    if (c.type === 'url') {
      if (!c.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a URL code needs url: where its scans go' });
      return;
    }
    if (c.rules.length > 0) ctx.addIssue({ code: 'custom', path: ['rules'], message: `${KIND_NAME[c.type]} do not take rules; rules send URL codes to other URLs` });
    if (c.type === 'staff') {
      if (c.members === undefined) ctx.addIssue({ code: 'custom', path: ['members'], message: 'a staff code needs members' });
      checkWayOut({ backupStaffIds: c.backupStaffIds ?? [], url: c.url ?? null }, ctx);
      return;
    }
    if (c.storeIds === undefined) ctx.addIssue({ code: 'custom', path: ['storeIds'], message: 'a region code needs storeIds' });
    if (c.serviceArea === undefined) ctx.addIssue({ code: 'custom', path: ['serviceArea'], message: 'a region code needs serviceArea: distance (km), city or province' });
    if (!c.backupStaffIds?.length) ctx.addIssue({ code: 'custom', path: ['backupStaffIds'], message: 'a region code needs backup staff: for scanners outside every area, without location, or at a store with nobody on duty' });
  })
  .transform((c) => {
    const foreign = new Set<string>([...STAFF_FIELDS, ...REGION_FIELDS]);
    const common = Object.fromEntries(Object.entries(c).filter(([k]) => !foreign.has(k))) as Omit<typeof c, keyof typeof staffFields | keyof typeof regionFields>;
    const staff: StaffSetup | null = c.type === 'staff' ? withStaffDefaults(c as Partial<StaffSetup> & { members: StaffSetup['members'] }) : null;
    const region: RegionSetup | null = c.type === 'region' ? withRegionDefaults(c as Partial<RegionSetup> & Pick<RegionSetup, 'storeIds' | 'serviceArea' | 'backupStaffIds'>) : null;
    return { ...common, url: c.url ?? null, staff, region };
  });
export type CreateCodeInput = z.output<typeof createCodeSchema>;

export const updateCodeSchema = z.strictObject({ ...editable, url: httpUrl.nullable(), ...staffFields, ...regionFields }).partial();
export type UpdateCodeInput = z.output<typeof updateCodeSchema>;

/** The stored configuration of a code: what a scan is decided from, and what a version records. */
export interface CodeConfig {
  id: string;
  slug: string;
  type: CodeType;
  name: string;
  /** A URL code's destination; a staff code's backup page (null: none). */
  url: string | null;
  /** A staff code's roster and greetings; null on other codes. */
  staff: StaffSetup | null;
  /** A region code's stores and service area; null on other codes. */
  region: RegionSetup | null;
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

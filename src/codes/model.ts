import { z } from 'zod';
import { parseCidr } from '../geo/ip.ts';

export const OS_NAMES = ['ios', 'android', 'harmonyos', 'windows', 'macos', 'other'] as const;
export type OsName = (typeof OS_NAMES)[number];

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// URL');

export const codeName = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{Nd} _-]{1,30}$/u, 'must be 1–30 characters: letters (Chinese included), digits, space, "-" or "_"');

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
const isoInstant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const regionList = z.array(z.string().trim().min(1).max(30)).min(1).max(500);
const percentPoint = z.number().min(0).max(100);

export const conditionsSchema = z
  .strictObject({
    timeOfDay: z
      .strictObject({
        from: z.string().regex(HH_MM, 'must be HH:MM (24-hour)'),
        to: z.string().regex(HH_MM, 'must be HH:MM (24-hour)'),
      })
      .refine((w) => w.from !== w.to, { message: 'from and to must differ (a window may cross midnight)', path: ['to'] }),
    weekdays: z
      .array(z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)'))
      .min(1)
      .max(7),
    dateRange: z
      .strictObject({
        from: z.string().regex(ISO_DATE, 'must be a date YYYY-MM-DD').optional(),
        to: z.string().regex(ISO_DATE, 'must be a date YYYY-MM-DD').optional(),
      })
      .refine((r) => r.from !== undefined || r.to !== undefined, 'needs from, to or both')
      .refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from must not be after to', path: ['to'] }),
    cities: regionList,
    provinces: regionList,
    os: z.array(z.enum(OS_NAMES)).min(1),
    inWeChat: z.boolean(),
    ipCidrs: z
      .array(z.string().refine((s) => parseCidr(s) !== null, 'must be an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8'))
      .min(1)
      .max(1000),
    visitor: z.enum(['new', 'returning']),
    percent: z
      .union([percentPoint, z.strictObject({ from: percentPoint, to: percentPoint })])
      .transform((p) => (typeof p === 'number' ? { from: 0, to: p } : p))
      .refine((p) => p.from < p.to, 'from must be below to'),
    near: z.strictObject({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      km: z.number().positive().max(20000),
    }),
  })
  .partial()
  .refine((w) => Object.keys(w).length > 0, 'needs at least one condition');

export type Conditions = z.output<typeof conditionsSchema>;
export type ConditionKind = keyof Conditions;

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
  url: httpUrl,
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

export const createCodeSchema = z.strictObject({
  ...editable,
  type: z.literal('url').default('url'),
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
});
export type CreateCodeInput = z.output<typeof createCodeSchema>;

export const updateCodeSchema = z.strictObject(editable).partial();
export type UpdateCodeInput = z.output<typeof updateCodeSchema>;

/** The stored configuration of a code: what a scan is decided from, and what a version records. */
export interface CodeConfig {
  id: string;
  slug: string;
  type: 'url';
  name: string;
  url: string;
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

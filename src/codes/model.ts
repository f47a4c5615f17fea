import { z } from 'zod';
import { httpUrl } from '../shared/url.ts';
import { codeName, conditionsSchema, isoInstant, timeZone } from './fields.ts';
import { pageDesignSchema, type PageDesign } from './page-design.ts';

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
export const deviceLimitSchema = z.strictObject({
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
  /** How its landing pages look; null: the plain pages. */
  page: pageDesignSchema.nullable(),
};

/** Fields of a code every type has, with their defaults on create. */
export const commonFields = {
  ...editable,
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
  page: editable.page.default(null),
};

/** Fields of a code a person may change (every type's own fields are added by the code schemas). */
export const editableFields = { ...editable, url: httpUrl.nullable() };

/** A create request as parsed, before its type adds its part: the common fields and every type's fields given. */
export type NewCodeFields = z.output<z.ZodObject<typeof commonFields>> & { type: CodeType } & Record<string, unknown>;

export type Issues = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/** A code as created: its configuration without what the service assigns (id, slug, version, times). */
export type CreateCodeInput = WithoutServiceFields<CodeConfig>;
type WithoutServiceFields<C> = C extends unknown ? Omit<C, 'id' | 'slug' | 'archivedAt' | 'version' | 'createdAt' | 'updatedAt'> : never;

export type UpdateCodeInput = Partial<z.output<z.ZodObject<typeof editableFields>>> & Record<string, unknown>;

/** How stored rules and device limits are read back: a stored URL is repaired or dropped by servableUrls, never refused here. */
export const storedRules = z.array(ruleSchema.extend({ url: z.string() }));
export const storedDeviceLimit = deviceLimitSchema.extend({ url: z.string().nullable() }).nullable();
export const storedTags = z.array(z.string());
export const storedPage = pageDesignSchema.nullable();

/** What every code has, whatever its type. */
export interface CodeBase {
  id: string;
  slug: string;
  name: string;
  /** A URL code's destination; a staff code's backup page (null: none). */
  url: string | null;
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
  page: PageDesign | null;
  archivedAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * What each code type adds to the common fields, by type. A type's own folder adds its entry by
 * declaration merging (`declare module '../codes/model.ts'`), so the union below grows without an
 * edit here.
 */
export interface CodeSetups {
  url: { url: string };
}

export type CodeType = keyof CodeSetups;

/** A code of one type: the common fields, narrowed or extended by what the type adds. */
type CodeVariant<T extends CodeType> = Omit<CodeBase, keyof CodeSetups[T]> & CodeSetups[T] & { type: T };

/** The stored configuration of a code, discriminated by `type`: what a scan is decided from, and what a version records. */
export type CodeConfig = { [T in CodeType]: CodeVariant<T> }[CodeType];

/** The configuration of a code of one type. */
export type CodeOf<T extends CodeType> = Extract<CodeConfig, { type: T }>;

export const CODE_STATUSES = ['active', 'paused', 'scheduled', 'ended', 'limit_reached', 'archived'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

import { z } from 'zod';
import { parseCidr } from '../geo/ip.ts';

/** Field schemas shared by live codes and staff codes. */
export const OS_NAMES = ['ios', 'android', 'harmonyos', 'windows', 'macos', 'other'] as const;
export type OsName = (typeof OS_NAMES)[number];

export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

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

export const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
export const isoInstant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)).pipe(z.number());
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
      .pipe(z.object({ from: z.number(), to: z.number() }))
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

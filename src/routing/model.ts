import { z } from 'zod';
import { httpUrl } from '../shared/url.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 00:00–23:59');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const fullSchedule = z.strictObject({
  shifts: z
    .array(
      z
        .strictObject({ weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7), from: hhmm, to: hhmm })
        .refine((s) => s.from !== s.to, { message: 'a shift needs different start and end times', path: ['to'] }),
    )
    .min(1)
    .max(21),
  holidays: z.array(isoDate).max(366).default([]),
});

/** A schedule: `{shifts, holidays}`, or just the list of shifts when there are no holidays. */
export const scheduleSchema = z.preprocess((v) => (Array.isArray(v) ? { shifts: v } : v), fullSchedule);

export const STAFF_STATUSES = ['active', 'away', 'left'] as const;

const editable = {
  name: z.string().trim().min(1).max(30),
  departmentId: z.string().min(1).max(40).nullable(),
  /** The member's WeCom userid: contact ways are made for it. */
  wecomUserId: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be a WeCom userid').nullable(),
  /** For teams without WeCom: the member's own contact QR (a personal WeChat QR image URL). */
  contactQrUrl: httpUrl.nullable(),
  /** Shown beside the contact QR on the scan page. */
  avatarUrl: httpUrl.nullable(),
  status: z.enum(STAFF_STATUSES),
  weight: z.number().int().min(1).max(1000),
  dailyLimit: z.number().int().min(0).max(100_000).nullable(),
  schedule: scheduleSchema.nullable(),
  skills: z.array(z.string().trim().min(1).max(20)).max(20),
  efficiency: z.number().min(0.1).max(5),
  maxOpen: z.number().int().min(1).max(100_000).nullable(),
};

const reachable = (s: { wecomUserId?: string | null; contactQrUrl?: string | null }) => Boolean(s.wecomUserId || s.contactQrUrl);

export const createStaffSchema = z
  .strictObject({
    ...editable,
    departmentId: editable.departmentId.default(null),
    wecomUserId: editable.wecomUserId.default(null),
    contactQrUrl: editable.contactQrUrl.default(null),
    avatarUrl: editable.avatarUrl.default(null),
    status: editable.status.default('active'),
    weight: editable.weight.default(1),
    dailyLimit: editable.dailyLimit.default(null),
    schedule: editable.schedule.default(null),
    skills: editable.skills.default([]),
    efficiency: editable.efficiency.default(1),
    maxOpen: editable.maxOpen.default(null),
  })
  .refine(reachable, { message: 'a member needs a WeCom userid or a contact QR, or nobody could reach them', path: ['wecomUserId'] });
export type CreateStaffInput = z.output<typeof createStaffSchema>;

export const updateStaffSchema = z.strictObject(editable).partial();
export type UpdateStaffInput = z.output<typeof updateStaffSchema>;

/** A member's open conversations as last reported; `fresh: false` once too old to hold them back. */
export interface OpenConversationsView {
  count: number;
  reportedAt: string;
  fresh: boolean;
}

const openCount = z.number().int().min(0).max(100_000);

/** `PUT /staff/:id/open-conversations`: the customer-service system reports one member. */
export const openConversationsSchema = z.strictObject({ count: openCount });

/** `PUT /staff/open-conversations`: the customer-service system reports many members at once. */
export const openConversationsBatchSchema = z.strictObject({
  counts: z.array(z.strictObject({ staffId: z.string().min(1).max(40), count: openCount })).min(1).max(5000),
});

export interface StaffView extends Omit<CreateStaffInput, never> {
  id: string;
  openConversations: OpenConversationsView | null;
  createdAt: string;
  updatedAt: string;
}

/** A member as the API answers with it. */
export const staffViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  departmentId: z.string().nullable(),
  wecomUserId: z.string().nullable(),
  contactQrUrl: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  status: z.enum(STAFF_STATUSES),
  weight: z.number().int(),
  dailyLimit: z.number().int().nullable(),
  schedule: fullSchedule.nullable(),
  skills: z.array(z.string()),
  efficiency: z.number(),
  maxOpen: z.number().int().nullable(),
  openConversations: z
    .object({ count: z.number().int(), reportedAt: z.string(), fresh: z.boolean() })
    .nullable()
    .describe('As last reported; fresh: false once too old to hold them back'),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<StaffView, unknown>;

/** What a member's leaving handed over, and to whom. */
export const handOverSchema = z.object({
  staff: staffViewSchema.describe('The member who left'),
  to: z.object({ id: z.string(), name: z.string() }),
  codes: z.array(z.string()).describe('Ids of the codes changed at once'),
  heldForApproval: z.array(z.string()).describe('Ids of the codes whose change waits for approval'),
  stores: z.array(z.string()).describe('Ids of the stores the colleague took over'),
  customers: z.object({
    transferred: z.number().int(),
    failed: z.array(z.object({ externalUserId: z.string(), errcode: z.number().int().describe("WeCom's error code") })),
  }),
});


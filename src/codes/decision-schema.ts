import { z } from 'zod';
import { CODE_STATUSES } from './model.ts';

/**
 * The decision a scan is answered with, as the OpenAPI document describes it (apps and the
 * console read these fields). Documentation only: the answer is the decision itself.
 */
const ruleRef = z.object({ index: z.number().int(), name: z.string().nullable() }).nullable();

const refusalSchema = z.enum([...CODE_STATUSES.filter((s) => s !== 'active'), 'device_limit', 'off_hours', 'no_staff']);

export const decisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('redirect'), url: z.string(), rule: ruleRef }).describe('Sent on to url (a 302 in a browser)'),
  z.object({ action: z.literal('inactive'), reason: refusalSchema, url: z.string().nullable() }).describe('Not served: why, and the page it is sent to if any'),
  z
    .object({
      action: z.literal('contact'),
      staffId: z.string(),
      reason: z.enum(['members', 'colleagues', 'departments', 'store', 'backup', 'repeat']),
      fallback: z.boolean(),
      rule: ruleRef,
      name: z.string(),
      avatarUrl: z.string().nullable(),
      qrUrl: z.string(),
      storeId: z.string().optional(),
      storeName: z.string().optional(),
      distanceKm: z.number().nullable().optional(),
    })
    .describe("The member the scanner meets (staff and region codes): their contact QR, and the store of a region code's match"),
  z
    .object({ action: z.literal('locate'), url: z.string(), rule: z.null() })
    .describe("Asks the scanner's position first: the location step is POSTed to url"),
]);

/** Local time of a scan in the code's time zone, as traces show it. */
export const localViewSchema = z.object({ date: z.string(), time: z.string(), weekday: z.number().int(), timeZone: z.string() });

/** A URL code's simulation trace: every rule with each of its conditions and whether it held. */
export const ruleTraceSchema = z.object({
  status: z.enum(CODE_STATUSES),
  local: localViewSchema,
  rules: z.array(
    z.object({
      index: z.number().int(),
      name: z.string().nullable(),
      enabled: z.boolean(),
      matched: z.boolean(),
      failed: z.string().nullable(),
      conditions: z.array(z.object({ kind: z.string(), passed: z.boolean(), text: z.object({ 'zh-CN': z.string(), en: z.string() }) })),
    }),
  ),
});

import { z } from 'zod';

// What the scans domain answers with, field by field: the OpenAPI document (and the console's types) come from these.

/** One recorded scan, as GET /api/v1/codes/{id}/scans lists it. */
export const scanSchema = z.object({
  id: z.string(),
  scannedAt: z.string(),
  outcome: z.string().describe('redirect, contact or locate when served; else why not: paused, ended, limit_reached, device_limit, off_hours, no_staff…'),
  rule: z.object({ index: z.number().int(), name: z.string().nullable() }).nullable().describe('The rule that decided, if one did'),
  destination: z.string().nullable(),
  visitorId: z.string().describe("The browser's first-party visitor cookie"),
  newVisitor: z.boolean(),
  bot: z.boolean(),
  device: z.object({
    os: z.string(),
    osVersion: z.string().nullable(),
    browser: z.string().nullable(),
    browserVersion: z.string().nullable(),
    type: z.string().nullable(),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
  }),
  inWeChat: z.boolean(),
  ip: z.string().nullable(),
  region: z.object({ country: z.string().nullable(), province: z.string().nullable(), city: z.string().nullable() }),
  referrer: z.string().nullable(),
});

const scans = z.number().int();

/** A code's scans over a range in its time zone, bots left out. */
export const scanStatsSchema = z.object({
  range: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
  scans,
  repeats: z.number().int().describe('Scans answered as repeats (outcome repeat)'),
  uniqueVisitors: z.number().int(),
  perDay: z.array(z.object({ date: z.string().describe('YYYY-MM-DD in the code’s time zone'), scans })),
  byHour: z.array(z.object({ hour: z.number().int(), scans })),
  byOs: z.array(z.object({ os: z.string(), scans })),
  byProvince: z.array(z.object({ province: z.string().nullable(), scans })),
  byOutcome: z.array(z.object({ outcome: z.string(), scans })),
});

/** Recent scans of several codes at once, for a list's sparklines. */
export const scanTrendSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      perDay: z.array(z.object({ date: z.string().describe('YYYY-MM-DD in the code’s time zone'), scans })).describe('oldest first; the last is today'),
    }),
  ),
});

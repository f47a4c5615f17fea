import { isIP } from 'node:net';
import { z } from 'zod';
import type { IpRegionLookup } from '../geo/ip-region.ts';
import { canonicalIp } from '../geo/ip.ts';
import { parseDevice } from './device.ts';
import { OS_NAMES } from './model.ts';
import type { ScanContext } from './rules.ts';

export const simulateSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }).optional(),
  userAgent: z.string().max(2000).optional(),
  os: z.enum(OS_NAMES).optional(),
  inWeChat: z.boolean().optional(),
  city: z.string().trim().min(1).max(30).optional(),
  province: z.string().trim().min(1).max(30).optional(),
  ip: z.string().refine((s) => isIP(s) !== 0, 'must be an IPv4 or IPv6 address').optional(),
  visitorId: z.string().min(1).max(100).optional(),
  returning: z.boolean().optional(),
  location: z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
});
export type SimulateInput = z.output<typeof simulateSchema>;

/**
 * A scan context made from what the person testing typed: explicit fields win, the user agent
 * and the IP fill what they leave out, exactly as a real scan would be read.
 */
export function simulatedContext(input: SimulateInput, now: number, ipRegion: IpRegionLookup): ScanContext {
  const device = input.userAgent !== undefined ? parseDevice(input.userAgent) : null;
  const ip = input.ip === undefined ? null : canonicalIp(input.ip);
  const region = ip === null ? null : ipRegion(ip);
  return {
    now: input.at === undefined ? now : Date.parse(input.at),
    os: input.os ?? device?.os ?? 'other',
    inWeChat: input.inWeChat ?? device?.inWeChat ?? false,
    province: input.province ?? region?.province ?? null,
    city: input.city ?? region?.city ?? null,
    ip,
    visitorId: input.visitorId ?? null,
    returning: input.returning ?? false,
    location: input.location ?? null,
  };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { COORD_SYSTEMS } from '../geo/coords.ts';
import { canonicalIp } from '../geo/ip.ts';
import type { Api } from '../http/api.ts';
import { parsePart } from '../http/validation.ts';
import type { CodeCache } from '../scans/code-cache.ts';
import { readVisitor } from '../scans/visitor.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, RateLimited } from '../shared/errors.ts';
import type { RegionRouter } from './region-router.ts';

const locateBody = z
  .strictObject({
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    coordSystem: z.enum(COORD_SYSTEMS).default('wgs84'),
    /** The scanner agreed to share their position; false when they declined (or the browser could not). */
    consent: z.boolean(),
    scanId: z.string().max(40).optional(),
    storeId: z.string().max(40).optional(),
  })
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: 'give lat and lng together', path: ['lat'] })
  .refine((b) => b.consent || b.lat === undefined, { message: 'a position is only taken with consent: true', path: ['consent'] });

const LOCATE_BODY_LIMIT = 16 * 1024;

/** `POST /s/:slug/locate`: a region code's match, once the scanner has shared their position or declined. */
export function locateRoute(
  http: FastifyInstance,
  api: Api,
  cache: CodeCache,
  regions: RegionRouter,
  clock: Clock,
  secureCookies: boolean,
  rateWait: (ip: string) => Promise<number>,
): void {
  // A position and a consent: a few hundred bytes. Anyone who scanned may post here.
  http.post<{ Params: { slug: string } }>('/s/:slug/locate', { bodyLimit: LOCATE_BODY_LIMIT }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const wait = await rateWait(req.ip);
    if (wait > 0) throw new RateLimited(`too many scans from this address; retry in ${wait} s`, wait);
    const body = parsePart(locateBody, req.body ?? {}, 'body');
    const cached = cache.get(req.params.slug);
    const code = cached instanceof Promise ? await cached : cached;
    if (!code || code.config.type !== 'region') throw new AppError('not_found', 'no region code here');
    const visitor = readVisitor(req.headers.cookie, code.config.slug, secureCookies);
    if (visitor.setCookies.length) reply.header('set-cookie', visitor.setCookies);
    const ip = canonicalIp(req.ip);
    const ctx = { now: clock.now(), os: 'other' as const, inWeChat: false, province: null, city: null, ip, visitorId: visitor.id, returning: visitor.returning, location: null };
    const located = await regions.locate(code, body, visitor.id, ip, ctx, true);
    return { decision: located.decision, store: located.store, others: located.others, match: { rule: located.match.rule, distanceKm: located.match.distanceKm } };
  });
  api.document({
    method: 'POST', url: '/s/:slug/locate', tag: 'scan', params: z.object({ slug: z.string() }), body: locateBody,
    summary: "A region code's store match: {lat, lng, coordSystem, consent: true} with the scanner's consent, or {consent: false}; the scanner's IP city is used then, and backup staff when nothing fits",
    responses: { 200: { description: '{decision: {action: "contact", storeId, staffId, distanceKm, qrUrl, fallback}, store, others}', schema: z.object({ decision: z.unknown() }) } },
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { COORD_SYSTEMS } from '../geo/coords.ts';
import type { Api } from '../http/api.ts';
import type { CodeTypes } from '../codes/code-type.ts';
import { parsePart } from '../http/validation.ts';
import type { CodeCache } from '../scans/code-cache.ts';
import { scanner } from '../scans/routes.ts';
import type { ScanService } from '../scans/service.ts';
import type { ScanHistory } from '../scans/history.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, RateLimited } from '../shared/errors.ts';

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
/** How long after its scan a location step is taken: time to read the page and answer the browser's prompt. */
const LOCATE_STEP_MS = 30 * 60_000;

/**
 * `POST /s/:slug/locate`: once the scanner has shared their position or declined, a region code's
 * match, or where a URL code whose rules use `near` sends them.
 */
export function locateRoute(
  http: FastifyInstance,
  api: Api,
  cache: CodeCache,
  scans: Pick<ScanService, 'locate' | 'asksLocation'>,
  types: CodeTypes,
  history: Pick<ScanHistory, 'locateStep'>,
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
    const cached = cache.get(req.params.slug, clock.now());
    const code = cached instanceof Promise ? await cached : cached;
    if (!code || !scans.asksLocation(code)) throw new AppError('not_found', 'no code here asks for a location');
    // The step of a scan the caps and device limits admitted (and recorded): posted without one,
    // it would hand out the destinations and members the limits refuse.
    if (body.scanId === undefined || !(await history.locateStep(body.scanId, code.config.id, clock.now() - LOCATE_STEP_MS))) {
      throw new AppError('forbidden', 'the location step follows a scan of this code in the last 30 minutes: scan the code again', 'scanId');
    }
    const { answer, setCookies } = await scans.locate(code, scanner(req, secureCookies), body);
    if (setCookies.length) reply.header('set-cookie', setCookies);
    return answer;
  });
  api.document({
    method: 'POST', url: '/s/:slug/locate', tag: 'scan', params: z.object({ slug: z.string() }), body: locateBody,
    summary:
      'The location step, after a scan answered {action: "locate"}: {lat, lng, coordSystem, consent: true, scanId} with the ' +
      "scanner's consent, or {consent: false, scanId}; scanId names that scan (of this code, in the last 30 minutes), else 403. " +
      "A region code's store match (the scanner's IP city without a position, backup staff when nothing fits); a URL code " +
      'whose rules use `near` answers where it sends the scanner (`near` holds only with a position)',
    responses: {
      200: {
        description: "The decision, and what the code's type adds to it (a region code: the store, stores to switch to, the match)",
        schema: z.union(types.plugins.flatMap((t) => (t.location ? [t.location.answerSchema] : []))),
      },
      403: { description: 'scanId names no scan of this code answered with the location step in the last 30 minutes' },
    },
  });
}

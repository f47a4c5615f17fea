import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import type { CodeService } from '../codes/service.ts';
import type { Api } from '../http/api.ts';
import type { ScanMetrics } from '../ops/metrics.ts';
import { LANGS, pickLang, type Lang } from '../i18n/lang.ts';
import { Readable } from 'node:stream';
import type { ScanRow } from '../storage/schema.ts';
import { REFERRER_POLICY } from '../http/security-headers.ts';
import { disposition } from '../http/downloads.ts';
import type { PageDesign } from '../codes/page-design.ts';
import { contactPage, designHeaders, inactivePage, locatePage, notFoundPage, tooManyPage, unavailablePage, unservablePage } from './pages.ts';
import { outcomeOf, type ScanContextRequest, type ScanService } from './service.ts';
import { rangeQuery } from './stats.ts';
import type { ScanHistory } from './history.ts';
import { scanSchema, scanStatsSchema, scanTrendSchema } from './model.ts';
import { CSV_BOM, localDateTime, scanCsvHeader, scanCsvRows } from './export.ts';

const SLUG = /^[A-Za-z0-9]{4,32}$/;
const wantsJson = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/json');
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A landing page; a code's page with its design (whose style block its policy allows). */
function html(reply: FastifyReply, status: number, body: string, design: PageDesign | null = null) {
  return reply.code(status).headers(designHeaders(design)).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function notFound(req: FastifyRequest, reply: FastifyReply, lang: () => Lang) {
  if (wantsJson(req)) return reply.code(404).send({ error: { code: 'not_found', message: 'code not found' } });
  return html(reply, 404, notFoundPage(lang()));
}

/** What a request tells of the scanner: a scan's, or its location step's from the same browser. */
export const scanner = (req: FastifyRequest, secureCookies: boolean): ScanContextRequest => ({
  userAgent: req.headers['user-agent'] ?? '',
  hints: {
    platform: header(req.headers['sec-ch-ua-platform']),
    platformVersion: header(req.headers['sec-ch-ua-platform-version']),
    model: header(req.headers['sec-ch-ua-model']),
    mobile: header(req.headers['sec-ch-ua-mobile']),
  },
  ip: req.ip,
  cookie: req.headers.cookie,
  secure: secureCookies,
});

/** `GET /s/:slug`: what a printed QR code opens. */
export function scanRoute(
  app: FastifyInstance,
  scans: ScanService,
  metrics: ScanMetrics,
  secureCookies: boolean,
  /** Seconds this address must wait before scanning again, 0 when it may scan now. */
  rateWait: (ip: string) => Promise<number>,
): void {
  app.get<{ Params: { slug: string }; Querystring: { lang?: string } }>('/s/:slug', async (req, reply) => {
    // Read only for a page: a redirect or a JSON answer has no language.
    const lang = () => pickLang(req.query.lang, req.headers['accept-language']);
    const { slug } = req.params;
    if (!SLUG.test(slug)) {
      metrics.scanned('not_found');
      return notFound(req, reply, lang);
    }
    let result;
    try {
      const wait = await rateWait(req.ip);
      if (wait > 0) {
        metrics.scanned('rate_limited');
        reply.header('retry-after', String(wait));
        if (wantsJson(req)) return reply.code(429).send({ error: { code: 'rate_limited', message: `too many scans from this address; retry in ${wait} s` } });
        return html(reply, 429, tooManyPage(lang()));
      }
      result = await scans.scan({ ...scanner(req, secureCookies), slug, referrer: req.headers.referer, record: req.method === 'GET' });
    } catch (error) {
      req.log.error({ err: error }, 'scan could not be recorded');
      metrics.scanned('unavailable');
      reply.header('retry-after', '1');
      if (wantsJson(req)) return reply.code(503).send({ error: { code: 'unavailable', message: 'the scan could not be recorded; retry' } });
      return html(reply, 503, unavailablePage(lang()));
    }
    if (!result) {
      metrics.scanned('not_found');
      return notFound(req, reply, lang);
    }
    const { decision, scanId, setCookies } = result;
    metrics.scanned(outcomeOf(decision));
    // Never cached: the destination may change at any moment and every scan must reach us.
    reply.header('cache-control', 'no-store').header('x-huoma-scan-id', scanId);
    if (setCookies.length) reply.header('set-cookie', setCookies);
    if (wantsJson(req)) return reply.code(200).send({ decision, scanId });
    const landing = scans.landing(result);
    const { page } = result.code;
    switch (landing.kind) {
      // The policy also governs the redirect: the destination learns our origin at most, never the code's path.
      case 'redirect': return reply.code(302).header('referrer-policy', REFERRER_POLICY).header('location', landing.url).send();
      case 'locate': return html(reply, 200, locatePage(lang(), landing.url, scanId, landing.purpose, page), page);
      case 'contact': return html(reply, 200, contactPage(landing, lang(), page), page);
      case 'unservable': return html(reply, 200, unservablePage(lang(), page), page);
      case 'inactive': return html(reply, 200, inactivePage(landing.reason, lang(), page), page);
      default: return landing satisfies never;
    }
  });
}

const scansQuery = rangeQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(40).optional(),
  includeBots: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

const MAX_TREND_CODES = 100;

const trendQuery = z.strictObject({
  ids: z
    .string()
    .transform((s) => [...new Set(s.split(',').map((id) => id.trim()).filter(Boolean))])
    .pipe(z.array(z.string()).min(1, 'name at least one code').max(MAX_TREND_CODES, `at most ${MAX_TREND_CODES} codes at once`))
    .describe('comma-separated code ids'),
  days: z.coerce.number().int().min(1, 'days must be 1–90').max(90, 'days must be 1–90').default(7),
});

const exportQuery = rangeQuery.extend({
  includeBots: scansQuery.shape.includeBots,
  lang: z.enum(LANGS).optional().describe('Column headings; default by Accept-Language, else Chinese'),
});

function scanView(s: ScanRow) {
  return {
    id: s.id,
    scannedAt: new Date(s.scanned_at).toISOString(),
    outcome: s.outcome,
    rule: s.rule_index === null ? null : { index: s.rule_index, name: s.rule_name },
    destination: s.destination,
    visitorId: s.visitor_id,
    newVisitor: s.new_visitor === 1,
    bot: s.is_bot === 1,
    device: {
      os: s.os, osVersion: s.os_version, browser: s.browser, browserVersion: s.browser_version,
      type: s.device_type, vendor: s.device_vendor, model: s.device_model,
    },
    inWeChat: s.in_wechat === 1,
    ip: s.ip,
    region: { country: s.country, province: s.province, city: s.city },
    referrer: s.referrer,
  };
}

export function scanApiRoutes(api: Api, codes: CodeService, history: ScanHistory): void {
  api.route({
    method: 'GET', url: '/api/v1/codes/:id/scans', scope: scopeOf(codes), tag: 'scans', permission: 'scans.read',
    summary: 'Raw scan events of a code, newest first (cursor pagination; bots only with includeBots=true)',
    params: idParams, query: scansQuery,
    responses: { 200: { description: 'A page of scans', schema: z.object({ items: z.array(scanSchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ params, query }) => {
      const { rows, nextCursor } = await history.page((await codes.load(params.id)).config, query);
      return { items: rows.map(scanView), nextCursor };
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/trend', tag: 'scans', permission: 'scans.read',
    summary:
      `Scans per local day over the last \`days\` (default 7, today last) of up to ${MAX_TREND_CODES} codes at once, counted as statistics ` +
      'count them: what a list draws its sparklines and today’s figures from',
    query: trendQuery,
    responses: { 200: { description: 'Each code’s days', schema: scanTrendSchema } },
    handler: async ({ query, actor }) => {
      const found = new Map((await codes.many(query.ids, { limit: MAX_TREND_CODES, departments: actor.departments })).map((c) => [c.config.id, c.config]));
      // In the order asked for: a list draws its rows in its own order.
      return { items: await history.trend(query.ids.map((id) => found.get(id)!), query.days) };
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/:id/scans.csv', scope: scopeOf(codes), tag: 'scans', permission: 'scans.read',
    summary:
      "A code's scans over a range as CSV (UTF-8 with BOM, times in the code's time zone), newest first, streamed a page at a time; " +
      'bots only with includeBots=true',
    params: idParams, query: exportQuery,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
    handler: async ({ params, query, req, reply }) => {
      const { config } = await codes.load(params.id);
      const { lang, ...range } = query;
      const when = localDateTime(config.timeZone);
      async function* lines() {
        yield CSV_BOM + scanCsvHeader(lang ?? pickLang(undefined, req.headers['accept-language']));
        for await (const rows of history.all(config, range)) yield scanCsvRows(rows, when);
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', disposition('attachment', `${config.slug}-scans.csv`, `${config.name}-${config.slug}-scans.csv`))
        .send(Readable.from(lines()));
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/:id/stats', scope: scopeOf(codes), tag: 'scans', permission: 'scans.read',
    summary: "Scan statistics over a range in the code's time zone (default: the last 30 days); bots excluded",
    params: idParams, query: rangeQuery,
    responses: { 200: { description: 'Statistics', schema: scanStatsSchema } },
    handler: async ({ params, query }) => history.stats((await codes.load(params.id)).config, query),
  });
}

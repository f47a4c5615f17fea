import { zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { listQuery } from '../codes/routes.ts';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import type { CodeService } from '../codes/service.ts';
import type { Api } from '../http/api.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid } from '../shared/errors.ts';
import { parseHexColor, scannableColors } from './colors.ts';
import { ECLS, normalizeLogo, qrPng, qrSvg, type QrStyle } from './render.ts';

const color = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => parseHexColor(s) ?? (ctx.addIssue({ code: 'custom', message: 'must be a hex colour RRGGBB or #RRGGBB' }), z.NEVER));

const styleQuery = z.strictObject({
  size: z.coerce.number().int().min(64, 'size must be 64–4096 px').max(4096, 'size must be 64–4096 px').default(512),
  margin: z.coerce.number().int().min(0, 'margin must be 0–16 modules').max(16, 'margin must be 0–16 modules').default(4),
  ecl: z.enum(ECLS).default('M'),
  fg: color('000000'),
  bg: color('ffffff'),
  logo: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
type StyleQuery = z.output<typeof styleQuery>;

const zipQuery = styleQuery.extend({
  ids: z.string().max(20_000).optional(),
  q: listQuery.shape.q,
  tag: listQuery.shape.tag,
  status: listQuery.shape.status,
});

const MAX_BATCH = 500;
/** Image types a logo upload may have; the server parses these bodies as raw bytes. */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml'];
const fileSafe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_');

export function qrRoutes(api: Api, codes: CodeService, clock: Clock): void {
  async function style(q: StyleQuery, codeId: string): Promise<QrStyle> {
    if (!scannableColors(q.fg, q.bg)) throw invalid('fg', 'fg must be clearly darker than bg (contrast at least 3:1), or phones cannot scan the code');
    if (!q.logo) return { ...q, logo: null };
    const logo = await codes.logo(codeId);
    if (!logo) throw invalid('logo', 'logo=true but this code has no logo: upload one with PUT /api/v1/codes/{id}/logo');
    return { ...q, logo };
  }

  const tag = 'qr';
  const formats = [
    { ext: 'svg', type: 'image/svg+xml', render: async (text: string, st: QrStyle) => qrSvg(text, st) },
    { ext: 'png', type: 'image/png', render: qrPng },
  ] as const;
  for (const format of formats) {
    api.route({
      method: 'GET', url: `/api/v1/codes/:id/qr.${format.ext}`, scope: scopeOf(codes), tag, permission: 'codes.read',
      summary: `The QR code as ${format.ext.toUpperCase()} (logo=true centres the uploaded logo and forces error correction H)`,
      params: idParams, query: styleQuery,
      responses: { 200: { description: `${format.ext.toUpperCase()} image`, contentType: format.type } },
      handler: async ({ params, query, reply }) => {
        const view = await codes.get(params.id);
        return reply.type(format.type).send(await format.render(view.shortUrl, await style(query, view.id)));
      },
    });
  }
  api.route({
    method: 'GET', url: '/api/v1/codes/qr.zip', tag, permission: 'codes.read',
    summary: `PNGs of many codes in one ZIP: by ids=a,b,c or by the list filters (q, tag, status); at most ${MAX_BATCH}`,
    query: zipQuery,
    responses: { 200: { description: 'ZIP archive', contentType: 'application/zip' } },
    handler: async ({ query, reply, actor }) => {
      const { ids, q, tag: byTag, status, ...styleQ } = query;
      const idList = ids?.split(',').map((s) => s.trim()).filter(Boolean);
      if (idList && idList.length > MAX_BATCH) throw invalid('ids', `at most ${MAX_BATCH} codes per ZIP`);
      const found = await codes.many(idList, { q, tag: byTag, status, limit: MAX_BATCH, departments: actor.departments });
      if (found.length === 0) throw new AppError('not_found', 'no code matches', 'ids');
      const files: Zippable = {};
      for (const stored of found) {
        const view = codes.view(stored);
        const png = await qrPng(view.shortUrl, await style(styleQ, view.id));
        // PNG is compressed already: store it (level 0) rather than deflate it again.
        files[`${fileSafe(view.name)}-${view.slug}.png`] = [png, { level: 0 }];
      }
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="huoma-qr-${new Date(clock.now()).toISOString().slice(0, 10)}.zip"`)
        .send(Buffer.from(zipSync(files)));
    },
  });
  api.route({
    method: 'PUT', url: '/api/v1/codes/:id/logo', scope: scopeOf(codes), tag, permission: 'codes.write', audit: { action: 'code.logo.set', object: 'code' },
    summary: 'Upload the logo to centre in this code (raw PNG, JPEG, WebP, GIF or SVG body, at most 1 MB)',
    params: idParams,
    responses: { 204: { description: 'Stored' } },
    handler: async ({ params, req }) => {
      await codes.load(params.id);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (!LOGO_TYPES.includes(type) || !Buffer.isBuffer(req.body)) {
        throw new AppError('unsupported_media_type', `send the image as the raw body with Content-Type one of ${LOGO_TYPES.join(', ')}`, 'body');
      }
      let png: Buffer;
      try {
        png = await normalizeLogo(req.body);
      } catch {
        throw invalid('body', 'the body is not a readable image');
      }
      await codes.setLogo(params.id, png);
      return undefined;
    },
  });
  api.route({
    method: 'DELETE', url: '/api/v1/codes/:id/logo', scope: scopeOf(codes), tag, permission: 'codes.write', audit: { action: 'code.logo.remove', object: 'code' },
    summary: "Remove this code's logo", params: idParams,
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params }) => {
      await codes.removeLogo(params.id);
      return undefined;
    },
  });
}

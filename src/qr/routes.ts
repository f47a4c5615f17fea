import { z } from 'zod';
import { listQuery } from '../codes/routes.ts';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import type { CodeService } from '../codes/service.ts';
import type { Api } from '../http/api.ts';
import { fileSafe } from '../http/downloads.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { normalizeLogo, qrSvg, type QrStyle } from './render.ts';
import { resolveStyle, styleQuery } from './style-query.ts';
import { zipStream, type ZipEntry } from './zip-stream.ts';

const zipQuery = styleQuery.extend({
  ids: z.string().max(20_000).optional(),
  q: listQuery.shape.q,
  tag: listQuery.shape.tag,
  status: listQuery.shape.status,
});

const MAX_BATCH = 500;
/** Pixels one ZIP may hold in all: sixteen 4096 px images, or 500 of up to 732 px. */
const MAX_ZIP_PIXELS = 16 * 4096 * 4096;

/** Draws PNGs off the event loop, a bounded number at once (workers/pool.ts). */
export interface PngRenderer {
  /** Admits one image job of the caller, or refuses it with 429/503 and Retry-After; call the result when done. */
  admit(caller: string): () => void;
  png(text: string, style: QrStyle): Promise<Uint8Array>;
}
/** Image types a logo upload may have; the server parses these bodies as raw bytes. */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml'];
export const LOGO_URL = '/api/v1/codes/:id/logo';
const LOGO_LIMIT = 1024 * 1024;

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Refuses, naming the field to change, a ZIP of more pixels than MAX_ZIP_PIXELS. */
function checkPixelBudget(count: number, size: number, field: 'ids' | 'size'): void {
  if (count * size * size <= MAX_ZIP_PIXELS) return;
  const most = Math.floor(MAX_ZIP_PIXELS / (size * size));
  const budget = `${count} codes of ${size} px exceed the ${MAX_ZIP_PIXELS.toLocaleString('en-US')} pixels a ZIP may hold`;
  throw invalid(field, `${budget}: at most ${most} codes at size=${size}; ask for fewer codes (ids, q, tag, status) or a smaller size`);
}

export function qrRoutes(api: Api, codes: CodeService, clock: Clock, renderer: PngRenderer): void {
  const style = (q: z.output<typeof styleQuery>, codeId: string): Promise<QrStyle> => resolveStyle(codes, q, codeId);

  /** One PNG in a worker thread, inside the caller's admitted jobs. */
  async function png(caller: string, text: string, st: QrStyle): Promise<Buffer> {
    const release = renderer.admit(caller);
    try {
      return asBuffer(await renderer.png(text, st));
    } finally {
      release();
    }
  }

  const tag = 'qr';
  const formats = [
    { ext: 'svg', type: 'image/svg+xml', render: async (_caller: string, text: string, st: QrStyle) => qrSvg(text, st) },
    { ext: 'png', type: 'image/png', render: png },
  ] as const;
  for (const format of formats) {
    api.route({
      method: 'GET', url: `/api/v1/codes/:id/qr.${format.ext}`, scope: scopeOf(codes), tag, permission: 'codes.read',
      summary: `The QR code as ${format.ext.toUpperCase()} (logo=true centres the uploaded logo and forces error correction H)`,
      params: idParams, query: styleQuery,
      responses: { 200: { description: `${format.ext.toUpperCase()} image`, contentType: format.type } },
      handler: async ({ params, query, reply, actor }) => {
        const view = await codes.get(params.id);
        return reply.type(format.type).send(await format.render(actor.id, view.shortUrl, await style(query, view.id)));
      },
    });
  }
  api.route({
    method: 'GET', url: '/api/v1/codes/qr.zip', tag, permission: 'codes.read',
    summary:
      'PNGs of many codes in one ZIP, streamed as they are drawn: by ids=a,b,c or by the list filters (q, tag, status); ' +
      `at most ${MAX_BATCH} codes and ${MAX_ZIP_PIXELS.toLocaleString('en-US')} pixels in all (codes × size²)`,
    query: zipQuery,
    responses: { 200: { description: 'ZIP archive', contentType: 'application/zip' } },
    handler: async ({ query, reply, actor }) => {
      const { ids, q, tag: byTag, status, ...styleQ } = query;
      const idList = ids?.split(',').map((s) => s.trim()).filter(Boolean);
      if (idList && idList.length > MAX_BATCH) throw invalid('ids', `at most ${MAX_BATCH} codes per ZIP`);
      const found = await codes.many(idList, { q, tag: byTag, status, limit: MAX_BATCH, departments: actor.departments });
      if (found.length === 0) throw new AppError('not_found', 'no code matches', 'ids');
      checkPixelBudget(found.length, styleQ.size, idList ? 'ids' : 'size');
      // Every refusal comes before the first byte: once the ZIP streams, its status is sent.
      for (const stored of found) await style(styleQ, stored.config.id);
      const release = renderer.admit(actor.id);
      async function* entries(): AsyncGenerator<ZipEntry> {
        for (const stored of found) {
          const view = codes.view(stored);
          yield { name: `${fileSafe(view.name)}-${view.slug}.png`, data: await renderer.png(view.shortUrl, await style(styleQ, view.id)) };
        }
      }
      const zip = zipStream(entries());
      // Ended, failed or abandoned by the client: the job's place is free either way.
      zip.once('close', release);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="huoma-qr-${new Date(clock.now()).toISOString().slice(0, 10)}.zip"`)
        .send(zip);
    },
  });
  api.route({
    method: 'PUT', url: LOGO_URL, scope: scopeOf(codes), tag, permission: 'codes.write', bodyLimit: LOGO_LIMIT,
    audit: { action: 'code.logo.set', object: 'code' },
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
    method: 'GET', url: LOGO_URL, scope: scopeOf(codes), tag, permission: 'codes.read',
    summary: "This code's logo as stored (a PNG, however it was uploaded); 404 when it has none",
    params: idParams,
    responses: { 200: { description: 'The logo', contentType: 'image/png' } },
    handler: async ({ params, reply }) => {
      await codes.load(params.id);
      const logo = await codes.logo(params.id);
      if (!logo) throw notFound('logo');
      return reply.type(logo.mime).header('cache-control', 'no-store').send(logo.data);
    },
  });
  api.route({
    method: 'DELETE', url: '/api/v1/codes/:id/logo', scope: scopeOf(codes), tag, permission: 'codes.write',
    audit: { action: 'code.logo.remove', object: 'code' },
    summary: "Remove this code's logo", params: idParams,
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params }) => {
      await codes.removeLogo(params.id);
      return undefined;
    },
  });
}

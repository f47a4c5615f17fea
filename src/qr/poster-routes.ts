import { z } from 'zod';
import type { CodeService } from '../codes/service.ts';
import type { Api } from '../http/api.ts';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import type { Actor } from '../shared/actor.ts';
import { invalid } from '../shared/errors.ts';
import { PAPERS, POSTER_FORMATS, type Paper, type PosterFormat, type PosterResult, type PosterSpec } from './poster-layout.ts';
import type { SymbolStyle } from './poster-parts.ts';
import { type PngRenderer } from './routes.ts';
import { disposition } from '../http/downloads.ts';
import { color, resolveStyle, symbolQuery } from './style-query.ts';

const mm = (what: string, min: number, max: number) => {
  const rule = `${what} must be ${min}–${max} mm`;
  return z.coerce.number().min(min, rule).max(max, rule);
};
const percent = (fallback: number) => z.coerce.number().min(0, 'must be 0–100 (% of the page)').max(100, 'must be 0–100 (% of the page)').default(fallback);

const posterQuery = symbolQuery.extend({
  paper: z.enum(Object.keys(PAPERS) as [Paper, ...Paper[]]).default('A4'),
  orientation: z.enum(['portrait', 'landscape']).default('portrait'),
  width: mm('width', 50, 2000).optional().describe('custom page width in mm (with height; replaces paper and orientation)'),
  height: mm('height', 50, 2000).optional().describe('custom page height in mm (with width)'),
  dpi: z.coerce.number().int().min(36, 'dpi must be 36–600').max(600, 'dpi must be 36–600').default(300),
  qrSize: mm('qrSize', 10, 2000).optional().describe('side of the QR code in mm (default 45% of the shorter side)'),
  qrX: percent(50).describe('centre of the QR code across the page, % of its width'),
  qrY: percent(60).describe('centre of the QR code down the page, % of its height'),
  text: z.string().max(300, 'text must be at most 300 characters').default('').describe('guide text; "\\n" starts a new line, long lines wrap'),
  textSize: z.coerce.number().min(6, 'textSize must be 6–400 pt').max(400, 'textSize must be 6–400 pt').optional()
    .describe('type size in points (default 32 pt on A4, scaled with the page)'),
  textColor: color('1a1a1a'),
  textY: percent(20).describe('centre of the text block down the page, % of its height'),
  background: z.string().min(1).max(40).optional()
    .describe("id of an image in the material library (the code's department's or the workspace's), cropped to cover the page"),
  backgroundColor: color('ffffff').describe('page colour where no background image is given'),
});
type PosterQuery = z.output<typeof posterQuery>;

/** Draws posters off the event loop, inside the caller's admitted image jobs (workers/pool.ts). */
export interface PosterRenderer extends Pick<PngRenderer, 'admit'> {
  poster(format: PosterFormat, url: string, style: SymbolStyle, spec: PosterSpec): Promise<PosterResult>;
}
/** Images from the material library. */
export interface PosterBackgrounds {
  /** Material `id`'s image as `actor` may use it on a code of `department`, or a refusal naming the `background` parameter. */
  image(id: string, actor: Actor, department: string | null): Promise<Uint8Array>;
}

const TYPES = { png: 'image/png', pdf: 'application/pdf' } as const;

function pageOf(q: PosterQuery): { width: number; height: number } {
  if (q.width !== undefined && q.height !== undefined) return { width: q.width, height: q.height };
  if (q.width !== undefined || q.height !== undefined) {
    throw invalid(q.width === undefined ? 'width' : 'height', 'give width and height together (mm) for a custom size, or neither for a paper size');
  }
  const [short, long] = PAPERS[q.paper];
  return q.orientation === 'portrait' ? { width: short, height: long } : { width: long, height: short };
}

export function posterRoutes(api: Api, codes: CodeService, renderer: PosterRenderer, backgrounds: PosterBackgrounds): void {
  async function specOf(q: PosterQuery, actor: Actor, department: string | null): Promise<PosterSpec> {
    const page = pageOf(q);
    const scale = Math.min(page.width, page.height) / PAPERS.A4[0];
    const image = q.background === undefined ? null : await backgrounds.image(q.background, actor, department);
    return {
      page, dpi: q.dpi,
      background: { color: q.backgroundColor, image },
      qr: { x: q.qrX, y: q.qrY, size: q.qrSize ?? Math.round(Math.min(page.width, page.height) * 0.45) },
      text: { content: q.text.replace(/\r\n?/g, '\n'), size: q.textSize ?? Math.round(32 * scale), color: q.textColor, y: q.textY },
    };
  }

  for (const format of POSTER_FORMATS) {
    api.route({
      method: 'GET', url: `/api/v1/codes/:id/poster.${format}`, scope: scopeOf(codes), tag: 'qr', permission: 'codes.read',
      summary:
        `A printable poster as ${format.toUpperCase()}: a background (material or colour), guide text in Chinese, and the code's QR ` +
        '(the QR options of qr.png) on a paper size (A6–A1, portrait or landscape) or width×height mm, at dpi',
      params: idParams, query: posterQuery,
      responses: { 200: { description: `${format.toUpperCase()} poster`, contentType: TYPES[format] } },
      handler: async ({ params, query, reply, actor }) => {
        const view = await codes.get(params.id);
        const { margin, ecl, fg, bg, logo } = query;
        const style = await resolveStyle(codes, { margin, ecl, fg, bg, logo }, view.id);
        const spec = await specOf(query, actor, view.departmentId);
        const release = renderer.admit(actor.id);
        let result: PosterResult;
        try {
          result = await renderer.poster(format, view.shortUrl, style, spec);
        } finally {
          release();
        }
        if (!('file' in result)) throw invalid(result.field, result.message);
        return reply
          .type(TYPES[format])
          .header('content-disposition', disposition('inline', `poster.${format}`, `${view.name}-${view.slug}-poster.${format}`))
          .send(Buffer.from(result.file.buffer, result.file.byteOffset, result.file.byteLength));
      },
    });
  }
}

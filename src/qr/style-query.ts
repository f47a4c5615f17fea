import { z } from 'zod';
import type { CodeService } from '../codes/service.ts';
import { invalid } from '../shared/errors.ts';
import { parseHexColor, scannableColors } from './colors.ts';
import { ECLS, type QrStyle } from './render.ts';

/** A hex colour query parameter ("RRGGBB" or "#RRGGBB"), read as "#rrggbb". */
export const color = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => parseHexColor(s) ?? (ctx.addIssue({ code: 'custom', message: 'must be a hex colour RRGGBB or #RRGGBB' }), z.NEVER));

/** How the symbol is drawn, apart from its size: what the QR image and the poster share. */
export const symbolQuery = z.strictObject({
  margin: z.coerce.number().int().min(0, 'margin must be 0–16 modules').max(16, 'margin must be 0–16 modules').default(4),
  ecl: z.enum(ECLS).default('M'),
  fg: color('000000'),
  bg: color('ffffff'),
  logo: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type SymbolQuery = z.output<typeof symbolQuery>;

export const styleQuery = symbolQuery.extend({
  size: z.coerce.number().int().min(64, 'size must be 64–4096 px').max(4096, 'size must be 64–4096 px').default(512),
});

/** The style asked for, with the code's logo when logo=true; refuses colours phones cannot scan and a logo the code lacks. */
export async function resolveStyle<Q extends SymbolQuery>(codes: CodeService, q: Q, codeId: string): Promise<Omit<Q, 'logo'> & Pick<QrStyle, 'logo'>> {
  if (!scannableColors(q.fg, q.bg)) throw invalid('fg', 'fg must be clearly darker than bg (contrast at least 3:1), or phones cannot scan the code');
  if (!q.logo) return { ...q, logo: null };
  const logo = await codes.logo(codeId);
  if (!logo) throw invalid('logo', 'logo=true but this code has no logo: upload one with PUT /api/v1/codes/{id}/logo');
  return { ...q, logo };
}

import type { Font } from '@pdf-lib/fontkit';
import { MM_PER_INCH, pixels, type PosterLayout, type PosterSpec } from './poster-layout.ts';
import { background, posterQr, type SymbolStyle } from './poster-parts.ts';

const n = (x: number) => Number(x.toFixed(2));

/**
 * The guide text as glyph outlines in an SVG the size of the page: drawn from the font's own paths,
 * so the rasteriser needs no font of its own and the PNG matches the PDF, which uses the same layout.
 */
export function textSvg(font: Font, layout: PosterLayout, spec: PosterSpec): string {
  const perMm = spec.dpi / MM_PER_INCH;
  const scale = (layout.em * perMm) / font.unitsPerEm;
  const flip = `scale(${n(scale * 1e4) / 1e4} ${-n(scale * 1e4) / 1e4})`; // font units, y up → pixels, y down
  let glyphs = '';
  for (const line of layout.lines) {
    const run = font.layout(line.text);
    let x = line.left * perMm;
    run.glyphs.forEach((glyph, i) => {
      const d = glyph.path.toSVG();
      if (d !== '') glyphs += `<path transform="translate(${n(x)} ${n(line.baseline * perMm)}) ${flip}" d="${d}"/>`;
      x += run.positions[i]!.xAdvance * scale;
    });
  }
  const [width, height] = [pixels(layout.page.width, spec.dpi), pixels(layout.page.height, spec.dpi)];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g fill="${spec.text.color}">${glyphs}</g></svg>`;
}

/** The poster as a PNG at its dpi (stated in the file, so print dialogs size it right). */
export async function posterPng(font: Font, url: string, style: SymbolStyle, spec: PosterSpec, layout: PosterLayout): Promise<Buffer> {
  const { dpi } = spec;
  const [width, height] = [pixels(layout.page.width, dpi), pixels(layout.page.height, dpi)];
  const qrSide = pixels(layout.qr.size, dpi);
  // Rounded to whole pixels, a code at the page's edge could overhang it by one.
  const at = (mm: number, page: number) => Math.min(pixels(mm, dpi), page - qrSide);
  const layers = [{ input: await posterQr(url, style, layout, dpi), left: at(layout.qr.left, width), top: at(layout.qr.top, height) }];
  const withText = layout.lines.length > 0 ? [{ input: Buffer.from(textSvg(font, layout, spec)), left: 0, top: 0 }] : [];
  return background(spec, width, height)
    .composite([...layers, ...withText])
    .removeAlpha()
    .withDensity(dpi)
    .png({ compressionLevel: 6 })
    .toBuffer();
}

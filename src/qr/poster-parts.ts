import type { Font } from '@pdf-lib/fontkit';
import sharp, { type Sharp } from 'sharp';
import { pixels, type Measure, type PosterLayout, type PosterSpec } from './poster-layout.ts';
import { qrPng, type QrStyle } from './render.ts';

/** The QR's look without its size, which the poster sets from its layout. */
export type SymbolStyle = Omit<QrStyle, 'size'>;

export const measureWith =
  (font: Font): Measure =>
  (text) =>
    font.layout(text).advanceWidth / font.unitsPerEm;

/** The background photo cropped to fill the page at `width`×`height` px, or the plain background colour. */
export function background(spec: PosterSpec, width: number, height: number): Sharp {
  const { image, color } = spec.background;
  if (!image) return sharp({ create: { width, height, channels: 3, background: color } });
  // rotate(): phone photos stand upright as their EXIF says; transparency shows the background colour.
  return sharp(image, { limitInputPixels: 100_000_000 }).rotate().resize(width, height, { fit: 'cover' }).flatten({ background: color });
}

/** The code's QR at the poster's resolution, drawn by the same renderer as qr.png. */
export const posterQr = (url: string, style: SymbolStyle, layout: PosterLayout, dpi: number) =>
  qrPng(url, { ...style, size: pixels(layout.qr.size, dpi) });

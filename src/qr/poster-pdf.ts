import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { pixels, points, type PosterLayout, type PosterSpec } from './poster-layout.ts';
import { background, posterQr, type SymbolStyle } from './poster-parts.ts';
import type { PosterFont } from './poster-font.ts';

const color = (hex: string) => rgb(...([1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number]));

/**
 * The poster as a one-page PDF of the paper's size: the background at the poster's dpi (JPEG), the
 * QR as the same PNG the image poster gets, and the guide text as real text in Noto Sans SC,
 * embedded as a subset of the glyphs used, so it prints sharp at any size and can be searched and copied.
 */
export async function posterPdf(font: PosterFont, url: string, style: SymbolStyle, spec: PosterSpec, layout: PosterLayout): Promise<Uint8Array> {
  const { dpi } = spec;
  const doc = await PDFDocument.create();
  doc.setTitle(spec.text.content.split('\n')[0] || url);
  doc.setCreator('Huoma');
  const [width, height] = [points(layout.page.width), points(layout.page.height)];
  const page = doc.addPage([width, height]);
  if (spec.background.image) {
    const photo = await background(spec, pixels(layout.page.width, dpi), pixels(layout.page.height, dpi)).jpeg({ quality: 88 }).toBuffer();
    page.drawImage(await doc.embedJpg(photo), { x: 0, y: 0, width, height });
  } else {
    page.drawRectangle({ x: 0, y: 0, width, height, color: color(spec.background.color) });
  }
  const qr = await doc.embedPng(await posterQr(url, style, layout, dpi));
  const side = points(layout.qr.size);
  page.drawImage(qr, { x: points(layout.qr.left), y: height - points(layout.qr.top) - side, width: side, height: side });
  if (layout.lines.length > 0) {
    doc.registerFontkit(fontkit);
    const embedded = await doc.embedFont(font.bytes, { subset: true });
    const ink = color(spec.text.color);
    for (const line of layout.lines) {
      page.drawText(line.text, { x: points(line.left), y: height - points(line.baseline), size: spec.text.size, font: embedded, color: ink });
    }
  }
  return doc.save();
}

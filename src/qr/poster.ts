import { posterFont, missingCharacters } from './poster-font.ts';
import { placePoster, type PosterFormat, type PosterResult, type PosterSpec } from './poster-layout.ts';
import { measureWith, type SymbolStyle } from './poster-parts.ts';
import { posterPdf } from './poster-pdf.ts';
import { posterPng } from './poster-png.ts';

/** Lays the poster out and draws it; run in a worker thread, as it takes a second or more at print sizes. */
export async function renderPoster(format: PosterFormat, url: string, style: SymbolStyle, spec: PosterSpec): Promise<PosterResult> {
  const font = posterFont();
  const missing = missingCharacters(font.font, spec.text.content);
  if (missing.length > 0) {
    return { field: 'text', message: `the poster font (Noto Sans SC, Simplified Chinese) has no glyph for ${missing.slice(0, 10).join(' ')}` };
  }
  const placed = placePoster(spec, measureWith(font.font));
  if (!('layout' in placed)) return placed;
  const file = format === 'png' ? await posterPng(font.font, url, style, spec, placed.layout) : await posterPdf(font, url, style, spec, placed.layout);
  return { file };
}

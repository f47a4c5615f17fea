import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import { evenGlyphs, sfnt, woffTables } from './woff.ts';

// Noto Sans SC (SIL Open Font License) from a registry package: the Simplified Chinese subset holds
// 7,333 hanzi (all of GB 2312 and more), Latin letters, digits and Chinese punctuation, so guide text
// renders the same on any machine, with no system font installed.
const FILE = '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff';

export interface PosterFont {
  /** The font as OpenType bytes, for embedding (subset) into a PDF. */
  bytes: Uint8Array;
  font: Font;
}

let loaded: PosterFont | undefined;

/** The guide-text font, read once per thread (about 150 ms, 2.5 MB unpacked). */
export function posterFont(): PosterFont {
  if (!loaded) {
    const { flavor, tables } = woffTables(readFileSync(createRequire(import.meta.url).resolve(FILE)));
    const bytes = sfnt(flavor, evenGlyphs(tables));
    loaded = { bytes, font: fontkit.create(bytes) };
  }
  return loaded;
}

/** The characters of `text` the font has no glyph for, each once (line breaks aside). */
export function missingCharacters(font: Font, text: string): string[] {
  return [...new Set([...text.replace(/\n/g, '')])].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
}

import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeBoth } from '../../test/support/decode-qr.ts';
import { posterFont } from './poster-font.ts';
import { pixels, placePoster, type PosterResult, type PosterSpec } from './poster-layout.ts';
import { measureWith, type SymbolStyle } from './poster-parts.ts';
import { renderPoster } from './poster.ts';

const URL_TEXT = 'https://qr.example.com/s/AbCd2345';
const GUIDE = '微信扫码，添加专属顾问\n领取双十一优惠券 ¥50';
const style: SymbolStyle = { margin: 4, ecl: 'M', fg: '#000000', bg: '#ffffff', logo: null };

const BLOCKS =
  '<svg width="900" height="1200"><circle cx="220" cy="260" r="200" fill="#ff8a65"/><rect x="450" y="700" width="400" height="450" fill="#1b5e20"/></svg>';
/** A busy photo-like background: colour blocks a decoder must look past. */
const photo = () =>
  sharp({ create: { width: 900, height: 1200, channels: 3, background: '#c8e6ff' } })
    .composite([{ input: Buffer.from(BLOCKS) }])
    .jpeg()
    .toBuffer();

const spec = (overrides: Partial<PosterSpec> = {}, content = GUIDE): PosterSpec => ({
  page: { width: 210, height: 297 },
  dpi: 120,
  background: { color: '#ffffff', image: null },
  qr: { x: 50, y: 60, size: 90 },
  text: { content, size: 32, color: '#b71c1c', y: 20 },
  ...overrides,
});

const file = (result: PosterResult) => {
  if (!('file' in result)) throw new Error(`${result.field}: ${result.message}`);
  return Buffer.from(result.file);
};

describe('poster PNG', () => {
  it('puts a QR on a photo background that two independent decoders read back as the short URL, at the page size in pixels', async () => {
    const png = file(await renderPoster('png', URL_TEXT, style, spec({ background: { color: '#ffffff', image: await photo() } })));
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.density]).toEqual([pixels(210, 120), pixels(297, 120), 120]);
    expect(await decodeBoth(png)).toEqual({ jsqr: URL_TEXT, zxing: URL_TEXT });
  });

  it('draws the Chinese guide text, in its colour, where the layout puts it and nowhere else', async () => {
    const raw = async (content: string) =>
      sharp(file(await renderPoster('png', URL_TEXT, style, spec({}, content)))).raw().toBuffer({ resolveWithObject: true });
    const [withText, without] = [await raw(GUIDE), await raw('')];
    // A print file has no transparency: RGB, like the poster without text.
    expect([withText.info.channels, without.info.channels]).toEqual([3, 3]);
    const placed = placePoster(spec(), measureWith(posterFont().font));
    if (!('layout' in placed)) throw new Error(placed.message);
    const { lines, em } = placed.layout;
    const rows = [pixels(lines[0]!.baseline - em, 120), pixels(lines.at(-1)!.baseline + 0.4 * em, 120)];
    let changed = 0;
    let red = 0;
    for (let p = 0; p < withText.data.length; p += 3) {
      if (withText.data.subarray(p, p + 3).equals(without.data.subarray(p, p + 3))) continue;
      changed++;
      const y = Math.floor(p / 3 / withText.info.width);
      expect(y).toBeGreaterThanOrEqual(rows[0]!);
      expect(y).toBeLessThanOrEqual(rows[1]!);
      if (withText.data[p] === 0xb7 && withText.data[p + 1] === 0x1c && withText.data[p + 2] === 0x1c) red++;
    }
    // Two lines of 32 pt hanzi at 120 dpi: thousands of inked pixels, many fully in the text colour.
    expect(changed).toBeGreaterThan(5_000);
    expect(red).toBeGreaterThan(1_000);
  });

  it('refuses text the font cannot draw, naming the characters', async () => {
    expect(await renderPoster('png', URL_TEXT, style, spec({}, '扫码😀'))).toEqual({ field: 'text', message: expect.stringContaining('😀') });
  });
});

describe('poster PDF', () => {
  const fontsOf = (doc: PDFDocument) => {
    const fonts = doc.getPage(0).node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
    return fonts.keys().map((key) => fonts.lookup(key, PDFDict));
  };
  const stream = (dict: PDFDict, key: string) => dict.lookup(PDFName.of(key), PDFStream) as PDFRawStream;
  const streamBytes = (stream: PDFRawStream) =>
    stream.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode') ? inflateSync(stream.contents) : Buffer.from(stream.contents);

  it('is one page of the paper size with the guide text in an embedded subset of Noto Sans SC, mapped back to its characters', async () => {
    const bytes = file(await renderPoster('pdf', URL_TEXT, style, spec({ page: { width: 420, height: 297 }, dpi: 150, qr: { x: 50, y: 62, size: 120 } })));
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([width, height].map((pt) => Math.round(pt * 100) / 100)).toEqual([1190.55, 841.89]); // A3 landscape
    const [font] = fontsOf(doc);
    expect(font!.get(PDFName.of('BaseFont'))!.toString()).toMatch(/NotoSansSC/);
    const cid = font!.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
    const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const program = streamBytes(stream(descriptor, 'FontFile2'));
    // A subset: a few kilobytes for the glyphs used, against 2.5 MB for the whole font...
    expect(program.length).toBeLessThan(60_000);
    // ...whose every glyph still reads as its outline (a subset with a broken loca table prints blanks).
    const subset = fontkit.create(program);
    const outlines = Array.from({ length: subset.numGlyphs }, (_, id) => subset.getGlyph(id).path.toSVG()).filter((d) => d !== '');
    expect(outlines.length).toBeGreaterThanOrEqual(new Set(GUIDE.replace(/[\s]/g, '')).size);
    const toUnicode = streamBytes(stream(font!, 'ToUnicode')).toString('latin1').toLowerCase();
    for (const c of '微信扫码添加专属顾问领取双十一优惠券¥50') {
      expect(toUnicode).toContain(`<${c.codePointAt(0)!.toString(16).padStart(4, '0')}>`);
    }
  });

  it('embeds the photo background and the QR as images, and stays small without a photo', async () => {
    const plain = file(await renderPoster('pdf', URL_TEXT, style, spec({ dpi: 300 })));
    expect(plain.length).toBeLessThan(100_000);
    const photoSpec = spec({ background: { color: '#ffffff', image: await photo() } });
    const withPhoto = await PDFDocument.load(file(await renderPoster('pdf', URL_TEXT, style, photoSpec)));
    const images = withPhoto.getPage(0).node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
    const filters = images.keys().map((key) => (images.lookup(key, PDFStream) as PDFRawStream).dict.get(PDFName.of('Filter'))!.toString());
    expect(filters.sort()).toEqual(['/DCTDecode', '/FlateDecode']);
  });
});

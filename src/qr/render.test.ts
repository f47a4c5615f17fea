import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeBoth } from '../../test/support/decode-qr.ts';
import { scannableColors, parseHexColor } from './colors.ts';
import { normalizeLogo, qrPng, qrSvg, type QrStyle } from './render.ts';

const URL_TEXT = 'https://qr.example.com/s/AbCd2345';
const style = (overrides: Partial<QrStyle> = {}): QrStyle => ({ size: 512, margin: 4, ecl: 'M', fg: '#000000', bg: '#ffffff', logo: null, ...overrides });

async function redLogo() {
  const square = await sharp({ create: { width: 300, height: 300, channels: 4, background: '#e4393c' } }).png().toBuffer();
  return { mime: 'image/png', data: await normalizeLogo(square) };
}

describe('QR images decode back to the short URL with two independent decoders', () => {
  const cases: [string, Partial<QrStyle>][] = [
    ['smallest size, level L', { size: 64, ecl: 'L', margin: 2 }],
    ['level M, default margin', { size: 300, ecl: 'M' }],
    ['level Q, no margin painted beyond the image', { size: 1000, ecl: 'Q', margin: 1 }],
    ['level H, big', { size: 2048, ecl: 'H' }],
    ['brand colours', { fg: '#1a3c8f', bg: '#fff7e6' }],
  ];
  for (const [name, overrides] of cases) {
    it(`PNG: ${name}`, async () => {
      const png = await qrPng(URL_TEXT, style(overrides));
      const meta = await sharp(png).metadata();
      expect([meta.width, meta.height]).toEqual([overrides.size ?? 512, overrides.size ?? 512]);
      expect(await decodeBoth(png)).toEqual({ jsqr: URL_TEXT, zxing: URL_TEXT });
    });
  }

  it('SVG rasterised by an SVG renderer decodes too', async () => {
    const svg = qrSvg(URL_TEXT, style({ size: 400 }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(await decodeBoth(Buffer.from(svg))).toEqual({ jsqr: URL_TEXT, zxing: URL_TEXT });
  });

  it('with a centred logo, PNG and SVG still decode, and the logo is really there', async () => {
    const logo = await redLogo();
    for (const size of [256, 512, 1024]) {
      const png = await qrPng(URL_TEXT, style({ size, logo, ecl: 'L' }));
      expect(await decodeBoth(png)).toEqual({ jsqr: URL_TEXT, zxing: URL_TEXT });
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
      expect([data[centre], data[centre + 1], data[centre + 2]]).toEqual([0xe4, 0x39, 0x3c]);
    }
    const svg = qrSvg(URL_TEXT, style({ logo }));
    expect(svg).toContain('data:image/png;base64,');
    expect(await decodeBoth(Buffer.from(svg))).toEqual({ jsqr: URL_TEXT, zxing: URL_TEXT });
  });

  it('a logo forces level H: the symbol grows against level L', () => {
    const count = (svg: string) => Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    expect(count(qrSvg(URL_TEXT, style({ ecl: 'L', margin: 0 })))).toBeLessThan(count(qrSvg(URL_TEXT, style({ ecl: 'H', margin: 0 }))));
  });
});

describe('colours', () => {
  it('reads hex with or without #, refuses anything else', () => {
    expect(parseHexColor('1A3C8F')).toBe('#1a3c8f');
    expect(parseHexColor('#ffffff')).toBe('#ffffff');
    expect(parseHexColor('red')).toBeNull();
    expect(parseHexColor('#fff')).toBeNull();
  });

  it('refuses light-on-dark and low contrast, which phones fail to scan', () => {
    expect(scannableColors('#000000', '#ffffff')).toBe(true);
    expect(scannableColors('#ffffff', '#000000')).toBe(false);
    expect(scannableColors('#999999', '#aaaaaa')).toBe(false);
  });
});

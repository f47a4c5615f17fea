import encodeQR from 'qr';
import sharp from 'sharp';
import { encodePng, type Rgb } from './png.ts';

export const ECLS = ['L', 'M', 'Q', 'H'] as const;
export type Ecl = (typeof ECLS)[number];
const ECC = { L: 'low', M: 'medium', Q: 'quartile', H: 'high' } as const;

export interface QrStyle {
  size: number; // px, the whole image
  margin: number; // quiet zone, in modules
  ecl: Ecl;
  fg: string; // #rrggbb
  bg: string;
  logo: { mime: string; data: Buffer } | null;
}

// Share of the symbol's width the logo plate may take. At ECC H a quarter of the codewords may be
// lost; a plate of 0.2 × 0.2 covers 4% of the modules (~8 % with the codewords it touches), which
// leaves decoders ample room even with print blur.
const LOGO_SHARE = 0.2;

function modules(text: string, ecl: Ecl): boolean[][] {
  // The encoder insists on a quiet zone; ask for the thinnest and strip it: the margin is ours.
  const bordered = encodeQR(text, 'raw', { ecc: ECC[ecl], border: 1 });
  return bordered.slice(1, -1).map((row) => row.slice(1, -1));
}

/** Dark modules as one path of horizontal runs: small files, crisp at any scale. */
function darkPath(matrix: boolean[][], offset: number): string {
  let d = '';
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length; ) {
      if (!row[x]) {
        x++;
        continue;
      }
      let end = x;
      while (end < row.length && row[end]) end++;
      d += `M${x + offset} ${y + offset}h${end - x}v1h${x - end}z`;
      x = end;
    }
  });
  return d;
}

/** The logo plate in module units: on whole modules, centred (same parity as n), 10 % padding. */
function logoPlate(n: number, margin: number) {
  let plate = Math.max(3, Math.round(n * LOGO_SHARE));
  if ((n - plate) % 2 !== 0) plate -= 1;
  const at = margin + (n - plate) / 2;
  const pad = plate * 0.1;
  return { at, plate, pad };
}

export function qrSvg(text: string, style: QrStyle): string {
  const matrix = modules(text, style.logo ? 'H' : style.ecl);
  const n = matrix.length;
  const total = n + 2 * style.margin;
  let logo = '';
  if (style.logo) {
    const { at, plate, pad } = logoPlate(n, style.margin);
    const href = `data:${style.logo.mime};base64,${style.logo.data.toString('base64')}`;
    logo =
      `<rect x="${at}" y="${at}" width="${plate}" height="${plate}" rx="${plate * 0.12}" fill="${style.bg}"/>` +
      `<image x="${at + pad}" y="${at + pad}" width="${plate - 2 * pad}" height="${plate - 2 * pad}" preserveAspectRatio="xMidYMid meet" href="${href}"/>`;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${style.size}" height="${style.size}" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges">` +
    `<rect width="${total}" height="${total}" fill="${style.bg}"/>` +
    `<path fill="${style.fg}" d="${darkPath(matrix, style.margin)}"/>${logo}</svg>`
  );
}

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;

/** Which module each pixel column (and row) shows; negative or past the symbol: the margin. */
const moduleIndex = (size: number, total: number, margin: number) => Int32Array.from({ length: size }, (_, p) => Math.floor((p * total) / size) - margin);

/**
 * Rows of pixels with a filter byte each: `draw` fills the pixels of one row of modules from `at`.
 * A module is many pixels tall, so a row like the one above is copied, not drawn again.
 */
type DrawRow = (lines: Buffer, at: number, row: boolean[] | undefined) => void;

function scanlines(matrix: boolean[][], size: number, stride: number, moduleAt: Int32Array, draw: DrawRow): Buffer {
  const lines = Buffer.alloc(size * stride);
  for (let y = 0; y < size; y++) {
    if (y > 0 && moduleAt[y] === moduleAt[y - 1]) lines.copyWithin(y * stride, (y - 1) * stride, y * stride);
    else draw(lines, y * stride + 1, matrix[moduleAt[y]!]);
  }
  return lines;
}

/** One bit a pixel, palette [bg, fg]: the smallest file for a two-colour code. */
const twoColourScanlines = (matrix: boolean[][], size: number, moduleAt: Int32Array): Buffer =>
  scanlines(matrix, size, 1 + Math.ceil(size / 8), moduleAt, (lines, at, row) => {
    if (row === undefined) return;
    for (let x = 0; x < size; x++) if (row[moduleAt[x]!] === true) lines[at + (x >> 3)]! |= 0x80 >> (x & 7);
  });

/** RGB with a filter byte per row, for a code that gets a logo drawn on it. */
const rgbScanlines = (matrix: boolean[][], size: number, moduleAt: Int32Array, fg: Rgb, bg: Rgb): Buffer =>
  scanlines(matrix, size, 1 + size * 3, moduleAt, (lines, at, row) => {
    for (let x = 0; x < size; x++) lines.set(row !== undefined && row[moduleAt[x]!] === true ? fg : bg, at + x * 3);
  });

/** The plate (rounded corners, in bg) and the logo alpha-blended on it, into RGB scanlines. */
interface LogoBox {
  at: number;
  plate: number;
  radius: number;
  logoAt: number;
  inner: number;
}

async function drawLogo(lines: Buffer, size: number, box: LogoBox, logo: Uint8Array, bg: Rgb) {
  const stride = 1 + size * 3;
  const { at, plate, radius } = box;
  for (let j = 0; j < plate; j++) {
    for (let i = 0; i < plate; i++) {
      const dx = i - Math.min(Math.max(i, radius), plate - 1 - radius);
      const dy = j - Math.min(Math.max(j, radius), plate - 1 - radius);
      if (dx * dx + dy * dy <= radius * radius) lines.set(bg, (at + j) * stride + 1 + (at + i) * 3);
    }
  }
  const { data, info } = await sharp(logo)
    .resize(box.inner, box.inner, { fit: 'contain', background: `rgb(${bg.join(',')})` })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let j = 0; j < info.height; j++) {
    for (let i = 0; i < info.width; i++) {
      const from = (j * info.width + i) * 4;
      const to = (box.logoAt + j) * stride + 1 + (box.logoAt + i) * 3;
      const alpha = data[from + 3]! / 255;
      for (let c = 0; c < 3; c++) lines[to + c] = Math.round(data[from + c]! * alpha + lines[to + c]! * (1 - alpha));
    }
  }
}

/**
 * PNG drawn pixel by pixel with nearest-module sampling: no anti-aliasing grey at module edges,
 * so even small images stay sharp enough for phone cameras. Only the logo goes through sharp,
 * at its own small size.
 */
export async function qrPng(text: string, style: QrStyle): Promise<Buffer> {
  const matrix = modules(text, style.logo ? 'H' : style.ecl);
  const n = matrix.length;
  const total = n + 2 * style.margin;
  const { size } = style;
  const moduleAt = moduleIndex(size, total, style.margin);
  const [fg, bg] = [rgb(style.fg), rgb(style.bg)];
  if (!style.logo) return encodePng({ width: size, height: size, bitDepth: 1, palette: [bg, fg], scanlines: twoColourScanlines(matrix, size, moduleAt) });
  const lines = rgbScanlines(matrix, size, moduleAt, fg, bg);
  const { at, plate, pad } = logoPlate(n, style.margin);
  const px = (modulesCount: number) => Math.round((modulesCount * size) / total);
  const box = { at: px(at), plate: px(plate), radius: px(plate * 0.12), logoAt: px(at + pad), inner: Math.max(1, px(plate - 2 * pad)) };
  await drawLogo(lines, size, box, style.logo.data, bg);
  return encodePng({ width: size, height: size, bitDepth: 8, palette: null, scanlines: lines });
}

/** Accepts PNG, JPEG, WebP, GIF or SVG; keeps a ≤256 px PNG, so no script in an SVG survives. */
export async function normalizeLogo(data: Buffer): Promise<Buffer> {
  return sharp(data, { limitInputPixels: 40_000_000 })
    .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
}

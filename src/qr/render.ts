import encodeQR from 'qr';
import sharp from 'sharp';

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

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/**
 * PNG drawn pixel by pixel with nearest-module sampling: no anti-aliasing grey at module edges,
 * so even small images stay sharp enough for phone cameras. The logo goes on with sharp.
 */
export async function qrPng(text: string, style: QrStyle): Promise<Buffer> {
  const matrix = modules(text, style.logo ? 'H' : style.ecl);
  const n = matrix.length;
  const total = n + 2 * style.margin;
  const { size } = style;
  const moduleAt = Int32Array.from({ length: size }, (_, p) => Math.floor((p * total) / size) - style.margin);
  const [fr, fg, fb] = rgb(style.fg);
  const [br, bg, bb] = rgb(style.bg);
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    const row = matrix[moduleAt[y]!];
    for (let x = 0; x < size; x++) {
      const dark = row !== undefined && row[moduleAt[x]!] === true;
      const i = (y * size + x) * 3;
      pixels[i] = dark ? fr : br;
      pixels[i + 1] = dark ? fg : bg;
      pixels[i + 2] = dark ? fb : bb;
    }
  }
  let image = sharp(pixels, { raw: { width: size, height: size, channels: 3 } });
  if (style.logo) {
    const { at, plate, pad } = logoPlate(n, style.margin);
    const px = (modulesCount: number) => Math.round((modulesCount * size) / total);
    const plateSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="${px(plate)}" height="${px(plate)}"><rect width="100%" height="100%" rx="${px(plate * 0.12)}" fill="${style.bg}"/></svg>`;
    const inner = Math.max(1, px(plate - 2 * pad));
    const logo = await sharp(style.logo.data).resize(inner, inner, { fit: 'contain', background: style.bg }).png().toBuffer();
    image = sharp(await image.png().toBuffer()).composite([
      { input: Buffer.from(plateSvg), left: px(at), top: px(at) },
      { input: logo, left: px(at + pad), top: px(at + pad) },
    ]);
  }
  return image.png({ compressionLevel: 6 }).toBuffer();
}

/** Accepts PNG, JPEG, WebP, GIF or SVG; keeps a ≤256 px PNG, so no script in an SVG survives. */
export async function normalizeLogo(data: Buffer): Promise<Buffer> {
  return sharp(data, { limitInputPixels: 40_000_000 })
    .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
}

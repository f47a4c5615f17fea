import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsqrModule from 'jsqr';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);
// jsqr is CommonJS with an ES-style default in its types: take the function either way.
const jsQR = ((jsqrModule as unknown as { default?: unknown }).default ?? jsqrModule) as typeof jsqrModule.default;
// The wasm ships inside the package; without this it would try to fetch it from a CDN.
const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });

/**
 * Decodes a PNG or SVG with two decoders written independently of our encoder (jsQR and
 * ZXing): what they both read is what a phone would read.
 */
export async function decodeBoth(image: Buffer): Promise<{ jsqr: string | null; zxing: string | null }> {
  const { data, info } = await sharp(image).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
  const jsqr = jsQR(pixels, info.width, info.height)?.data ?? null;
  const imageData = { data: pixels, width: info.width, height: info.height, colorSpace: 'srgb' } as ImageData;
  const results = await readBarcodes(imageData, { formats: ['QRCode'], tryHarder: true });
  return { jsqr, zxing: results[0]?.text ?? null };
}

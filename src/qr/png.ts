import { crc32, deflateSync } from 'node:zlib';

export type Rgb = [number, number, number];

export interface PngImage {
  width: number;
  height: number;
  /** 1 with a two-colour palette, 8 for RGB. */
  bitDepth: 1 | 8;
  palette: Rgb[] | null;
  /** Each row led by its filter byte (0, none: rows of flat colour deflate well as they are). */
  scanlines: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG encoded in the calling thread (zlib's sync deflate): in a worker thread it takes nothing
 * from libuv's pool, where the scan path's fdatasync waits (sharp would queue there).
 */
export function encodePng({ width, height, bitDepth, palette, scanlines }: PngImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = palette ? 3 : 2;
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    ...(palette ? [chunk('PLTE', Buffer.from(palette.flat()))] : []),
    chunk('IDAT', deflateSync(scanlines, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

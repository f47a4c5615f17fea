import { inflateSync } from 'node:zlib';

export interface FontTable {
  tag: string;
  checksum: number;
  data: Buffer;
}

/** The tables of a WOFF 1 file (each zlib-deflated on its own) and its flavour (TrueType or CFF outlines). */
export function woffTables(woff: Buffer): { flavor: number; tables: FontTable[] } {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1 font');
  const tables = Array.from({ length: woff.readUInt16BE(12) }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const packed = woff.subarray(offset, offset + woff.readUInt32BE(at + 8));
    const length = woff.readUInt32BE(at + 12);
    return { tag: woff.toString('latin1', at, at + 4), checksum: woff.readUInt32BE(at + 16), data: packed.length < length ? inflateSync(packed) : packed };
  });
  return { flavor: woff.readUInt32BE(4), tables };
}

/**
 * A plain OpenType font file of these tables. fontkit reads WOFF itself but inflates a table on
 * every access: laying out and subsetting a CJK font that way took seconds a poster, against tens
 * of milliseconds from the unpacked font.
 */
export function sfnt(flavor: number, tables: FontTable[]): Buffer {
  const padded = (n: number) => (n + 3) & ~3;
  const count = tables.length;
  const headerLength = 12 + 16 * count;
  const out = Buffer.alloc(tables.reduce((n, t) => n + padded(t.data.length), headerLength));
  const power = 2 ** Math.floor(Math.log2(count));
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(count, 4);
  out.writeUInt16BE(power * 16, 6);
  out.writeUInt16BE(Math.log2(power), 8);
  out.writeUInt16BE(count * 16 - power * 16, 10);
  let offset = headerLength;
  tables.forEach((table, i) => {
    const at = 12 + i * 16;
    out.write(table.tag, at, 'latin1');
    out.writeUInt32BE(table.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(table.data.length, at + 12);
    table.data.copy(out, offset);
    offset += padded(table.data.length);
  });
  return out;
}

/**
 * The glyph data padded to even lengths (with a long `loca`). fontkit's subsetter, which pdf-lib
 * embeds fonts with, writes a short `loca` (offsets halved) whenever the subset is under 128 KB:
 * a glyph of odd length then shifts every glyph after it, and PDF viewers draw blanks for them.
 */
export function evenGlyphs(tables: FontTable[]): FontTable[] {
  const table = (tag: string) => {
    const found = tables.find((t) => t.tag === tag);
    if (!found) throw new Error(`the font has no ${tag} table`);
    return found.data;
  };
  const head = Buffer.from(table('head'));
  const [loca, glyf] = [table('loca'), table('glyf')];
  const long = head.readInt16BE(50) === 1;
  const start = (i: number) => (long ? loca.readUInt32BE(i * 4) : loca.readUInt16BE(i * 2) * 2);
  const count = table('maxp').readUInt16BE(4);
  const parts: Buffer[] = [];
  const offsets = Buffer.alloc((count + 1) * 4);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const glyph = glyf.subarray(start(i), start(i + 1));
    offsets.writeUInt32BE(offset, i * 4);
    parts.push(glyph.length % 2 === 0 ? glyph : Buffer.concat([glyph, Buffer.alloc(1)]));
    offset += parts.at(-1)!.length;
  }
  offsets.writeUInt32BE(offset, count * 4);
  head.writeInt16BE(1, 50);
  const replaced: Record<string, Buffer> = { head, loca: offsets, glyf: Buffer.concat(parts) };
  return tables.map((t) => (replaced[t.tag] ? { ...t, data: replaced[t.tag]! } : t));
}

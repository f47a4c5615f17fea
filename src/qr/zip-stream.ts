import { Readable } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

async function* zipChunks(entries: AsyncIterable<ZipEntry>): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    ready.push(chunk);
  });
  for await (const { name, data } of entries) {
    // Stored, not deflated: the entries are PNGs, compressed already.
    const file = new ZipPassThrough(name);
    zip.add(file);
    file.push(data, true);
    yield* ready.splice(0);
  }
  zip.end();
  yield* ready.splice(0);
}

/**
 * A ZIP sent as its entries are produced: the next entry is asked for only once the client has
 * taken the last, so memory holds one entry and a slow or gone client stops the work.
 */
export const zipStream = (entries: AsyncIterable<ZipEntry>): Readable => Readable.from(zipChunks(entries), { objectMode: false });

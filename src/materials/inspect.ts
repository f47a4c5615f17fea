import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError, invalid } from '../shared/errors.ts';
import { MATERIAL_MIMES, SHARP_FORMAT, sniffImage, type MaterialMime } from './image-type.ts';

export interface InspectedImage {
  mime: MaterialMime;
  width: number;
  height: number;
  sha256: string;
  data: Buffer;
}

const ACCEPTED = 'PNG, JPEG, WebP or GIF';

/**
 * What an upload really is, read from its bytes (never its Content-Type): one of the accepted
 * raster types whose header sharp reads as that same type, with its size in pixels. Anything else
 * (SVG, HTML, a PDF, a truncated file) is refused naming the body and the rule.
 */
export async function inspectImage(data: Buffer): Promise<InspectedImage> {
  const mime = sniffImage(data);
  if (!mime) {
    const svg = /^\s*(<\?xml|<svg)/i.test(data.subarray(0, 256).toString('latin1'));
    const what = svg ? 'SVG is not accepted (it can carry scripts)' : 'the body is not an image the library takes';
    throw new AppError('unsupported_media_type', `${what}: upload a ${ACCEPTED} file (${MATERIAL_MIMES.join(', ')})`, 'body');
  }
  let meta: Metadata;
  try {
    meta = await sharp(data, { animated: mime === 'image/gif' || mime === 'image/webp' }).metadata();
  } catch {
    throw invalid('body', `the body starts like ${mime} but cannot be read as one: upload a whole, valid ${ACCEPTED} file`);
  }
  if (meta.format !== SHARP_FORMAT[mime] || !meta.width || !meta.height) {
    throw invalid('body', `the body starts like ${mime} but reads as ${meta.format ?? 'nothing'}: upload a whole, valid ${ACCEPTED} file`);
  }
  // An animation's height is that of all its frames stacked; one frame is what a page shows.
  const height = meta.pageHeight ?? meta.height;
  return { mime, width: meta.width, height, sha256: createHash('sha256').update(data).digest('hex'), data };
}

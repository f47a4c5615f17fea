/** The image types the library keeps: raster formats every phone browser shows. SVG is refused (it can carry script). */
export const MATERIAL_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type MaterialMime = (typeof MATERIAL_MIMES)[number];

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * What an upload is by its first bytes, whatever its Content-Type says: PNG, JPEG, WebP or GIF,
 * else null. A browser is later told this type, never the uploader's.
 */
export function sniffImage(bytes: Uint8Array): MaterialMime | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** sharp's name for each format, to check that the whole file reads as what its first bytes claim. */
export const SHARP_FORMAT: Record<MaterialMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp', 'image/gif': 'gif' };

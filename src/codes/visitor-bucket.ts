/**
 * A visitor's fixed place in [0, 100) for one code: the same visitor always lands in the same A/B
 * arm of that code, while arms of different codes are independent (the code id salts the hash).
 */
export function visitorBucket(codeId: string, visitorId: string): number {
  // FNV-1a over both strings, then murmur3's finalizer so nearby ids spread over the whole range.
  let h = 0x811c9dc5;
  const text = `${codeId}:${visitorId}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) / 0x1_0000_0000) * 100;
}

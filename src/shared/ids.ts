import { randomFillSync } from 'node:crypto';

// Crockford base32: no I, L, O, U, so ids read aloud or typed by hand survive.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastPrefix = '';
let lastRandom = '';

/** The next base-32 string of the same length, or null past the last one. */
function increment(chars: string): string | null {
  const digits = [...chars];
  for (let i = digits.length - 1; i >= 0; i--) {
    const next = CROCKFORD.indexOf(digits[i]!) + 1;
    if (next < CROCKFORD.length) {
      digits[i] = CROCKFORD[next]!;
      return digits.join('');
    }
    digits[i] = CROCKFORD[0]!;
  }
  return null;
}

/**
 * A 22-character id whose first 10 characters are the creation time in ms, so ids sort by
 * creation and serve as pagination cursors; the 12 random characters (60 bits) keep them unique.
 * Within one millisecond this process counts up from the last random part, so its ids also sort
 * in the order they were made (what an operation log listed newest first needs).
 */
export function newId(now: number = Date.now()): string {
  const prefix = idTimePrefix(now);
  const next = prefix === lastPrefix ? increment(lastRandom) : null;
  lastRandom = next ?? randomChars(CROCKFORD, 12);
  lastPrefix = prefix;
  return prefix + lastRandom;
}

/** The first 10 characters of every id made at `ms`: ids from [a, b) lie in [prefix(a), prefix(b)). */
export function idTimePrefix(ms: number): string {
  let time = '';
  let t = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

// Slugs go into printed QR codes and get typed from posters: leave out 0/O, 1/l/I and the
// letters that look alike in common fonts. 54^8 ≈ 7e13 slugs, so they are unguessable
// by enumeration at any rate our scan endpoint serves.
export const SLUG_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
export const SLUG_LENGTH = 8;

export function newSlug(): string {
  return randomChars(SLUG_ALPHABET, SLUG_LENGTH);
}

// Every scan draws ids; one CSPRNG call per 4 KiB instead of one per character keeps that cheap.
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomPoolBytes(n: number): Buffer {
  if (used + n > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

export function randomChars(alphabet: string, length: number): string {
  // Rejection sampling: bytes past the largest multiple of the alphabet size are skipped, so
  // every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomPoolBytes(length - out.length)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export function randomToken(bytes: number): string {
  return Buffer.from(randomPoolBytes(bytes)).toString('base64url');
}

import { randomBytes, randomInt } from 'node:crypto';

// Crockford base32: no I, L, O, U, so ids read aloud or typed by hand survive.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A 22-character id whose first 10 characters are the creation time in ms, so ids sort by
 * creation and serve as pagination cursors; the 12 random characters (60 bits) keep them unique.
 */
export function newId(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + randomChars(CROCKFORD, 12);
}

// Slugs go into printed QR codes and get typed from posters: leave out 0/O, 1/l/I and the
// letters that look alike in common fonts. 54^8 ≈ 7e13 slugs, so they are unguessable
// by enumeration at any rate our scan endpoint serves.
export const SLUG_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
export const SLUG_LENGTH = 8;

export function newSlug(): string {
  return randomChars(SLUG_ALPHABET, SLUG_LENGTH);
}

export function randomChars(alphabet: string, length: number): string {
  // Rejection sampling through randomInt keeps every character uniformly likely.
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

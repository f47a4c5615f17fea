import { XMLParser } from 'fast-xml-parser';
import { CallbackCryptoError } from './callback-crypto.ts';

/** WeCom's envelopes and events are a few kilobytes; anything far larger is not from WeCom. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

// Base64 only, bounded, no nested quantifiers: linear on any input, so an unsigned body costs one scan.
const ENCRYPT = /<Encrypt>(?:<!\[CDATA\[([A-Za-z0-9+/]{1,65536}={0,2})\]\]>|([A-Za-z0-9+/]{1,65536}={0,2}))<\/Encrypt>/g;

/**
 * The `<Encrypt>` value of a callback envelope, found without parsing the envelope as XML: the
 * body is unauthenticated until that value's signature holds, so no parser sees it. Exactly one.
 */
export function encryptedOf(body: string): string {
  const found = [...body.matchAll(ENCRYPT)];
  if (found.length !== 1) throw new CallbackCryptoError('format');
  return found[0]![1] ?? found[0]![2]!;
}

const xml = new XMLParser({ parseTagValue: false, processEntities: false, htmlEntities: false });

/**
 * The fields of a decrypted (so authenticated) event. Still refused when it declares a DOCTYPE or
 * entities (WeCom never sends them), so no entity is ever expanded, and when it is not XML.
 */
export function parseMessage(text: string): Record<string, string> {
  if (/<!(?:DOCTYPE|ENTITY)/i.test(text)) throw new CallbackCryptoError('format');
  let parsed: unknown;
  try {
    parsed = xml.parse(text);
  } catch {
    throw new CallbackCryptoError('format');
  }
  const fields = (parsed as { xml?: unknown } | null)?.xml;
  if (typeof fields !== 'object' || fields === null) throw new CallbackCryptoError('format');
  return fields as Record<string, string>;
}

import { z } from 'zod';

/** The longest URL kept, in its encoded form: what goes into a Location header and a QR-adjacent page. */
const MAX_URL_LENGTH = 2048;

/**
 * Characters a URL may never carry in: C0 controls (CR, LF, NUL, TAB …), DEL, C1 controls, the
 * line and paragraph separators, and bidi controls (which make `gnp.exe` read as `exe.png`). The
 * WHATWG parser would silently drop some and encode others; a person who pasted them should hear so.
 */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** What every header value and every stored URL is made of after normalising: printable ASCII. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * An absolute http(s) URL in its WHATWG form: host in punycode, path, query and fragment
 * percent-encoded, so the result is printable ASCII and valid as a Location header; null when it
 * is not such a URL. Also repairs URLs stored before they were normalised (the scan path reads them).
 */
export function normalizeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return PRINTABLE_ASCII.test(url.href) && url.href.length <= MAX_URL_LENGTH ? url.href : null;
}

/** The one schema of every URL field a person sets: refuses control characters, stores the normalised form. */
export const httpUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .transform((value, ctx) => {
    const control = FORBIDDEN.exec(value);
    if (control) {
      const at = `${codePoint(control[0])} at position ${control.index}`;
      ctx.addIssue({ code: 'custom', message: `must not contain control characters (line breaks, NUL, separators, bidi controls): ${at}` });
      return z.NEVER;
    }
    const url = normalizeHttpUrl(value);
    if (url === null) {
      ctx.addIssue({ code: 'custom', message: `must be an absolute http:// or https:// URL, at most ${MAX_URL_LENGTH} characters once encoded` });
      return z.NEVER;
    }
    return url;
  })
  // What comes out is a URL string again: said so, the OpenAPI document describes answers that hold one.
  .pipe(z.string());

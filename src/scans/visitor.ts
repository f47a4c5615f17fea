import { readCookie } from '../http/cookies.ts';
import { randomToken } from '../shared/ids.ts';

export const VISITOR_COOKIE = 'hm_vid';
export const SEEN_COOKIE = 'hm_seen';
const VISITOR_ID = /^[A-Za-z0-9_-]{16,32}$/;
const SLUG = /^[A-Za-z0-9]{4,32}$/;
const MAX_SEEN = 40;
const TWO_YEARS_S = 2 * 365 * 24 * 3600;

export interface Visitor {
  id: string;
  /** No visitor cookie came with the scan: first scan of any Huoma code on this browser. */
  isNew: boolean;
  /** This browser scanned this very code before. */
  returning: boolean;
  /** Cookies to send back, or none when nothing changed. */
  setCookies: string[];
}

/**
 * The first-party visitor: an id cookie for unique-visitor counts and A/B stability, and a
 * short list of recently scanned codes for "new vs returning" without a database read.
 * `markSeen` false leaves the code off that list, for a step that decides later (the location step).
 */
export function readVisitor(cookieHeader: string | undefined, slug: string, secure: boolean, markSeen = true): Visitor {
  const header = cookieHeader ?? '';
  const existing = readCookie(header, VISITOR_COOKIE);
  const id = existing && VISITOR_ID.test(existing) ? existing : randomToken(12);
  const seen = (readCookie(header, SEEN_COOKIE) ?? '').split('.').filter((s) => SLUG.test(s));
  const returning = existing === id && seen.includes(slug);
  const attrs = `; Path=/; Max-Age=${TWO_YEARS_S}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  const setCookies: string[] = [];
  if (existing !== id) setCookies.push(`${VISITOR_COOKIE}=${id}${attrs}`);
  if (!returning && markSeen) {
    const next = [slug, ...seen.filter((s) => s !== slug)].slice(0, MAX_SEEN);
    setCookies.push(`${SEEN_COOKIE}=${next.join('.')}${attrs}`);
  }
  return { id, isNew: existing !== id, returning, setCookies };
}

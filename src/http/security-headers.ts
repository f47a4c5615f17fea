import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** A CSP source allowing one inline script or style: the SHA-256 of its exact text, as browsers compute it. */
export const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export interface PagePolicy {
  /** Inline scripts, by their cspHash; none: the page runs no script. */
  scripts?: readonly string[];
  /** Inline styles, by their cspHash. */
  styles?: readonly string[];
  /** Sources images may come from. */
  images?: readonly string[];
  /** Where the page's scripts may fetch from. */
  connect?: readonly string[];
}

/**
 * What a destination is told of where the scanner came from: our origin (the scan came through this
 * service, useful to its analytics), not the code's path or query; nothing when it drops to http.
 */
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

const directive = (name: string, sources: readonly string[] | undefined) => (sources?.length ? [`${name} ${sources.join(' ')}`] : []);

/**
 * The headers of every HTML page we serve (landing pages, the console): nothing loads or runs that
 * the policy does not name, no page is framed (clickjacking a contact QR), no <base> or form can
 * send the visitor elsewhere, and a destination learns only our origin, never the code's path.
 * Computed once per kind of page; the answer only copies the object.
 */
export function pageHeaders(policy: PagePolicy): Record<string, string> {
  const csp = [
    "default-src 'none'",
    ...directive('script-src', policy.scripts),
    ...directive('style-src', policy.styles),
    ...directive('img-src', policy.images),
    ...directive('connect-src', policy.connect),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': REFERRER_POLICY,
    'x-frame-options': 'DENY',
  };
}

/** Every answer, JSON and errors included: a browser takes the type we send and never sniffs a page or a script out of a body. */
export function noSniffing(app: FastifyInstance): void {
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });
}

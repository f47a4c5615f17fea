import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { errorHandling, frameworkErrors } from './errors.ts';
import { noSniffing } from './security-headers.ts';
import { trustProxyOption, type TrustProxy } from './trust-proxy.ts';

/** Bodies anyone may send (sign-in, WeCom's callback, unknown routes): a few kilobytes in practice. */
const PUBLIC_BODY_LIMIT = 64 * 1024;

/** The Fastify server every route is mounted on, and the list of those routes as "METHOD /url" (for tests that must cover each). */
export function httpServer(logger: FastifyBaseLogger, trustProxy: TrustProxy): { http: FastifyInstance; routes: string[] } {
  const http = Fastify({
    loggerInstance: logger,
    // Nothing is logged per request: the scan path must not pay for it (DESIGN.md, hot path).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(trustProxy),
    // Public routes and unknown ones: small bodies only. API routes set their own, read after sign-in.
    bodyLimit: PUBLIC_BODY_LIMIT,
    return503OnClosing: true,
    frameworkErrors,
  });
  const routes: string[] = [];
  http.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${r.url}`);
  });
  errorHandling(http);
  noSniffing(http);
  return { http, routes };
}

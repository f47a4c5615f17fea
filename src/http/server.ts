import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { errorHandling } from './errors.ts';
import { noSniffing } from './security-headers.ts';
import { trustProxyOption, type TrustProxy } from './trust-proxy.ts';

/** The Fastify server every route is mounted on, and the list of those routes as "METHOD /url" (for tests that must cover each). */
export function httpServer(logger: FastifyBaseLogger, trustProxy: TrustProxy): { http: FastifyInstance; routes: string[] } {
  const http = Fastify({
    loggerInstance: logger,
    // Nothing is logged per request: the scan path must not pay for it (DESIGN.md, hot path).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: trustProxyOption(trustProxy),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  const routes: string[] = [];
  http.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${r.url}`);
  });
  errorHandling(http);
  noSniffing(http);
  return { http, routes };
}

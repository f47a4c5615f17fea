import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

/**
 * A parser for raw bodies (CSV, images) that only the routes named take: anywhere else the type is
 * refused with 415, as if no parser existed, so no other route reads such a body past its own small
 * limit. The route reads it up to its own `bodyLimit`, and only after the caller is known (Api).
 */
export function rawBodyFor(app: FastifyInstance, types: string[], parseAs: 'string' | 'buffer', ...routes: string[]): void {
  app.addContentTypeParser(types, { parseAs }, (req, body, done) => {
    if (routes.includes(req.routeOptions.url ?? '')) return done(null, body);
    const message = `${types.join(', ')} bodies are taken only by ${routes.join(' and ')}; send JSON with Content-Type: application/json`;
    done(new AppError('unsupported_media_type', message, 'body'));
  });
}

import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, RateLimited } from '../shared/errors.ts';

/** Every failure leaves as `{ error: { code, message, field? } }`; only our own faults are 500s. */
export function errorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfter));
    if (error instanceof AppError) return reply.code(error.status).send(error.toJSON());
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(new AppError('payload_too_large', 'the request body is too large', 'body').toJSON());
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(new AppError('unsupported_media_type', 'send JSON with Content-Type: application/json', 'body').toJSON());
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON and the like: the client's mistake, said plainly.
      return reply.code(400).send(new AppError('validation_failed', `body: ${error.message}`, 'body').toJSON());
    }
    req.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(new AppError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`).toJSON()),
  );
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { chineseMessage, type ErrorFacts } from '../i18n/error-messages.ts';
import { negotiateLang } from '../i18n/lang.ts';
import { AppError, RateLimited } from '../shared/errors.ts';
import { InvalidInput } from './validation.ts';

/** Every refusal and failure of the API, in one shape (the OpenAPI document declares it for each error answer). */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, for programs: validation_failed, unauthorized, forbidden, not_found, conflict, rate_limited, …'),
      message: z.string().describe('For people: Chinese when Accept-Language prefers zh, else English'),
      field: z.string().optional().describe('The input the refusal is about, where there is one'),
    }),
  })
  .register(z.globalRegistry, { id: 'Error' });
type ErrorBody = z.output<typeof errorBody>;

/**
 * The JSON body of a refusal: `message` in Chinese when Accept-Language prefers zh, else English
 * (scripts and API clients that name no language get the English detail).
 */
function body(req: FastifyRequest, facts: ErrorFacts, english: string): ErrorBody {
  const message = negotiateLang(req.headers['accept-language'], 'en') === 'zh-CN' ? chineseMessage(facts) : english;
  return { error: { code: facts.code, message, ...(facts.field ? { field: facts.field } : {}) } };
}

const send = (req: FastifyRequest, error: AppError) => {
  const facts = {
    code: error.code,
    field: error.field,
    issue: error instanceof InvalidInput ? error.issue : undefined,
    retryAfter: error instanceof RateLimited ? error.retryAfter : undefined,
  };
  return body(req, facts, error.message);
};

/**
 * Fastify's `frameworkErrors`: what it refuses before routing (an address with a broken %-escape)
 * leaves in the same body as every other refusal, not in Fastify's own.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    void reply.code(400).send(send(req, new AppError('validation_failed', 'the address is not a valid URL (a broken %-escape)', 'path')));
  } else {
    // An async route constraint failing: none of ours has one, so it is our fault.
    req.log.error({ err: error }, 'request failed before routing');
    void reply.code(500).send(body(req, { code: 'internal' }, 'internal error'));
  }
}

/** Every failure leaves as `{ error: { code, message, field? } }`; only our own faults are 500s. */
export function errorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfter));
    if (error instanceof AppError) return reply.code(error.status).send(send(req, error));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(send(req, new AppError('payload_too_large', 'the request body is too large', 'body')));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(send(req, new AppError('unsupported_media_type', 'send JSON with Content-Type: application/json', 'body')));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON and the like: the client's mistake, said plainly.
      return reply.code(400).send(send(req, new AppError('validation_failed', `body: ${error.message}`, 'body')));
    }
    req.log.error({ err: error }, 'request failed');
    return reply.code(500).send(body(req, { code: 'internal' }, 'internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(send(req, new AppError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`))),
  );
}

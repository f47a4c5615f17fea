import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { Counters } from '../counters/counters.ts';
import type { Api } from '../http/api.ts';
import { errorBody } from '../http/errors.ts';
import { AppError } from '../shared/errors.ts';
import { migrationsCurrent, ping, type Storage } from '../storage/db.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>`, compared in constant time; over digests, so not even the length shows. */
function bears(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * What operators and load balancers read: metrics, liveness, readiness. With a metrics token, only
 * a scraper that bears it reads /metrics (scan volumes and outcomes are business figures).
 */
export function opsRoutes(http: FastifyInstance, api: Api, registry: Registry, storage: Storage, counters: Counters, metricsToken?: string): void {
  api.document({
    method: 'GET', url: '/metrics', tag: 'ops',
    summary:
      'Prometheus metrics: huoma_scans_total by outcome, huoma_decision_seconds, recorder batch size and commit time, process; ' +
      'with HUOMA_METRICS_TOKEN set, only with Authorization: Bearer <that token>',
    responses: {
      200: { description: 'Prometheus text format', contentType: 'text/plain' },
      401: { description: 'HUOMA_METRICS_TOKEN is set and the request does not bear it', schema: errorBody },
    },
  });
  api.document({
    method: 'GET', url: '/healthz', tag: 'ops', summary: 'Liveness: 200 while the process runs',
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
  });
  api.document({
    method: 'GET', url: '/readyz', tag: 'ops',
    summary: 'Readiness: 200 when the database answers and migrations are current, else 503; the body also says whether the shared counters (Redis) answer',
    responses: {
      200: {
        description: 'Ready',
        schema: z.object({
          status: z.literal('ready'),
          counters: z.string().describe('Where they live and whether they answer: "database ok", "redis unreachable"'),
        }),
      },
      503: { description: 'Not ready', schema: z.object({ status: z.enum(['migrations pending', 'database unreachable']) }) },
    },
  });
  http.get('/metrics', async (req, reply) => {
    if (metricsToken !== undefined && !bears(req.headers.authorization, metricsToken)) {
      const refusal = new AppError('unauthorized', 'send Authorization: Bearer <HUOMA_METRICS_TOKEN>');
      return reply.code(401).header('www-authenticate', 'Bearer').send(refusal.toJSON());
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_req, reply) => {
    try {
      await ping(storage);
      if (!(await migrationsCurrent(storage))) return reply.code(503).send({ status: 'migrations pending' });
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
    // Reported, not judged: without Redis only codes with limits are refused (503), and taking every
    // instance out of the load balancer would refuse all the others too.
    const counted = await counters.ping().then(() => 'ok', () => 'unreachable');
    return { status: 'ready', counters: `${counters.kind} ${counted}` };
  });
}

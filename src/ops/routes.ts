import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Counters } from '../counters/counters.ts';
import type { Api } from '../http/api.ts';
import { migrationsCurrent, ping, type Storage } from '../storage/db.ts';

/** What operators and load balancers read: metrics, liveness, readiness. */
export function opsRoutes(http: FastifyInstance, api: Api, registry: Registry, storage: Storage, counters: Counters): void {
  api.document({
    method: 'GET', url: '/metrics', tag: 'ops',
    summary: 'Prometheus metrics: huoma_scans_total by outcome, huoma_decision_seconds, recorder batch size and commit time, process',
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
  });
  api.document({ method: 'GET', url: '/healthz', tag: 'ops', summary: 'Liveness: 200 while the process runs', responses: { 200: { description: 'Alive' } } });
  api.document({
    method: 'GET', url: '/readyz', tag: 'ops', summary: 'Readiness: 200 when the database answers and migrations are current, else 503; the body also says whether the shared counters (Redis) answer',
    responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } },
  });
  http.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
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

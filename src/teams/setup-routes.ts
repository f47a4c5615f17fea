import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import { parsePart } from '../http/validation.ts';
import type { AuditLog } from './audit.ts';
import { userSchema } from './model.ts';
import { setupSchema, type FirstRunSetup } from './setup.ts';

/** The first run, before anyone can sign in: so these routes need no key or session. */
export function setupRoutes(http: FastifyInstance, api: Api, setup: FirstRunSetup, audit: AuditLog): void {
  http.get('/api/v1/setup', async () => ({ needed: await setup.needed() }));
  api.document({
    method: 'GET', url: '/api/v1/setup', tag: 'session',
    summary: 'Whether the first-run setup is open: true while no user exists',
    responses: { 200: { description: 'Setup state', schema: z.object({ needed: z.boolean() }) } },
  });

  http.post('/api/v1/setup', async (req, reply) => {
    const body = parsePart(setupSchema, req.body, 'body');
    const user = await setup.createOwner(body, req.ip);
    await audit.append({ actor: user, ip: req.ip, action: 'user.create', objectType: 'user', objectId: user.id, outcome: 'ok', detail: { setup: true } });
    reply.status(201);
    return user;
  });
  api.document({
    method: 'POST', url: '/api/v1/setup', tag: 'session', body: setupSchema,
    summary:
      'Create the owner on a new installation, with the one-time setup code the server printed in its log at start-up; ' +
      'then sign in with POST /api/v1/session. Refused once any user exists',
    responses: {
      201: { description: 'The owner', schema: userSchema },
      403: { description: 'The setup code is wrong' },
      409: { description: 'A user exists already: setup is over' },
      429: { description: 'Too many attempts' },
    },
  });
}

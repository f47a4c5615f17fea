import { z } from 'zod';
import { idParams } from '../http/route-helpers.ts';
import type { Api } from '../http/api.ts';
import { EVENT_TYPES } from '../shared/events.ts';
import { createWebhookSchema, updateWebhookSchema } from './model.ts';
import type { WebhookService } from './service.ts';

const webhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(EVENT_TYPES)),
  description: z.string().nullable(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable(),
  departments: z.array(z.string()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const deliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  log: z.array(
    z.object({ attempt: z.number().int(), at: z.string(), status: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int() }),
  ),
});

const deliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(40).optional(),
});

export function webhookRoutes(api: Api, webhooks: WebhookService): void {
  const tag = 'webhooks';
  const audit = (action: string) => ({ action, object: 'webhook', load: (id: string) => webhooks.get(id) });
  const scope = (id: string) => webhooks.departmentsOf(id);
  api.route({
    method: 'POST', url: '/api/v1/webhooks', tag, permission: 'webhooks.manage', status: 201, audit: audit('webhook.create'),
    summary:
      'Subscribe a URL to events (made by a key or person limited to departments, it hears only their events); ' +
      'the answer holds the signing secret, shown this once',
    body: createWebhookSchema,
    responses: { 201: { description: 'Created', schema: webhookView.extend({ secret: z.string() }) } },
    handler: ({ body, actor }) => webhooks.create(body, actor),
  });
  api.route({
    method: 'GET', url: '/api/v1/webhooks', tag, permission: 'webhooks.manage',
    summary: 'List webhook subscriptions',
    responses: { 200: { description: 'Subscriptions', schema: z.object({ items: z.array(webhookView) }) } },
    handler: async ({ actor }) => ({ items: await webhooks.list(actor) }),
  });
  api.route({
    method: 'GET', url: '/api/v1/webhooks/:id', scope, tag, permission: 'webhooks.manage',
    summary: 'Get a webhook subscription', params: idParams,
    responses: { 200: { description: 'The subscription', schema: webhookView } },
    handler: ({ params }) => webhooks.get(params.id),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/webhooks/:id', scope, tag, permission: 'webhooks.manage', audit: audit('webhook.update'),
    summary: 'Change a subscription; enabled: true switches a disabled one back on', params: idParams, body: updateWebhookSchema,
    responses: { 200: { description: 'The subscription', schema: webhookView } },
    handler: ({ params, body }) => webhooks.update(params.id, body),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/webhooks/:id', scope, tag, permission: 'webhooks.manage', audit: audit('webhook.delete'),
    summary: 'Delete a subscription and its delivery log', params: idParams,
    responses: { 204: { description: 'Deleted' } },
    handler: ({ params }) => webhooks.remove(params.id),
  });
  api.route({
    method: 'GET', url: '/api/v1/webhooks/:id/deliveries', scope, tag, permission: 'webhooks.manage',
    summary: 'Deliveries newest first, each with its attempts (time, HTTP status or error, duration)', params: idParams, query: deliveriesQuery,
    responses: { 200: { description: 'A page of deliveries', schema: z.object({ items: z.array(deliveryView), nextCursor: z.string().nullable() }) } },
    handler: ({ params, query }) => webhooks.deliveries(params.id, query),
  });
  api.route({
    method: 'POST', url: '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver', scope, tag, permission: 'webhooks.manage', status: 201,
    audit: { action: 'webhook.redeliver', object: 'webhook' },
    summary: 'Send a delivery again (same event id, new delivery id)',
    params: z.strictObject({ id: z.string().min(1).max(40), deliveryId: z.string().min(1).max(40) }),
    responses: { 201: { description: 'The new delivery', schema: deliveryView } },
    handler: ({ params }) => webhooks.redeliver(params.id, params.deliveryId),
  });
}

import { z } from 'zod';
import { httpUrl } from '../shared/url.ts';
import { EVENT_TYPES } from '../shared/events.ts';

const events = z
  .array(z.enum(EVENT_TYPES))
  .min(1, 'subscribe to at least one event')
  .max(EVENT_TYPES.length)
  .transform((list) => [...new Set(list)]);

export const createWebhookSchema = z.strictObject({
  url: httpUrl,
  events,
  description: z.string().trim().max(200).nullable().default(null),
});
export type CreateWebhookInput = z.output<typeof createWebhookSchema>;

export const updateWebhookSchema = z
  .strictObject({ url: httpUrl, events, description: z.string().trim().max(200).nullable(), enabled: z.boolean() })
  .partial();
export type UpdateWebhookInput = z.output<typeof updateWebhookSchema>;

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  /** Made by a key or person limited to these departments: it hears only their events. Null: every event. */
  departments: string[] | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptView {
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: AttemptView[];
}

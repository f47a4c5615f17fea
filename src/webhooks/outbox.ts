import type { Transaction } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, EventSink } from '../shared/events.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import type { NewDelivery, WebhookStore } from './store.ts';

/** The body every receiver gets: the event, whole. Its `id` is what receivers dedupe on. */
export const eventBody = (e: DomainEvent) => JSON.stringify({ id: e.id, type: e.type, createdAt: new Date(e.occurredAt).toISOString(), data: e.data });

/** Turns events into one pending delivery per interested subscription, in the change's transaction. */
export class WebhookOutbox implements EventSink {
  constructor(
    private readonly store: WebhookStore,
    private readonly clock: Clock,
  ) {}

  async record(trx: Transaction<Database>, build: () => DomainEvent[]): Promise<void> {
    const subscribers = await this.store.subscribers(trx);
    if (subscribers.length === 0) return;
    const wanted = subscribers.map((s) => ({ id: s.id, events: new Set<string>(JSON.parse(s.events)) }));
    const events = build().filter((e) => wanted.some((w) => w.events.has(e.type)));
    if (events.length === 0) return;
    const now = this.clock.now();
    const rows: NewDelivery[] = [];
    for (const e of events) {
      const payload = eventBody(e);
      for (const w of wanted) {
        if (!w.events.has(e.type)) continue;
        rows.push({
          id: `dlv_${newId(now)}`, webhook_id: w.id, event_id: e.id, event_type: e.type, payload, status: 'pending', attempts: 0,
          next_attempt_at: now, locked_until: null, last_status: null, last_error: null, created_at: now, delivered_at: null,
        });
      }
    }
    await this.store.insertDeliveries(rows, trx);
  }
}

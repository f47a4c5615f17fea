import type { Transaction } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, EventDepartment, EventSink } from '../shared/events.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../storage/schema.ts';
import type { NewDelivery, WebhookRepo } from './repo.ts';

/** The body every receiver gets: the event, whole. Its `id` is what receivers dedupe on. */
export const eventBody = (e: DomainEvent) => JSON.stringify({ id: e.id, type: e.type, createdAt: new Date(e.occurredAt).toISOString(), data: e.data });

/** The departments of codes, read in the change's transaction (the codes domain answers). */
export type CodeDepartments = (trx: Transaction<Database>, codeIds: readonly string[]) => Promise<ReadonlyMap<string, string | null>>;

/**
 * Turns events into one pending delivery per interested subscription, in the change's transaction.
 * A subscription made by a limited key hears only events of its departments.
 */
export class WebhookOutbox implements EventSink {
  constructor(
    private readonly repo: WebhookRepo,
    private readonly clock: Clock,
    private readonly codeDepartments: CodeDepartments,
  ) {}

  async record(trx: Transaction<Database>, build: () => DomainEvent[]): Promise<void> {
    const subscribers = await this.repo.subscribers(trx);
    if (subscribers.length === 0) return;
    const wanted = subscribers.map((s) => ({
      id: s.id, events: new Set(s.events), departments: s.departments === null ? null : new Set(s.departments),
    }));
    const events = build().filter((e) => wanted.some((w) => w.events.has(e.type)));
    if (events.length === 0) return;
    const departmentOf = await this.departments(trx, events, wanted.some((w) => w.departments !== null));
    const hears = (w: (typeof wanted)[number], e: DomainEvent) => {
      if (!w.events.has(e.type)) return false;
      if (w.departments === null) return true;
      const department = departmentOf(e);
      return department !== null && (typeof department === 'string' ? [department] : department).some((d) => w.departments!.has(d));
    };
    const now = this.clock.now();
    const rows: NewDelivery[] = [];
    for (const e of events) {
      const payload = eventBody(e);
      for (const w of wanted) {
        if (!hears(w, e)) continue;
        rows.push({
          id: `dlv_${newId(now)}`, webhook_id: w.id, event_id: e.id, event_type: e.type, payload, status: 'pending', attempts: 0,
          next_attempt_at: now, locked_until: null, last_status: null, last_error: null, created_at: now, delivered_at: null,
        });
      }
    }
    if (rows.length > 0) await this.repo.insertDeliveries(rows, trx);
  }

  /** Each event's department; looked up only when some subscription is limited to departments. */
  private async departments(trx: Transaction<Database>, events: readonly DomainEvent[], needed: boolean): Promise<(e: DomainEvent) => EventDepartment> {
    const codeIdOf = (e: DomainEvent) => (e.data as { codeId?: string }).codeId;
    const unknown = needed ? [...new Set(events.filter((e) => e.department === undefined).map(codeIdOf).filter((id) => id !== undefined))] : [];
    const codes = unknown.length > 0 ? await this.codeDepartments(trx, unknown) : new Map<string, string | null>();
    return (e) => (e.department !== undefined ? e.department : (codes.get(codeIdOf(e) ?? '') ?? null));
  }
}

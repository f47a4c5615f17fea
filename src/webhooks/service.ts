import type { Clock } from '../shared/clock.ts';
import { invalid, notFound } from '../shared/errors.ts';
import { newId, randomToken } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { DeliveryRow } from '../storage/schema.ts';
import { hostOf } from '../shared/hosts.ts';
import { refusedHost, type Resolve } from './address-policy.ts';
import type { CreateWebhookInput, DeliveryView, UpdateWebhookInput, WebhookView } from './model.ts';
import type { WebhookRecord, WebhookRepo } from './repo.ts';
import { isoTime, isoTimeOrNull } from '../shared/time.ts';
import { covers, type Actor } from '../shared/actor.ts';

function view(row: WebhookRecord): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    failingSince: isoTimeOrNull(row.failing_since),
    departments: row.departments,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

export class WebhookService {
  constructor(
    private readonly repo: WebhookRepo,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly allowHosts: ReadonlySet<string>,
    private readonly resolve: Resolve,
  ) {}

  /** The signing secret is in this answer only; afterwards it is kept encrypted and never shown. */
  /** A subscription hears what its creator may see: a limited creator's departments go with it. */
  async create(input: CreateWebhookInput, by: Pick<Actor, 'departments'>): Promise<WebhookView & { secret: string }> {
    await this.checkTarget(input.url);
    const now = this.clock.now();
    const secret = `whsec_${randomToken(24)}`;
    const row: WebhookRecord = {
      id: `wh_${newId(now)}`, url: input.url, events: input.events, description: input.description,
      secret_sealed: this.secrets.seal(secret), enabled: 1, disabled_reason: null, failing_since: null, created_at: now, updated_at: now,
      departments: by.departments === null ? null : [...by.departments],
    };
    await this.repo.insert(row);
    return { ...view(row), secret };
  }

  /** A limited caller sees only subscriptions within its own departments. */
  async list(by: Pick<Actor, 'departments'>): Promise<WebhookView[]> {
    return (await this.repo.list()).map(view).filter((w) => covers(by, w.departments));
  }

  /** The departments a subscription is limited to (null: every one), or undefined when there is none. */
  async departmentsOf(id: string): Promise<string[] | null | undefined> {
    const row = await this.repo.byId(id);
    return row ? view(row).departments : undefined;
  }

  async get(id: string): Promise<WebhookView> {
    return view(await this.load(id));
  }

  async update(id: string, patch: UpdateWebhookInput): Promise<WebhookView> {
    await this.load(id);
    if (patch.url !== undefined) await this.checkTarget(patch.url);
    const changes: Partial<WebhookRecord> = { updated_at: this.clock.now() };
    if (patch.url !== undefined) changes.url = patch.url;
    if (patch.events !== undefined) changes.events = patch.events;
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.enabled !== undefined) {
      changes.enabled = patch.enabled ? 1 : 0;
      // Switched back on by a person: its failure streak starts afresh.
      if (patch.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null });
    }
    await this.repo.update(id, changes);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repo.delete(id))) throw notFound('webhook');
  }

  async deliveries(id: string, opts: { limit: number; cursor?: string | undefined; status?: string | undefined }) {
    await this.load(id);
    const rows = await this.repo.deliveries(id, opts);
    const last = rows.length === opts.limit ? rows[rows.length - 1] : undefined;
    return {
      items: rows.map(({ row, attempts }) =>
        deliveryView(row, attempts.map((a) => ({ attempt: a.attempt, at: isoTime(a.at), status: a.status, error: a.error, durationMs: a.duration_ms }))),
      ),
      nextCursor: last ? last.row.id : null,
    };
  }

  /** Sends an event again as a new delivery with the same event id, so receivers can still dedupe. */
  async redeliver(id: string, deliveryId: string): Promise<DeliveryView> {
    await this.load(id);
    const original = await this.repo.delivery(id, deliveryId);
    if (!original) throw notFound('delivery');
    const now = this.clock.now();
    const row: DeliveryRow = {
      ...original, id: `dlv_${newId(now)}`, status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null,
      last_status: null, last_error: null, created_at: now, delivered_at: null,
    };
    await this.repo.insertDeliveries([row]);
    return deliveryView(row, []);
  }

  pendingCount(): Promise<number> {
    return this.repo.pendingCount();
  }

  private async load(id: string): Promise<WebhookRecord> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('webhook');
    return row;
  }

  private async checkTarget(url: string): Promise<void> {
    const refused = await refusedHost(hostOf(url), this.allowHosts, this.resolve);
    if (refused) throw invalid('url', refused);
  }
}

function deliveryView(row: DeliveryRow, log: DeliveryView['log']): DeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    event: row.event_type,
    status: row.status as DeliveryView['status'],
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? isoTimeOrNull(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: isoTime(row.created_at),
    deliveredAt: isoTimeOrNull(row.delivered_at),
    log,
  };
}

import type { Clock } from '../shared/clock.ts';
import { Poller } from '../shared/poller.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { afterFailure, shouldDisable } from './retry.ts';
import type { Send } from './sender.ts';
import { signatureHeader } from './signature.ts';
import type { ClaimedDelivery, WebhookRepo } from './repo.ts';

const BATCH = 20;
/** Longer than a delivery can take (10 s timeout), so a lease only lapses when its holder died. */
const LEASE_MS = 60_000;

/**
 * Every instance delivers: each claims its own batch of due deliveries (the repo's lease), posts
 * them signed, and records the outcome, the retry time or the giving up.
 */
export class WebhookDispatcher {
  private readonly poller = new Poller(() => this.drain());

  constructor(
    private readonly repo: WebhookRepo,
    private readonly secrets: SecretBox,
    private readonly send: Send,
    private readonly clock: Clock,
    private readonly delivered: (result: 'delivered' | 'retry' | 'failed') => void = () => {},
    private readonly random: () => number = Math.random,
  ) {}

  start(pollMs: number, onError: (error: unknown) => void): void {
    this.poller.start(pollMs, onError);
  }

  /** Waits for deliveries under way, so shutdown records their outcome. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Delivers everything due now, batch after batch; how many attempts were made. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.repo.claimDue(now, now + LEASE_MS, BATCH);
      await Promise.all(batch.map((d) => this.deliver(d)));
      total += batch.length;
      if (batch.length < BATCH) return total;
    }
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const now = this.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Huoma-Webhooks/1',
      'x-huoma-event': d.event_type,
      'x-huoma-delivery': d.id,
      'x-huoma-signature': signatureHeader(this.secrets.open(d.secret_sealed), Math.floor(now / 1000), d.payload),
    };
    const result = await this.send(d.url, headers, d.payload);
    const attempts = d.attempts + 1;
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const attempt = { delivery_id: d.id, attempt: attempts, at: now, status: result.status, error: result.error, duration_ms: result.durationMs };
    const last = { attempts, last_status: result.status, last_error: ok ? null : (result.error ?? `HTTP ${result.status}`) };
    if (ok) {
      await this.repo.recordAttempt(d, { ...last, status: 'delivered', next_attempt_at: d.next_attempt_at, delivered_at: now }, attempt, { ok: true });
      this.delivered('delivered');
      return;
    }
    const next = afterFailure(attempts, d.created_at, now, this.random());
    const disableReason = shouldDisable(d.failing_since, now) ? `every delivery has failed since ${new Date(d.failing_since!).toISOString()}` : null;
    const state = 'giveUp' in next ? { status: 'failed', next_attempt_at: d.next_attempt_at } : { status: 'pending', next_attempt_at: next.retryAt };
    await this.repo.recordAttempt(d, { ...last, ...state, delivered_at: null }, attempt, { ok: false, now, disableReason });
    this.delivered('giveUp' in next ? 'failed' : 'retry');
  }
}

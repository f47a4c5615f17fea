import { detached } from '../storage/ambient-transaction.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { CallbackFields, InboxEvent, WeComInboxRepo } from './inbox-repo.ts';

export type { InboxEvent } from './inbox-repo.ts';

/**
 * WeCom retries a callback it thinks failed: an event is known by its change type, member,
 * customer and time, and stored once however often it comes.
 */
export const dedupeKey = (f: CallbackFields) =>
  [f.Event ?? f.MsgType ?? '', f.ChangeType ?? '', f.UserID ?? f.FromUserName ?? '', f.ExternalUserID ?? '', f.CreateTime ?? ''].join('|');

/** An event that failed this often is left alone (kept with its error) rather than retried forever. */
export const MAX_ATTEMPTS = 8;

/** Callbacks as received, answered at once and worked through afterwards. */
export class WeComInbox {
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly repo: WeComInboxRepo,
    private readonly clock: Clock,
  ) {}

  /** Told of every new event, so the worker starts at once (a welcome message has 20 s). */
  onReceive(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Events due for work, each claimed for `leaseMs` by one conditional update, so two instances
   * never work on the same event; a holder that died loses it when the lease ends.
   */
  claim(limit: number, leaseMs: number): Promise<InboxEvent[]> {
    const now = this.clock.now();
    return this.repo.claim(now, now + leaseMs, limit, MAX_ATTEMPTS);
  }

  async done(id: string): Promise<void> {
    await this.repo.done(id, this.clock.now());
  }

  /** Tried again after `retryMs` (the lease is shortened to it), the error kept for whoever looks. */
  async failed(id: string, error: string, retryMs: number): Promise<void> {
    await this.repo.failed(id, error.slice(0, 1000), this.clock.now() + retryMs);
  }

  /** Stores the event; false when it was stored before (a retry), which changes nothing. */
  async receive(fields: CallbackFields): Promise<boolean> {
    const now = this.clock.now();
    const fresh = await this.repo.insert({
      id: newId(now), dedupe_key: dedupeKey(fields), event: fields.Event ?? fields.MsgType ?? 'unknown', change_type: fields.ChangeType ?? null,
      fields, received_at: now, processed_at: null, attempts: 0,
    });
    // The worker reads the event once it is committed, not from inside the transaction that receives it.
    if (fresh) for (const listener of this.listeners) detached(listener);
    return fresh;
  }
}

import type { FastifyBaseLogger } from 'fastify';
import { localTime } from '../shared/local-time.ts';
import type { CodeConfig } from '../codes/model.ts';
import type { CustomerService } from '../customers/service.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import type { Roster } from '../routing/roster.ts';
import type { Clock } from '../shared/clock.ts';
import { Poller } from '../shared/poller.ts';
import { WeComError, type WeComClient } from './client.ts';
import type { WeComConnection } from './connection.ts';
import { slugOfState } from './contact-way-registry.ts';
import type { CorpTags } from './corp-tags.ts';
import { dedupeKey, type InboxEvent, type WeComInbox } from './inbox.ts';
import { chooseWelcome, welcomeBody } from './welcome.ts';

/** WeCom takes a welcome message only this long after the add. */
const WELCOME_WINDOW_MS = 20_000;
const WELCOME_TRY_AGAIN = 41096;
const ALREADY_GREETED = 41051;
const BATCH = 20;
const LEASE_MS = 60_000;

export interface EventWorkerDeps {
  inbox: WeComInbox;
  customers: CustomerService;
  wecom: WeComConnection;
  tags: CorpTags;
  rosters: CachedValue<Roster>;
  codeBySlug: (slug: string) => Promise<CodeConfig | null>;
  channel: (id: string) => Promise<{ name: string; lineage: string[] } | null>;
  lastScanFor: (codeId: string, staffId: string, before: number) => Promise<string | null>;
  /** A region code's add: the area tag of the store the member was matched at ("徐汇店属地"), if any. */
  areaTag: (code: CodeConfig, staffId: string, before: number) => Promise<string | null>;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** Wait before sending a welcome again after 41096 (tests shorten it). */
  welcomeRetryMs?: number;
}

/** Waits before an event that failed is tried again, growing with each attempt. */
const retryAfter = (attempts: number) => Math.min(60_000 * 2 ** (attempts - 1), 3_600_000);

/**
 * Works through the callback inbox on every instance (each event claimed by one): an add creates
 * or updates the customer with the code and channel it came through, greets them at once with
 * the code's welcome message for their channel and time, and tags them in WeCom. Each step is
 * safe to repeat, so an event tried again after a crash changes nothing twice.
 */
export class WeComEventWorker {
  private readonly poller = new Poller(() => this.drain());
  private kicked: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EventWorkerDeps) {
    deps.inbox.onReceive(() => this.kick());
  }

  start(pollMs: number, onError: (error: unknown) => void): void {
    this.poller.start(pollMs, onError);
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    await this.kicked;
  }

  /** Works now rather than at the next poll: a welcome message has 20 s. */
  kick(): void {
    this.kicked = this.kicked.then(() => this.drain()).catch((err: unknown) => this.deps.logger.error({ err }, 'WeCom events could not be claimed'));
  }

  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const events = await this.deps.inbox.claim(BATCH, LEASE_MS);
      if (events.length === 0) return total;
      for (const event of events) await this.handle(event);
      total += events.length;
    }
  }

  private async handle(event: InboxEvent): Promise<void> {
    try {
      const f = event.fields;
      if (f.Event === 'change_external_contact' && f.ChangeType === 'add_external_contact') await this.added(event);
      else if (f.Event === 'change_external_contact' && (f.ChangeType === 'del_external_contact' || f.ChangeType === 'del_follow_user')) {
        const member = await this.memberByUserId(f.UserID);
        await this.deps.customers.recordLost(dedupeKey(f), f.ExternalUserID ?? '', member?.id ?? null, this.at(event));
      }
      await this.deps.inbox.done(event.id);
    } catch (error) {
      this.deps.logger.warn({ err: error, event: event.id }, 'WeCom event failed; it will be tried again');
      await this.deps.inbox.failed(event.id, error instanceof Error ? error.message : String(error), retryAfter(event.attempts));
    }
  }

  private async added(event: InboxEvent): Promise<void> {
    const f = event.fields;
    const { customers, wecom } = this.deps;
    const member = await this.memberByUserId(f.UserID);
    const slug = slugOfState(f.State);
    const code = slug === null ? null : await this.deps.codeBySlug(slug);
    const at = this.at(event);
    const client = await wecom.client();
    const details = client && f.ExternalUserID ? await this.contactDetails(client, f.ExternalUserID) : null;
    const recorded = await customers.recordAdd({
      eventKey: dedupeKey(f),
      externalUserId: f.ExternalUserID ?? '',
      name: details?.name ?? null,
      avatar: details?.avatar ?? null,
      staffId: member?.id ?? null,
      codeId: code?.id ?? null,
      channelId: code?.channelId ?? null,
      // CreateTime is in whole seconds: a scan later in that same second still came before the add.
      scanId: code && member ? await this.deps.lastScanFor(code.id, member.id, at + 999) : null,
      at,
    });
    if (!code) return;
    const channel = code.channelId === null ? null : await this.deps.channel(code.channelId);
    if (client && f.WelcomeCode && recorded.welcomeStatus === null) await this.welcome(client, event, code, channel?.lineage ?? [], recorded.touchId);
    const area = 'region' in code && member ? await this.deps.areaTag(code, member.id, at + 999) : null;
    const tags = [...code.tags, ...(channel ? [channel.name] : []), ...(area ? [area] : [])];
    await customers.addTags(recorded.customerId, tags);
    if (client && tags.length > 0 && f.UserID && f.ExternalUserID) {
      const ids = await this.deps.tags.idsFor(client, tags);
      await client.call('/cgi-bin/externalcontact/mark_tag', { userid: f.UserID, external_userid: f.ExternalUserID, add_tag: ids });
    }
  }

  /** Sends the code's welcome for this channel and time, once; the variant and the outcome are kept for comparison. */
  private async welcome(client: WeComClient, event: InboxEvent, code: CodeConfig, lineage: string[], touchId: string): Promise<void> {
    const { customers, clock } = this.deps;
    const variants = ('staff' in code ? code.staff : 'region' in code ? code.region : null)?.welcomeMessages ?? [];
    const index = chooseWelcome(variants, lineage, localTime(this.at(event), code.timeZone));
    if (index === null) return customers.setWelcome(touchId, null, 'none');
    for (;;) {
      if (clock.now() - event.receivedAt > WELCOME_WINDOW_MS) return customers.setWelcome(touchId, index, 'expired');
      try {
        await client.call('/cgi-bin/externalcontact/send_welcome_msg', welcomeBody(event.fields.WelcomeCode!, variants[index]!));
        return customers.setWelcome(touchId, index, 'sent');
      } catch (error) {
        if (!(error instanceof WeComError)) throw error;
        // Already greeted, or already chatting: nothing more to send, and nothing wrong.
        if (error.code === ALREADY_GREETED) return customers.setWelcome(touchId, index, 'already_greeted');
        if (error.code !== WELCOME_TRY_AGAIN) return customers.setWelcome(touchId, index, `failed:${error.code}`);
        await new Promise((r) => setTimeout(r, this.deps.welcomeRetryMs ?? 1_000));
      }
    }
  }

  private async contactDetails(client: WeComClient, externalUserId: string): Promise<{ name: string; avatar: string | null } | null> {
    try {
      type Contact = { external_contact: { name: string; avatar?: string } };
      const answer = await client.call<Contact>('/cgi-bin/externalcontact/get', undefined, { external_userid: externalUserId });
      return { name: answer.external_contact.name, avatar: answer.external_contact.avatar ?? null };
    } catch (error) {
      // Details are a nicety: the customer is recorded without them rather than not at all.
      this.deps.logger.warn({ err: error }, 'could not read the external contact');
      return null;
    }
  }

  private async memberByUserId(userId: string | undefined) {
    if (!userId) return null;
    const roster = await current(this.deps.rosters);
    return [...roster.members.values()].find((m) => m.wecomUserId === userId) ?? null;
  }

  private at(event: InboxEvent): number {
    const seconds = Number(event.fields.CreateTime);
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : event.receivedAt;
  }
}

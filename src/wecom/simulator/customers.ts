import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';

export interface SimulatedCustomer {
  external_userid: string;
  name: string;
  avatar: string;
  /** Who holds them: member userid → when, through which state, with which tags. */
  follows: Map<string, { createtime: number; state: string; tags: Set<string> }>;
}

export interface SentWelcome {
  welcomeCode: string;
  userId: string;
  externalUserId: string;
  text: string;
  attachments: unknown[];
}

const NOT_EXTERNAL = { errcode: 84061, errmsg: 'not external contact' };
const TAG_NOT_FOUND = { errcode: 40068, errmsg: 'invalid tagid' };

/** WeCom's welcome code works once, within 20 seconds of the add. */
const WELCOME_WINDOW_MS = 20_000;

/** The customer-contact (客户联系) part of the simulated WeCom: external contacts, corp tags, welcome messages, hand-over. */
export class SimulatedCustomerContact {
  readonly customers = new Map<string, SimulatedCustomer>();
  /** Corp tags by group name: tag name → tag id. */
  readonly tagGroups = new Map<string, { groupId: string; tags: Map<string, string> }>();
  readonly welcomes: SentWelcome[] = [];
  readonly transfers: { handover: string; takeover: string; externalUserIds: string[] }[] = [];
  private readonly welcomeCodes = new Map<string, { userId: string; externalUserId: string; until: number; used: boolean }>();
  private readonly welcomeFailures: number[] = [];

  constructor(private readonly clock: Clock) {}

  issueWelcomeCode(userId: string, externalUserId: string): string {
    const welcomeCode = randomBytes(16).toString('hex');
    this.welcomeCodes.set(welcomeCode, { userId, externalUserId, until: this.clock.now() + WELCOME_WINDOW_MS, used: false });
    return welcomeCode;
  }

  failWelcomes(codes: number[]): void {
    this.welcomeFailures.push(...codes);
  }

  /** Answers a customer-contact API path, or null when the path is not one of these. */
  answer(url: URL, body: Record<string, any>): Record<string, unknown> | null {
    const view = (c: SimulatedCustomer) => ({ external_userid: c.external_userid, name: c.name, avatar: c.avatar, type: 1 });
    const follow = (c: SimulatedCustomer, userid: string) => {
      const f = c.follows.get(userid)!;
      return { userid, createtime: f.createtime, state: f.state, tag_id: [...f.tags] };
    };
    switch (url.pathname) {
      case '/cgi-bin/externalcontact/get': {
        const c = this.customers.get(url.searchParams.get('external_userid') ?? '');
        if (!c) return NOT_EXTERNAL;
        return { external_contact: view(c), follow_user: [...c.follows.keys()].map((u) => follow(c, u)) };
      }
      case '/cgi-bin/externalcontact/get_corp_tag_list':
        return {
          tag_group: [...this.tagGroups].map(([name, g]) => ({
            group_id: g.groupId,
            group_name: name,
            tag: [...g.tags].map(([tag, id]) => ({ id, name: tag })),
          })),
        };
      case '/cgi-bin/externalcontact/add_corp_tag': {
        const name: string = body.group_name ?? '';
        const group = this.tagGroups.get(name) ?? { groupId: `et${randomBytes(8).toString('hex')}`, tags: new Map<string, string>() };
        this.tagGroups.set(name, group);
        const added = [];
        for (const t of body.tag ?? []) {
          if (group.tags.has(t.name)) return { errcode: 40071, errmsg: 'UserTag Name Already Exist' };
          const id = `et${randomBytes(8).toString('hex')}`;
          group.tags.set(t.name, id);
          added.push({ id, name: t.name });
        }
        return { tag_group: { group_id: group.groupId, group_name: name, tag: added } };
      }
      case '/cgi-bin/externalcontact/mark_tag': {
        const c = this.customers.get(body.external_userid);
        const f = c?.follows.get(body.userid);
        if (!c || !f) return NOT_EXTERNAL;
        const known = new Set([...this.tagGroups.values()].flatMap((g) => [...g.tags.values()]));
        for (const id of [...(body.add_tag ?? []), ...(body.remove_tag ?? [])]) if (!known.has(id)) return TAG_NOT_FOUND;
        for (const id of body.add_tag ?? []) f.tags.add(id);
        for (const id of body.remove_tag ?? []) f.tags.delete(id);
        return {};
      }
      case '/cgi-bin/externalcontact/send_welcome_msg': {
        const failure = this.welcomeFailures.shift();
        if (failure !== undefined) return { errcode: failure, errmsg: 'simulated failure' };
        const code = this.welcomeCodes.get(body.welcome_code);
        if (!code || code.used || this.clock.now() > code.until) return { errcode: 41051, errmsg: 'customer already started chatting or welcome code expired' };
        code.used = true;
        this.welcomes.push({
          welcomeCode: body.welcome_code, userId: code.userId, externalUserId: code.externalUserId,
          text: body.text?.content ?? '', attachments: body.attachments ?? [],
        });
        return {};
      }
      case '/cgi-bin/externalcontact/batch/get_by_user': {
        const users: string[] = body.userid_list ?? [];
        const all = [...this.customers.values()].flatMap((c) =>
          users.filter((u) => c.follows.has(u)).map((u) => ({ external_contact: view(c), follow_info: follow(c, u) })),
        );
        const start = Number(body.cursor || 0);
        const limit = Math.min(Number(body.limit || 50), 100);
        const page = all.slice(start, start + limit);
        return { external_contact_list: page, next_cursor: start + limit < all.length ? String(start + limit) : '' };
      }
      case '/cgi-bin/externalcontact/transfer_customer': {
        const ids: string[] = body.external_userid ?? [];
        this.transfers.push({ handover: body.handover_userid, takeover: body.takeover_userid, externalUserIds: ids });
        return {
          customer: ids.map((id) => {
            const c = this.customers.get(id);
            const f = c?.follows.get(body.handover_userid);
            if (!c || !f) return { external_userid: id, errcode: 84061 };
            c.follows.delete(body.handover_userid);
            c.follows.set(body.takeover_userid, { ...f, createtime: Math.floor(this.clock.now() / 1000) });
            return { external_userid: id, errcode: 0 };
          }),
        };
      }
      default:
        return null;
    }
}
}

import type { CustomerService } from '../customers/service.ts';
import type { ClusterTask } from '../ops/cluster-tasks.ts';
import { current, type CachedValue } from '../shared/cached-value.ts';
import type { Roster } from '../routing/roster.ts';
import type { WeComConnection } from './connection.ts';
import { slugOfState } from './contact-way-registry.ts';
import type { WeComInbox } from './inbox.ts';

const USERS_PER_CALL = 100;

type Page = {
  external_contact_list: { external_contact: { external_userid: string }; follow_info: { userid: string; createtime: number; state?: string } }[];
  next_cursor?: string;
};

/**
 * WeCom sometimes loses a callback: every member's customers are listed (`batch/get_by_user`) and
 * each add through one of our codes that we never heard of goes into the inbox as the event WeCom
 * would have sent — with the same dedupe key, so a late original is still taken only once.
 * Returns how many were found.
 */
export async function reconcileAdds(wecom: WeComConnection, rosters: CachedValue<Roster>, customers: CustomerService, inbox: WeComInbox): Promise<number> {
  const client = await wecom.client();
  if (!client) return 0;
  const roster = await current(rosters);
  const staffByUserId = new Map([...roster.members.values()].filter((m) => m.wecomUserId !== null && m.status !== 'left').map((m) => [m.wecomUserId!, m.id]));
  const userIds = [...staffByUserId.keys()];
  let found = 0;
  for (let i = 0; i < userIds.length; i += USERS_PER_CALL) {
    let cursor = '';
    do {
      const page = await client.call<Page>('/cgi-bin/externalcontact/batch/get_by_user', {
        userid_list: userIds.slice(i, i + USERS_PER_CALL),
        cursor,
        limit: 100,
      });
      for (const { external_contact: contact, follow_info: follow } of page.external_contact_list) {
        if (slugOfState(follow.state) === null) continue;
        if (await customers.knows(contact.external_userid, staffByUserId.get(follow.userid) ?? '')) continue;
        const fresh = await inbox.receive({
          Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: follow.userid, ExternalUserID: contact.external_userid,
          State: follow.state ?? '', CreateTime: String(follow.createtime), Source: 'reconciliation',
        });
        if (fresh) found++;
      }
      cursor = page.next_cursor ?? '';
    } while (cursor !== '');
  }
  return found;
}

// WeCom sometimes loses a callback: its customer lists are compared with ours every half hour.
export const reconcileTask = (wecom: WeComConnection, rosters: CachedValue<Roster>, customers: CustomerService, inbox: WeComInbox): ClusterTask => ({
  name: 'wecom.reconcile', everyMs: 30 * 60_000, leaseMs: 10 * 60_000, run: async () => void (await reconcileAdds(wecom, rosters, customers, inbox)),
});

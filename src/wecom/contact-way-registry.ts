import type { Clock } from '../shared/clock.ts';
import type { WeComConnection } from './connection.ts';
import type { ContactWayRepo } from './contact-way-repo.ts';
import { ContactWays, MAX_STATE } from './contact-ways.ts';

const STATE_PREFIX = 'hm:';

/** The `state` a code's contact ways carry: WeCom hands it back in the add event. */
const stateOf = (slug: string) => `${STATE_PREFIX}${slug}`.slice(0, MAX_STATE);
/** The slug of the code an add came through, or null when the add did not come from one of ours. */
export const slugOfState = (state: string | undefined) => (state?.startsWith(STATE_PREFIX) ? state.slice(STATE_PREFIX.length) : null);

interface CodeRef {
  id: string;
  slug: string;
  name: string;
}

/**
 * One single-person contact way per (code, member): made when first needed (or when the member is
 * put on the code, to learn at once whether they can hold customers), kept with its `config_id`,
 * deleted when the member leaves the code or the code goes.
 */
export class ContactWayRegistry {
  private readonly qrs = new Map<string, string>();
  private readonly making = new Map<string, Promise<string | null>>();

  constructor(
    private readonly repo: ContactWayRepo,
    private readonly wecom: WeComConnection,
    private readonly clock: Clock,
  ) {}

  /** The contact QR of this member on this code; null when WeCom is not set up. Errors are WeCom's. */
  async qrFor(code: CodeRef, staffId: string, wecomUserId: string): Promise<string | null> {
    const key = `${code.slug}:${staffId}:${wecomUserId}`;
    const known = this.qrs.get(key);
    if (known !== undefined) return known;
    let pending = this.making.get(key);
    if (!pending) {
      pending = this.make(code, staffId, wecomUserId).finally(() => this.making.delete(key));
      this.making.set(key, pending);
    }
    return pending;
  }

  /** Forget what is cached for a code (it changed: some ways may be gone). */
  forget(slug: string): void {
    for (const key of this.qrs.keys()) if (key.startsWith(`${slug}:`)) this.qrs.delete(key);
  }

  /** Deletes the code's contact ways of members not in `keep` (all of them when `keep` is null). */
  async prune(codeId: string, keep: ReadonlySet<string> | null): Promise<void> {
    const rows = await this.repo.ofCode(codeId);
    const gone = rows.filter((r) => keep === null || !keep.has(r.staff_id));
    if (gone.length === 0) return;
    const client = await this.wecom.client();
    for (const row of gone) {
      // A way WeCom no longer knows (40058: invalid config_id) is as good as deleted.
      if (client) await new ContactWays(client).remove(row.config_id).catch((err: { code?: number }) => {
        if (err.code !== 40058) throw err;
      });
      await this.repo.delete(codeId, row.staff_id);
    }
  }

  private async make(code: CodeRef, staffId: string, wecomUserId: string): Promise<string | null> {
    const client = await this.wecom.client();
    if (!client) return null;
    const ways = new ContactWays(client);
    const stored = await this.repo.of(code.id, staffId);
    if (stored?.user_id === wecomUserId) return this.remember(code.slug, staffId, wecomUserId, stored.qr_code);
    if (stored) {
      // The member's WeCom account changed: their old way would add the old account.
      await ways.remove(stored.config_id).catch(() => {});
      await this.repo.delete(code.id, staffId, stored.config_id);
    }
    const state = stateOf(code.slug);
    const way = await ways.add(wecomUserId, state, code.name.slice(0, 30));
    const row = { code_id: code.id, staff_id: staffId, user_id: wecomUserId, config_id: way.configId, qr_code: way.qrCode, state };
    if (await this.repo.insert({ ...row, created_at: this.clock.now() })) return this.remember(code.slug, staffId, wecomUserId, way.qrCode);
    // Another instance made one at the same moment: keep theirs, drop ours.
    await ways.remove(way.configId).catch(() => {});
    const theirs = await this.repo.of(code.id, staffId);
    if (!theirs) throw new Error(`the contact way of ${staffId} on ${code.slug} was deleted while it was being made`);
    return this.remember(code.slug, staffId, wecomUserId, theirs.qr_code);
  }

  private remember(slug: string, staffId: string, wecomUserId: string, qr: string): string {
    this.qrs.set(`${slug}:${staffId}:${wecomUserId}`, qr);
    return qr;
  }
}

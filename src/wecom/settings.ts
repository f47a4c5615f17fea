import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid } from '../shared/errors.ts';
import { hostOf } from '../shared/hosts.ts';
import { httpUrl } from '../shared/url.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { CallbackCrypto } from './callback-crypto.ts';
import type { WeComSettingsRepo } from './settings-repo.ts';

export const WECOM_API = 'https://qyapi.weixin.qq.com';

export const wecomSettingsSchema = z.strictObject({
  corpId: z.string().trim().min(1).max(64),
  secret: z.string().trim().min(1).max(128),
  token: z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'must be 3–32 letters or digits, as set in WeCom'),
  encodingAESKey: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43 letters and digits WeCom shows'),
  apiBase: httpUrl.default(WECOM_API),
});
export type WeComSettings = z.output<typeof wecomSettingsSchema>;

/**
 * Why the app secret may not be sent to this API base, or null when it may: WeCom's own (https
 * only), or a host an admin listed in HUOMA_WECOM_ALLOW_HOSTS (a simulator, an egress proxy).
 */
export function apiBaseRefusal(apiBase: string, allowHosts: ReadonlySet<string>): string | null {
  if (new URL(apiBase).origin === WECOM_API || allowHosts.has(hostOf(apiBase))) return null;
  return `the app secret is sent only to ${WECOM_API} or to a host listed in HUOMA_WECOM_ALLOW_HOSTS, not to ${hostOf(apiBase)}`;
}

/** What the API shows: never the secret, the callback token or the AES key. */
export interface WeComSettingsView {
  corpId: string;
  apiBase: string;
  secretSet: boolean;
  callbackSet: boolean;
  updatedAt: string;
}

/** The workspace's WeCom connection, its secrets sealed at rest. */
export class WeComSettingsService {
  private cached: { at: number; settings: WeComSettings | null } | null = null;

  constructor(
    private readonly repo: WeComSettingsRepo,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly allowHosts: ReadonlySet<string>,
  ) {}

  async save(input: WeComSettings): Promise<WeComSettingsView> {
    const refused = apiBaseRefusal(input.apiBase, this.allowHosts);
    if (refused) throw invalid('apiBase', refused);
    const now = this.clock.now();
    await this.repo.save(this.box.seal(JSON.stringify(input)), now);
    this.cached = null;
    return this.view(input, now);
  }

  async show(): Promise<WeComSettingsView | null> {
    const row = await this.repo.sealed();
    return row ? this.view(this.unseal(row.sealed), row.updatedAt) : null;
  }

  /** Read often (every callback): kept for a few seconds, so an instance picks up a change soon. */
  async current(): Promise<WeComSettings | null> {
    const now = this.clock.now();
    if (this.cached && now - this.cached.at < 5_000) return this.cached.settings;
    const row = await this.repo.sealed();
    this.cached = { at: now, settings: row ? this.unseal(row.sealed) : null };
    return this.cached.settings;
  }

  /**
   * The settings to call WeCom with (the app secret goes out with them). The API base is checked
   * again: settings saved before the allow-list changed (or before it existed) are not used.
   */
  async forCalls(): Promise<WeComSettings | null> {
    const s = await this.current();
    const refused = s && apiBaseRefusal(s.apiBase, this.allowHosts);
    if (refused) throw new AppError('unavailable', `WeCom is not called: ${refused}; save the settings again with an allowed apiBase`);
    return s;
  }

  async callbackCrypto(): Promise<CallbackCrypto | null> {
    const s = await this.current();
    return s ? new CallbackCrypto(s.token, s.encodingAESKey, s.corpId) : null;
  }

  private unseal(sealed: string): WeComSettings {
    try {
      return wecomSettingsSchema.parse(JSON.parse(this.box.open(sealed)));
    } catch {
      // Sealed under another HUOMA_SECRET (a new data directory, a changed variable): say so rather than fail obscurely.
      throw new AppError(
        'unavailable',
        'the saved WeCom settings cannot be opened with this HUOMA_SECRET: start with the secret they were saved under, or save them again',
      );
    }
  }

  private view(s: WeComSettings, at: number): WeComSettingsView {
    return { corpId: s.corpId, apiBase: s.apiBase, secretSet: s.secret.length > 0, callbackSet: s.token.length > 0, updatedAt: new Date(at).toISOString() };
  }
}

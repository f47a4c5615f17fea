import type { Clock } from '../shared/clock.ts';
import { WeComClient } from './client.ts';
import type { WeComSettingsService } from './settings.ts';

/** The WeCom client for the workspace's current settings; null while WeCom is not set up. */
export class WeComConnection {
  private current: { key: string; client: WeComClient } | null = null;

  constructor(
    private readonly settings: WeComSettingsService,
    private readonly clock: Clock,
    private readonly backoffMs?: number[],
  ) {}

  async client(): Promise<WeComClient | null> {
    const s = await this.settings.forCalls();
    if (!s) return null;
    // A new secret or API host means a new token: start a fresh client.
    const key = `${s.corpId}\n${s.secret}\n${s.apiBase}`;
    if (this.current?.key !== key) {
      const backoff = this.backoffMs ? { backoffMs: this.backoffMs } : {};
      this.current = { key, client: new WeComClient({ baseUrl: s.apiBase, corpId: s.corpId, secret: s.secret, clock: this.clock, ...backoff }) };
    }
    return this.current.client;
  }
}

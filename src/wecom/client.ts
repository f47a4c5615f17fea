import type { Clock } from '../shared/clock.ts';

/** An error WeCom answered with: its `errcode` and `errmsg`, and whether trying again may help. */
export class WeComError extends Error {
  constructor(
    readonly code: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeCom ${path} failed: ${code} ${errmsg}`);
  }

  /** The member cannot hold external contacts (no licence, not activated, not verified). */
  get memberCannotAddCustomers(): boolean {
    return CANNOT_HOLD_CONTACTS.has(this.code);
  }
}

const TOKEN_INVALID = new Set([40014, 42001]);
const RATE_LIMITED = 45009;
const CANNOT_HOLD_CONTACTS = new Set([84074, 41054, 40098]);
/** A token is renewed this long before WeCom says it expires, so no call goes out with a dying one. */
const TOKEN_MARGIN_MS = 5 * 60_000;

export interface WeComClientOptions {
  baseUrl: string;
  corpId: string;
  secret: string;
  clock: Clock;
  /** Waits between retries after 45009 (rate limited); tests pass a short one. */
  backoffMs?: number[];
  fetch?: typeof fetch;
}

interface Answer {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

/**
 * A thin client of WeCom's server API: the access token fetched once and kept until shortly
 * before it expires, renewed once when WeCom calls it invalid or expired (40014/42001), calls
 * retried with back-off when rate limited (45009), every other errcode a typed `WeComError`.
 */
export class WeComClient {
  private token: { value: string; until: number } | null = null;
  private fetching: Promise<string> | null = null;
  private readonly backoff: number[];
  private readonly http: typeof fetch;

  constructor(private readonly options: WeComClientOptions) {
    this.backoff = options.backoffMs ?? [1_000, 2_000, 4_000];
    this.http = options.fetch ?? fetch;
  }

  async accessToken(): Promise<string> {
    if (this.token && this.clock() < this.token.until) return this.token.value;
    // One fetch for everyone waiting: WeCom limits how often a token may be fetched.
    this.fetching ??= this.fetchToken().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  /** A GET (no body) or POST (JSON body) to an API path such as `/cgi-bin/externalcontact/get`. */
  async call<T extends Answer>(path: string, body?: object, query: Record<string, string> = {}): Promise<T> {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const answer = await this.send<T>(path, { ...query, access_token: token }, body);
      const code = answer.errcode ?? 0;
      if (code === 0) return answer;
      if (TOKEN_INVALID.has(code) && !renewed) {
        renewed = true;
        if (this.token?.value === token) this.token = null;
        continue;
      }
      if (code === RATE_LIMITED && attempt < this.backoff.length) {
        await new Promise((r) => setTimeout(r, this.backoff[attempt]));
        continue;
      }
      throw new WeComError(code, answer.errmsg ?? '', path);
    }
  }

  private clock(): number {
    return this.options.clock.now();
  }

  private async fetchToken(): Promise<string> {
    const answer = await this.send<Answer & { access_token?: string; expires_in?: number }>(
      '/cgi-bin/gettoken',
      { corpid: this.options.corpId, corpsecret: this.options.secret },
    );
    if ((answer.errcode ?? 0) !== 0 || !answer.access_token) throw new WeComError(answer.errcode ?? -1, answer.errmsg ?? 'no token', '/cgi-bin/gettoken');
    this.token = { value: answer.access_token, until: this.clock() + (answer.expires_in ?? 7200) * 1000 - TOKEN_MARGIN_MS };
    return answer.access_token;
  }

  private async send<T>(path: string, query: Record<string, string>, body?: object): Promise<T> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${path}?${new URLSearchParams(query)}`;
    const res = await this.http(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new WeComError(-res.status, `HTTP ${res.status}`, path);
    return (await res.json()) as T;
  }
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../shared/clock.ts';
import { CallbackCrypto } from '../callback-crypto.ts';
import { SimulatedCustomerContact } from './customers.ts';

/**
 * A local stand-in for the parts of WeCom's server API that Huoma uses, answering as WeCom does
 * (paths, JSON shapes, errcodes), for tests and demos where the real API cannot be reached. Its
 * controls let a test make WeCom misbehave the ways it does: expire tokens, rate-limit calls.
 */
export interface SimulatedMember {
  /** 0 when the member may hold external contacts, else the errcode WeCom gives (84074, 41054, 40098). */
  refuseCode: number;
}

interface ContactWayRecord {
  config_id: string;
  type: number;
  scene: number;
  state: string;
  remark: string;
  user: string[];
  skip_verify: boolean;
  qr_code: string;
}

const ERR = {
  invalidCredential: { errcode: 40001, errmsg: 'invalid credential' },
  invalidToken: { errcode: 40014, errmsg: 'invalid access_token' },
  expiredToken: { errcode: 42001, errmsg: 'access_token expired' },
  rateLimited: { errcode: 45009, errmsg: 'api freq out of limit' },
  invalidParameter: (what: string) => ({ errcode: 40058, errmsg: `invalid parameter: ${what}` }),
  invalidConfigId: { errcode: 40058, errmsg: 'invalid parameter: config_id' },
  memberRefused: (code: number) => ({ errcode: code, errmsg: 'member cannot hold external contacts' }),
};

export class WeComSimulator {
  readonly members = new Map<string, SimulatedMember>();
  readonly contactWays = new Map<string, ContactWayRecord>();
  /** Customers, corp tags, welcome messages and hand-overs: the customer-contact (客户联系) API. */
  readonly customerContact: SimulatedCustomerContact;
  /** Every API call received, path first: what a test asserts the client did. */
  readonly calls: string[] = [];
  private readonly tokens = new Map<string, number>();
  private rateLimitLeft = 0;
  private url = '';
  private readonly server = createServer((req, res) => void this.handle(req, res));

  constructor(
    readonly corpId: string,
    readonly secret: string,
    private readonly clock: Clock,
    /** Seconds a token lives; WeCom's is 7200. */
    private readonly tokenSeconds = 7200,
  ) {
    this.customerContact = new SimulatedCustomerContact(clock);
  }

  get customers() {
    return this.customerContact.customers;
  }

  get tagGroups() {
    return this.customerContact.tagGroups;
  }

  get welcomes() {
    return this.customerContact.welcomes;
  }

  get transfers() {
    return this.customerContact.transfers;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private callback: { url: string; crypto: CallbackCrypto } | null = null;

  /** Where this WeCom sends events, as an admin sets it in the WeCom console. */
  callbackTo(url: string, token: string, encodingAesKey: string): void {
    this.callback = { url, crypto: new CallbackCrypto(token, encodingAesKey, this.corpId) };
  }

  /** WeCom's URL check: a GET with an encrypted echostr the receiver must answer decrypted. */
  async verifyCallbackUrl(
    echo = String(Math.floor(Math.random() * 1e18)),
    options: { timestamp?: number } = {},
  ): Promise<{ echo: string; response: Response }> {
    const { url, crypto } = this.requireCallback();
    const echostr = crypto.encrypt(echo);
    const query = this.signedQuery(crypto, echostr, options.timestamp);
    return { echo, response: await fetch(`${url}?${new URLSearchParams({ ...query, echostr })}`) };
  }

  /**
   * Sends an event the way WeCom does: the fields as XML, encrypted, signed. `tamper` breaks the
   * signature, for tests of forged messages.
   */
  async sendEvent(fields: Record<string, string>, options: { timestamp?: number; tamper?: boolean } = {}): Promise<Response> {
    const { url, crypto } = this.requireCallback();
    const body = Object.entries({ ToUserName: this.corpId, FromUserName: 'sys', MsgType: 'event', ...fields })
      .map(([k, v]) => (/^\d+$/.test(v) ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`))
      .join('');
    const encrypted = crypto.encrypt(`<xml>${body}</xml>`);
    const query = this.signedQuery(crypto, encrypted, options.timestamp);
    if (options.tamper) query.msg_signature = query.msg_signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    return fetch(`${url}?${new URLSearchParams(query)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${this.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`,
    });
  }

  private requireCallback() {
    if (!this.callback) throw new Error('callbackTo() first');
    return this.callback;
  }

  private signedQuery(crypto: CallbackCrypto, encrypted: string, at = this.clock.now()) {
    const timestamp = String(Math.floor(at / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    return { msg_signature: crypto.signature(timestamp, nonce, encrypted), timestamp, nonce };
  }

  /** Every token issued so far stops working, as when WeCom expires one early. */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  /**
   * A WeChat user scans a contact way's QR and adds its member: WeCom makes the external contact,
   * issues a welcome code and (unless `lost`, as WeCom sometimes does) sends the add event.
   */
  async customerAdds(configId: string, customer: { name: string; externalUserId?: string }, options: { lost?: boolean } = {}) {
    const way = this.contactWays.get(configId);
    if (!way) throw new Error(`no contact way ${configId}`);
    const userId = way.user[0]!;
    const externalUserId = customer.externalUserId ?? `wm${randomBytes(12).toString('hex')}`;
    const createtime = Math.floor(this.clock.now() / 1000);
    const known = this.customers.get(externalUserId);
    const record = known ?? { external_userid: externalUserId, name: customer.name, avatar: `https://wx.qlogo.cn/sim/${externalUserId}`, follows: new Map() };
    record.follows.set(userId, { createtime, state: way.state, tags: new Set() });
    this.customers.set(externalUserId, record);
    const welcomeCode = this.customerContact.issueWelcomeCode(userId, externalUserId);
    const fields = {
      Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: userId, ExternalUserID: externalUserId,
      State: way.state, WelcomeCode: welcomeCode, CreateTime: String(createtime),
    };
    const response = options.lost ? null : await this.sendEvent(fields);
    return { externalUserId, welcomeCode, fields, response };
  }

  /** The next welcome messages fail with these errcodes (41096: try again), one each. */
  failWelcomes(...codes: number[]): void {
    this.customerContact.failWelcomes(codes);
  }

  /** The next `n` API calls are answered 45009. */
  rateLimit(n: number): void {
    this.rateLimitLeft = n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://wecom');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    this.calls.push(url.pathname);
    const answer = this.answer(url, raw ? JSON.parse(raw) : {}) ?? this.customerContact.answer(url, raw ? JSON.parse(raw) : {});
    if (answer === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...answer }));
  }

  private answer(url: URL, body: Record<string, any>): Record<string, unknown> | null {
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== this.corpId || url.searchParams.get('corpsecret') !== this.secret) return ERR.invalidCredential;
      const token = randomBytes(24).toString('base64url');
      this.tokens.set(token, this.clock.now() + this.tokenSeconds * 1000);
      return { access_token: token, expires_in: this.tokenSeconds };
    }
    const until = this.tokens.get(url.searchParams.get('access_token') ?? '');
    if (until === undefined) return ERR.invalidToken;
    if (until <= this.clock.now()) return ERR.expiredToken;
    if (this.rateLimitLeft > 0) {
      this.rateLimitLeft--;
      return ERR.rateLimited;
    }
    switch (url.pathname) {
      case '/cgi-bin/externalcontact/add_contact_way': {
        if (typeof body.state === 'string' && body.state.length > 30) return ERR.invalidParameter('state longer than 30 characters');
        const users: string[] = body.user ?? [];
        if (body.type === 1 && users.length !== 1) return ERR.invalidParameter('a single-person contact way takes exactly one user');
        for (const id of users) {
          const member = this.members.get(id);
          if (!member) return { errcode: 60111, errmsg: `userid not found: ${id}` };
          if (member.refuseCode !== 0) return ERR.memberRefused(member.refuseCode);
        }
        const configId = randomBytes(16).toString('hex');
        this.contactWays.set(configId, {
          config_id: configId, type: body.type, scene: body.scene, state: body.state ?? '', remark: body.remark ?? '', user: users,
          skip_verify: body.skip_verify ?? true, qr_code: `https://wwcdn.weixin.qq.com/sim/contact_way/${configId}.png`,
        });
        return { config_id: configId, qr_code: this.contactWays.get(configId)!.qr_code };
      }
      case '/cgi-bin/externalcontact/get_contact_way': {
        const way = this.contactWays.get(body.config_id);
        return way ? { contact_way: way } : ERR.invalidConfigId;
      }
      case '/cgi-bin/externalcontact/update_contact_way': {
        const way = this.contactWays.get(body.config_id);
        if (!way) return ERR.invalidConfigId;
        if (typeof body.state === 'string' && body.state.length > 30) return ERR.invalidParameter('state longer than 30 characters');
        Object.assign(way, body.state !== undefined ? { state: body.state } : {}, body.remark !== undefined ? { remark: body.remark } : {});
        return {};
      }
      case '/cgi-bin/externalcontact/del_contact_way':
        return this.contactWays.delete(body.config_id) ? {} : ERR.invalidConfigId;
      default:
        return null;
    }
  }
}

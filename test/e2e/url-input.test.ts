import { validateHeaderValue } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/db.ts';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
/** What a browser may receive as a header value: printable ASCII only (no CR, LF, NUL, nothing above 0x7E). */
const ASCII_URL = /^https?:\/\/[\x21-\x7e]+$/;
const headerOk = (value: string) => {
  validateHeaderValue('location', value);
  return ASCII_URL.test(value);
};

/** Control characters a pasted or forged URL may carry; each must be refused, never stored. */
const CONTROLS: [string, string][] = [
  ['CR', '\r'], ['LF', '\n'], ['CRLF + header', '\r\nSet-Cookie: a=b'], ['NUL', '\0'], ['TAB', '\t'], ['ESC', '\x1b'], ['DEL', '\x7f'],
  ['C1 NEL', '\u0085'], ['U+2028', '\u2028'], ['U+2029', '\u2029'], ['RLO', '\u202e'], ['LRI', '\u2066'], ['ALM', '\u061c'], ['RLM', '\u200f'],
];

describe.each(engines())('URLs people type, and URLs already stored, on $name', (engine) => {
  let server: TestServer;
  let storage: Storage;
  beforeAll(async () => {
    storage = await engine.open();
    server = await startServer(storage);
  });
  afterAll(() => server.close());

  const scan = (slug: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE, ...headers } });
  const create = async (body: object) => {
    const res = await server.api('POST', '/api/v1/codes', { name: 'u', ...body });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json;
  };

  it('stores Chinese paths and queries and IDN hosts in their WHATWG form, and scans redirect to it', async () => {
    const code = await create({
      url: 'https://shop.example/双十一?a=活码',
      rules: [{ when: { os: ['ios'] }, url: 'https://例子.测试/路径 空格?q=一#片段' }],
      expiredUrl: 'https://例子.测试/',
    });
    expect(code.url).toBe('https://shop.example/%E5%8F%8C%E5%8D%81%E4%B8%80?a=%E6%B4%BB%E7%A0%81');
    expect(code.rules[0].url).toBe('https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84%20%E7%A9%BA%E6%A0%BC?q=%E4%B8%80#%E7%89%87%E6%AE%B5');
    expect(code.expiredUrl).toBe('https://xn--fsqu00a.xn--0zwm56d/');
    const ios = await scan(code.slug);
    expect(ios.status).toBe(302);
    expect(ios.headers.get('location')).toBe(code.rules[0].url);
    const android = await scan(code.slug, { 'user-agent': 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/111.0 Mobile Safari/537.36' });
    expect(android.status).toBe(302);
    expect(android.headers.get('location')).toBe(code.url);
    const changed = await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'HTTPS://商店.例子:443/a/../b' });
    expect(changed.json.url).toBe('https://xn--czrs0t.xn--fsqu00a/b');
  });

  it('refuses control characters in every URL field with 400 naming the field', async () => {
    const staffMember = (await server.api('POST', '/api/v1/staff', { name: '值班', contactQrUrl: 'https://img.example/qr.png' })).json.id;
    const welcomeCode = { type: 'staff', name: 'u', members: [{ staffId: staffMember }], backupStaffIds: [staffMember] };
    const fields: [string, (u: string) => [string, string, object], string][] = [
      ['url', (u) => ['POST', '/api/v1/codes', { name: 'u', url: u }], 'url'],
      ['rules.0.url', (u) => ['POST', '/api/v1/codes', { name: 'u', url: 'https://a.example/', rules: [{ when: { os: ['ios'] }, url: u }] }], 'rules.0.url'],
      ['expiredUrl', (u) => ['POST', '/api/v1/codes', { name: 'u', url: 'https://a.example/', expiredUrl: u }], 'expiredUrl'],
      [
        'deviceLimit.url',
        (u) => ['POST', '/api/v1/codes', { name: 'u', url: 'https://a.example/', deviceLimit: { max: 1, period: 'day', url: u } }],
        'deviceLimit.url',
      ],
      ['staff code backup url', (u) => ['POST', '/api/v1/codes', { type: 'staff', name: 'u', members: [{ staffId: staffMember }], url: u }], 'url'],
      [
        'welcome link',
        (u) => ['POST', '/api/v1/codes', { ...welcomeCode, welcomeMessages: [{ text: 'hi', link: { title: 't', url: u } }] }],
        'welcomeMessages.0.link.url',
      ],
      ['welcome image', (u) => ['POST', '/api/v1/codes', { ...welcomeCode, welcomeMessages: [{ text: 'hi', imageUrl: u }] }], 'welcomeMessages.0.imageUrl'],
      ['contactQrUrl', (u) => ['POST', '/api/v1/staff', { name: 's', contactQrUrl: u }], 'contactQrUrl'],
      ['avatarUrl', (u) => ['PATCH', `/api/v1/staff/${staffMember}`, { avatarUrl: u }], 'avatarUrl'],
      ['webhook url', (u) => ['POST', '/api/v1/webhooks', { url: u, events: ['scan.created'] }], 'url'],
      [
        'WeCom apiBase',
        (u) => ['PUT', '/api/v1/wecom/settings', { corpId: 'c', secret: 's', token: 'Tok', encodingAESKey: 'k'.repeat(43), apiBase: u }],
        'apiBase',
      ],
    ];
    for (const [what, request, field] of fields) {
      for (const [name, control] of CONTROLS) {
        const [method, path, body] = request(`https://a.example/x${control}y`);
        const res = await server.api(method, path, body);
        expect(res.status, `${what} with ${name}: ${JSON.stringify(res.json)}`).toBe(400);
        expect(res.json.error, `${what} with ${name}`).toMatchObject({ code: 'validation_failed', field });
      }
    }
    // A trailing line break is refused too: it is not "whitespace" to trim away silently.
    expect((await server.api('POST', '/api/v1/codes', { name: 'u', url: 'https://a.example/\n' })).json.error.field).toBe('url');
  });

  it('never answers 5xx for rows stored before the fix or written behind the API, and redirects only to valid ASCII', async () => {
    const bad = [
      'https://shop.example/双十一?a=活码', 'https://例子.测试/', 'https://a.example/x\r\ny', 'https://a.example/\r\nSet-Cookie: a=b',
      'https://a.example/x\0y', 'https://a.example/x\u2028y', 'https://a.example/\u202egnp.exe', 'https://a.example/x\u0085y',
      'javascript:alert(1)', 'not a url', '', 'https://', 'ftp://files.example/a', 'https://a.example:99999/', ' https://a.example/ ',
    ];
    const codes: { url: string; code: { id: string; slug: string }; paused: { id: string; slug: string }; limited: { id: string; slug: string } }[] = [];
    for (const url of bad) {
      // Active (the url and a rule), paused (the expired page) and limited to one scan per device (the limit's page).
      const active = await create({ url: 'https://ok.example/', rules: [{ when: { os: ['android'] }, url: 'https://ok.example/rule' }] });
      const paused = await create({ url: 'https://ok.example/', paused: true, expiredUrl: 'https://ok.example/ended' });
      const limited = await create({ url: 'https://ok.example/', deviceLimit: { max: 1, period: 'total', url: 'https://ok.example/limit' } });
      codes.push({ url, code: active, paused, limited });
    }
    // Written straight to the database, the way an old version, a restore or a hand edit would have.
    for (const { url, code, paused, limited } of codes) {
      // PostgreSQL text cannot hold NUL at all (JSON text escapes it): such a row exists only on SQLite.
      const column = engine.name === 'postgres' && url.includes('\0') ? {} : { url };
      const rules = JSON.stringify([{ when: { os: ['android'] }, url, enabled: true }]);
      await storage.db.updateTable('codes').set({ ...column, rules }).where('id', '=', code.id).execute();
      if ('url' in column) await storage.db.updateTable('codes').set({ expired_url: url }).where('id', '=', paused.id).execute();
      await storage.db.updateTable('codes').set({ device_limit: JSON.stringify({ max: 1, period: 'total', url }) }).where('id', '=', limited.id).execute();
    }
    const android = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/111.0 Mobile Safari/537.36';
    const check = async (res: Response, label: string, json: boolean) => {
      expect(res.status, label).toBeLessThan(500);
      if (res.status === 302) return expect(headerOk(res.headers.get('location')!), label).toBe(true);
      expect(res.status, label).toBe(200);
      const body = await res.text();
      if (json) expect(body, label).not.toMatch(/javascript:|\\r|\\n|\\u0000|\u2028/);
      else expect(body, label).toContain('<html');
    };
    for (const { url, code, paused, limited } of codes) {
      for (const headers of [{}, { 'user-agent': android }, { accept: 'application/json' }] as Record<string, string>[]) {
        const label = `${JSON.stringify(url)} ${JSON.stringify(headers)}`;
        const json = 'accept' in headers;
        await check(await scan(code.slug, headers), `${label} (active)`, json);
        await check(await scan(paused.slug, headers), `${label} (paused)`, json);
        const first = await scan(limited.slug, headers);
        const cookie = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
        await check(await scan(limited.slug, { ...headers, cookie }), `${label} (over the device limit)`, json);
      }
    }
    // Repairable rows redirect to the URL a browser would have opened; irreparable ones show a page.
    const at = (url: string) => codes.find((c) => c.url === url)!.code.slug;
    expect((await scan(at('https://shop.example/双十一?a=活码'))).headers.get('location'))
      .toBe('https://shop.example/%E5%8F%8C%E5%8D%81%E4%B8%80?a=%E6%B4%BB%E7%A0%81');
    expect((await scan(at('https://例子.测试/'))).headers.get('location')).toBe('https://xn--fsqu00a.xn--0zwm56d/');
    expect((await scan(at('https://a.example/x\r\ny'))).headers.get('location')).toBe('https://a.example/xy');
    const script = await scan(at('javascript:alert(1)'));
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('<html');
    const app = await (await scan(at('javascript:alert(1)'), { accept: 'application/json' })).json();
    expect(JSON.stringify(app)).not.toContain('javascript:');
  });
});

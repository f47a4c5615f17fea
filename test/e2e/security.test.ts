import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const METRICS_TOKEN = 'scrape-me-with-this-long-token';
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The policy as a map of directive → sources. */
function policyOf(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name!, sources]));
}

/** What the browser would run and apply: the text of each executable inline script and each style element. */
const inline = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}( type="[^"]*")?[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].filter((m) => m[1] === undefined).map((m) => m[2]!);

describe('landing pages and answers', () => {
  let server: TestServer;
  // 22:00 in Shanghai: a member who works 09:00–18:00 is off.
  const clock = { now: () => Date.parse('2026-11-24T14:00:00Z') };
  const scan = (slug: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE, ...headers } });
  const code = async (body: object) => {
    const made = await server.api('POST', '/api/v1/codes', body);
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    return made.json.slug as string;
  };
  const pages: Record<string, () => Promise<Response>> = {};

  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open(), {}, { clock });
    const staff = async (name: string, extra: object = {}) =>
      (await server.api('POST', '/api/v1/staff', { name, contactQrUrl: `https://wework.example/qr/${name}.png`, ...extra })).json.id as string;
    const always = await staff('值班');
    const dayShift = await staff('白班', { schedule: [{ weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] });
    const store = (await server.api('POST', '/api/v1/stores', {
      name: '徐汇店', province: '上海', city: '上海', address: '徐汇 1 号', lat: 31.19, lng: 121.43, staffIds: [always],
    })).json.id;
    const contact = await code({ type: 'staff', name: 'contact', members: [{ staffId: always }], backupStaffIds: [always] });
    const offHours = await code({ type: 'staff', name: 'off hours', members: [{ staffId: dayShift }], backupStaffIds: [always], offHours: 'close' });
    const region = await code({ type: 'region', name: 'region', storeIds: [store], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [always] });
    const ended = await code({ type: 'url', name: 'ended', url: 'https://shop.example/a', validUntil: '2026-01-01T00:00:00Z' });
    const once = await code({ type: 'url', name: 'once', url: 'https://shop.example/a', deviceLimit: { max: 1, period: 'total' } });
    const device = { cookie: 'hm_vid=phone-one-0000000' };
    await scan(once, device);
    Object.assign(pages, {
      contact: () => scan(contact),
      'off hours': () => scan(offHours),
      'region code': () => scan(region),
      ended: () => scan(ended),
      'device limit': () => scan(once, device),
      'not found': () => scan('Nothing404'),
    });
  });
  afterAll(() => server?.close());

  const pageNames = ['contact', 'off hours', 'region code', 'ended', 'device limit', 'not found'];
  it.each(pageNames)('the %s page runs and loads only what its policy names, and cannot be framed', async (name) => {
    const res = await pages[name]!();
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const policy = policyOf(res);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    for (const script of inline(html, 'script')) expect(policy.get('script-src')).toContain(hash(script));
    for (const style of inline(html, 'style')) expect(policy.get('style-src')).toContain(hash(style));
    expect(policy.get('img-src')).toEqual(["'self'", 'https:', 'data:']);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe|\*/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('runs the region page\'s script from its hash: the page carries the script and its data apart', async () => {
    const html = await (await pages['region code']!()).text();
    const scripts = inline(html, 'script');
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toContain('navigator.geolocation');
    expect(html).toMatch(/<script type="application\/json" id="page-data">\{"url":"\/s\/\w+\/locate"/);
    expect(html.length).toBeLessThan(30_000);
  });

  it('tells a destination our origin at most, and marks JSON answers and errors nosniff', async () => {
    const to = await code({ type: 'url', name: 'redirect', url: 'https://shop.example/a' });
    const redirect = await scan(to);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    const answers = [
      await scan(to, { accept: 'application/json' }),
      await fetch(`${server.url}/api/v1/codes`, { headers: { authorization: `Bearer ${await server.token('viewer')}` } }),
      await fetch(`${server.url}/api/v1/codes`),
      await fetch(`${server.url}/no/such/route`),
      await fetch(`${server.url}/healthz`),
    ];
    for (const res of answers) {
      expect(res.headers.get('content-type'), res.url).toContain('application/json');
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
    }
  });
});

describe('/metrics', () => {
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer(await engines()[0]!.open(), env);
    servers.push(server);
    return server;
  };
  const metrics = (server: TestServer, authorization?: string) =>
    fetch(`${server.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });

  it('is open by default, for scrapers on a private network', async () => {
    const server = await start();
    const res = await metrics(server);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('huoma_scans_total');
  });

  it('with HUOMA_METRICS_TOKEN, answers only a scraper that bears it', async () => {
    const server = await start({ HUOMA_METRICS_TOKEN: METRICS_TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, `Basic ${METRICS_TOKEN}`, METRICS_TOKEN]) {
      const res = await metrics(server, authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    const ok = await metrics(server, `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('huoma_scans_total');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const SQUARE = { lat: 31.2304, lng: 121.4737 }; // People's Square, Shanghai
const NEARBY = { lat: 31.2350, lng: 121.4750 }; // about 0.5 km north
const FAR = { lat: 31.19, lng: 121.43 }; // Xuhui, about 6 km away
/** A cookie jar's header after the cookies a response set. */
const jar = (cookie: string, res: Response) => {
  const all = new Map(cookie.split('; ').filter(Boolean).map((c) => [c.split('=')[0]!, c] as const));
  for (const set of res.headers.getSetCookie()) all.set(set.split('=')[0]!, set.split(';')[0]!);
  return [...all.values()].join('; ');
};

/** A URL code whose rules say "near here": the scan asks for the position, and the rule holds only with one. */
describe('a URL code with a `near` rule, scanned for real', () => {
  let server: TestServer;
  let code: { id: string; slug: string };

  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
    code = (
      await server.api('POST', '/api/v1/codes', {
        type: 'url', name: '到店有礼', url: 'https://shop.example/default',
        rules: [
          { name: '新客到店', when: { near: { ...SQUARE, km: 2 }, visitor: 'new' }, url: 'https://shop.example/welcome' },
          { name: '到店', when: { near: { ...SQUARE, km: 2 } }, url: 'https://shop.example/near' },
        ],
      })
    ).json;
  });
  afterAll(() => server?.close());

  const scan = (headers: Record<string, string> = {}) =>
    fetch(`${server.url}/s/${code.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE, ...headers } });
  const post = (body: object, cookie = '') =>
    fetch(`${server.url}/s/${code.slug}/locate`, {
      method: 'POST',
      headers: { 'user-agent': PHONE, 'content-type': 'application/json', accept: 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  /** The step of a fresh scan by this visitor. */
  const locate = async (body: object, cookie = '', scanId?: string) => {
    const fresh = async () => (await (await scan({ accept: 'application/json', ...(cookie ? { cookie } : {}) })).json()).scanId;
    const res = await post({ scanId: scanId ?? (await fresh()), ...body }, cookie);
    expect(res.status).toBe(200);
    return (await res.json()).decision;
  };
  const simulate = async (body: object) => (await server.api('POST', `/api/v1/codes/${code.id}/simulate`, { userAgent: PHONE, ...body })).json.decision;

  it('answers a scan with a request for the position, as a region code does', async () => {
    const json = await (await scan({ accept: 'application/json' })).json();
    expect(json.decision).toEqual({ action: 'locate', url: `/s/${code.slug}/locate`, rule: null });
    const page = await scan();
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('该二维码会根据你所在的位置打开对应的内容');
    expect(html).toContain(`"url":"/s/${code.slug}/locate"`);
  });

  it('sends a scanner who shares a position inside the radius to the rule, as the simulator says', async () => {
    const first = await scan({ accept: 'application/json' });
    let cookie = jar('', first);
    // The visitor is new to this code until the decision: the rule for new visitors holds.
    const located = await post({ consent: true, ...NEARBY, scanId: (await first.json()).scanId }, cookie);
    expect((await located.json()).decision).toMatchObject({ action: 'redirect', url: 'https://shop.example/welcome', rule: { index: 0, name: '新客到店' } });
    expect(await simulate({ location: NEARBY })).toMatchObject({ url: 'https://shop.example/welcome', rule: { index: 0 } });
    // Decided once: from then on the code has been seen, and the next scan is a returning visitor's.
    cookie = jar(jar(cookie, located), await scan({ accept: 'application/json', cookie }));
    expect(await locate({ consent: true, ...NEARBY }, cookie)).toMatchObject({ url: 'https://shop.example/near', rule: { index: 1, name: '到店' } });
    expect(await simulate({ location: NEARBY, returning: true })).toMatchObject({ url: 'https://shop.example/near', rule: { index: 1 } });
  });

  it('never lets `near` hold without consent, or far away: the default URL, as the simulator says', async () => {
    expect(await locate({ consent: false })).toEqual({ action: 'redirect', url: 'https://shop.example/default', rule: null });
    expect(await locate({ consent: true })).toMatchObject({ url: 'https://shop.example/default', rule: null });
    expect(await locate({ consent: true, ...FAR })).toMatchObject({ url: 'https://shop.example/default', rule: null });
    expect(await simulate({})).toMatchObject({ url: 'https://shop.example/default', rule: null });
    expect(await simulate({ location: FAR })).toMatchObject({ url: 'https://shop.example/default', rule: null });
  });

  it('refuses a position without consent, and the location step of a code that asks for none', async () => {
    const sneaky = await fetch(`${server.url}/s/${code.slug}/locate`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consent: false, ...NEARBY }),
    });
    expect(sneaky.status).toBe(400);
    expect((await sneaky.json()).error.field).toBe('consent');
    const plain = (await server.api('POST', '/api/v1/codes', {
      type: 'url', name: 'plain', url: 'https://shop.example/a', rules: [{ when: { os: ['ios'] }, url: 'https://shop.example/ios' }],
    })).json;
    const plainScan = await fetch(`${server.url}/s/${plain.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    expect(plainScan.headers.get('location')).toBe('https://shop.example/ios');
    const none = await fetch(`${server.url}/s/${plain.slug}/locate`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consent: true, ...NEARBY }),
    });
    expect(none.status).toBe(404);
  });

  it('follows the code when it ends: the location step no longer sends anyone to a rule', async () => {
    const { scanId } = await (await scan({ accept: 'application/json' })).json();
    await server.api('PATCH', `/api/v1/codes/${code.id}`, { paused: true, expiredUrl: 'https://shop.example/over' });
    expect(await locate({ consent: true, ...NEARBY }, '', scanId)).toEqual({ action: 'inactive', reason: 'paused', url: 'https://shop.example/over' });
    expect((await scan()).headers.get('location')).toBe('https://shop.example/over');
  });
});

/** The location step stands on a scan the limits admitted: without one, it is no way around them. */
describe('the location step, posted without its scan', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
  });
  afterAll(() => server?.close());

  const scan = async (slug: string) =>
    (await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE, accept: 'application/json' } })).json();
  const post = (slug: string, body: object) =>
    fetch(`${server.url}/s/${slug}/locate`, {
      method: 'POST',
      headers: { 'user-agent': PHONE, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ consent: true, ...NEARBY, ...body }),
    });
  const nearCode = async (extra: object) =>
    (
      await server.api('POST', '/api/v1/codes', {
        type: 'url', name: '前100名到店', url: 'https://shop.example/default', expiredUrl: 'https://shop.example/over',
        rules: [{ when: { near: { ...SQUARE, km: 2 } }, url: 'https://shop.example/coupon' }],
        ...extra,
      })
    ).json as { id: string; slug: string };

  it('does not hand out the destination once the cap refuses scans', async () => {
    const code = await nearCode({ maxScans: 1 });
    const admitted = await scan(code.slug);
    expect(admitted.decision.action).toBe('locate');
    const refused = await scan(code.slug);
    expect(refused.decision).toMatchObject({ action: 'inactive', reason: 'limit_reached' });
    // The admitted scan's step decides; a refused scan's, or none at all, does not.
    expect((await (await post(code.slug, { scanId: admitted.scanId })).json()).decision).toMatchObject({ url: 'https://shop.example/coupon' });
    for (const body of [{}, { scanId: refused.scanId }, { scanId: 'made-up' }]) {
      const res = await post(code.slug, body);
      expect(res.status).toBe(403);
      expect((await res.json()).error.field).toBe('scanId');
    }
  });

  it("does not match a region code's store and member for a scan the cap refused, or none", async () => {
    const staffId = (await server.api('POST', '/api/v1/staff', { name: '值班', contactQrUrl: 'https://img.example/duty.png' })).json.id;
    const storeId = (await server.api('POST', '/api/v1/stores', {
      name: '人民广场店', province: '上海', city: '上海', address: '人民大道 1 号', ...SQUARE, staffIds: [staffId],
    })).json.id;
    const code = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '前1名', storeIds: [storeId], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [staffId], maxScans: 1,
    })).json;
    const admitted = await scan(code.slug);
    expect((await scan(code.slug)).decision).toMatchObject({ action: 'inactive', reason: 'limit_reached' });
    expect((await (await post(code.slug, { scanId: admitted.scanId })).json()).decision).toMatchObject({ action: 'contact', staffId });
    const res = await post(code.slug, {});
    expect(res.status).toBe(403);
    expect((await res.json()).error.field).toBe('scanId');
  });

  it("does not take another code's scan as this one's", async () => {
    const code = await nearCode({ deviceLimit: { max: 1, period: 'total' } });
    const other = await nearCode({});
    const res = await post(code.slug, { scanId: (await scan(other.slug)).scanId });
    expect(res.status).toBe(403);
  });
});

import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeBoth } from '../support/decode-qr.ts';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const IPHONE_WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const ANDROID = 'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/111.0 Mobile Safari/537.36';
const SHANGHAI_IP = '116.228.111.118';
const GUANGZHOU_IP = '183.62.57.1';

describeEngines('live codes over HTTP', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engine.open());
  });
  afterAll(() => server.close());

  const scan = (slug: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': IPHONE_WECHAT, ...headers } });
  const create = async (body: object) => {
    const res = await server.api('POST', '/api/v1/codes', { type: 'url', ...body });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json;
  };

  it('refuses calls without a token, and writes by read-only roles', async () => {
    expect((await fetch(`${server.url}/api/v1/codes`)).status).toBe(401);
    const analyst = await server.token('analyst');
    const denied = await server.api('POST', '/api/v1/codes', { name: 'x', url: 'https://a.example' }, analyst);
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('forbidden');
    expect((await server.api('GET', '/api/v1/codes', undefined, analyst)).status).toBe(200);
  });

  it('redirects a scan, and an edit takes effect on the very next scan', async () => {
    const code = await create({ name: '海报', url: 'https://shop.example/a' });
    expect(code.shortUrl).toMatch(new RegExp(`/s/${code.slug}$`));
    const first = await scan(code.slug);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('https://shop.example/a');
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/b' })).status).toBe(200);
    expect((await scan(code.slug)).headers.get('location')).toBe('https://shop.example/b');
  });

  it('answers apps with the decision as JSON and records the scan with what it knows', async () => {
    const code = await create({
      name: 'json', url: 'https://shop.example/a', rules: [{ name: '上海', when: { cities: ['上海市'] }, url: 'https://shop.example/sh' }],
    });
    const res = await scan(code.slug, { accept: 'application/json', 'x-forwarded-for': SHANGHAI_IP, referer: 'https://mp.weixin.qq.com/' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.decision).toEqual({ action: 'redirect', url: 'https://shop.example/sh', rule: { index: 0, name: '上海' } });
    const other = await (await scan(code.slug, { accept: 'application/json', 'x-forwarded-for': GUANGZHOU_IP })).json();
    expect(other.decision).toMatchObject({ url: 'https://shop.example/a', rule: null });

    const scans = await server.api('GET', `/api/v1/codes/${code.id}/scans`);
    const recorded = scans.json.items.find((s: { id: string }) => s.id === body.scanId);
    expect(recorded).toMatchObject({
      outcome: 'redirect',
      rule: { index: 0, name: '上海' },
      destination: 'https://shop.example/sh',
      ip: '116.228.111.0',
      region: { country: '中国', province: '上海', city: '上海' },
      device: { os: 'ios', browser: 'WeChat', model: 'iPhone' },
      inWeChat: true,
      referrer: 'https://mp.weixin.qq.com/',
      newVisitor: true,
      bot: false,
    });
  });

  it('keeps A/B arms stable for a visitor and tells new from returning visitors', async () => {
    const code = await create({
      name: 'ab',
      url: 'https://shop.example/default',
      rules: [
        { when: { visitor: 'returning' }, url: 'https://shop.example/welcome-back' },
        { when: { percent: 50 }, url: 'https://shop.example/a' },
      ],
    });
    const first = await scan(code.slug);
    const cookies = first.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(['https://shop.example/a', 'https://shop.example/default']).toContain(first.headers.get('location'));
    expect((await scan(code.slug, { cookie: cookies })).headers.get('location')).toBe('https://shop.example/welcome-back');
    const arms = new Set<string | null>();
    for (let i = 0; i < 40; i++) arms.add((await scan(code.slug)).headers.get('location'));
    expect(arms).toEqual(new Set(['https://shop.example/a', 'https://shop.example/default']));
  });

  it('shows a friendly page when a code is not active, in Chinese by default and in English on request', async () => {
    const code = await create({ name: 'paused', url: 'https://shop.example/a', paused: true });
    const page = await scan(code.slug);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('活动暂停中');
    expect(await (await scan(code.slug, { 'accept-language': 'en-US,en;q=0.9' })).text()).toContain('Temporarily paused');
    await server.api('PATCH', `/api/v1/codes/${code.id}`, { expiredUrl: 'https://shop.example/over' });
    expect((await scan(code.slug)).headers.get('location')).toBe('https://shop.example/over');
    const json = await (await scan(code.slug, { accept: 'application/json' })).json();
    expect(json.decision).toEqual({ action: 'inactive', reason: 'paused', url: 'https://shop.example/over' });

    const archived = await create({ name: 'archived', url: 'https://shop.example/a' });
    await server.api('POST', `/api/v1/codes/${archived.id}/archive`);
    expect(await (await scan(archived.slug)).text()).toContain('二维码已停用');
  });

  it('serves exactly maxScans scans even when they arrive at once', async () => {
    const code = await create({ name: 'capped', url: 'https://shop.example/prize', maxScans: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, () => scan(code.slug)));
    expect(results.filter((r) => r.status === 302)).toHaveLength(3);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json).toMatchObject({ status: 'limit_reached', scanCount: 3 });
  });

  it('lets each device through its daily limit exactly, then shows it the limit page or sends it on', async () => {
    const code = await create({ name: 'one per person', url: 'https://shop.example/coupon', deviceLimit: { max: 2, period: 'day' } });
    const phone = (vid: string) => ({ cookie: `hm_vid=${vid}` });
    const first = await Promise.all(Array.from({ length: 8 }, () => scan(code.slug, phone('phone-one-0000000'))));
    expect(first.filter((r) => r.status === 302)).toHaveLength(2);
    const refused = first.filter((r) => r.status === 200);
    expect(refused).toHaveLength(6);
    expect(await refused[0]!.text()).toContain('参与次数已达上限');
    expect((await scan(code.slug, phone('phone-two-0000000'))).status).toBe(302);
    const json = await (await scan(code.slug, { ...phone('phone-one-0000000'), accept: 'application/json' })).json();
    expect(json.decision).toEqual({ action: 'inactive', reason: 'device_limit', url: null });

    // A browser without the cookie gets one on its first scan and is counted by it from then on.
    const fresh = await scan(code.slug);
    const vid = /hm_vid=([^;]+)/.exec(fresh.headers.get('set-cookie') ?? '')![1]!;
    expect((await scan(code.slug, phone(vid))).status).toBe(302);
    expect((await scan(code.slug, phone(vid))).status).toBe(200);

    await server.api('PATCH', `/api/v1/codes/${code.id}`, { deviceLimit: { max: 2, period: 'day', url: 'https://shop.example/already' } });
    const sent = await scan(code.slug, phone('phone-one-0000000'));
    expect(sent.headers.get('location')).toBe('https://shop.example/already');
    const stats = (await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json;
    expect(stats.byOutcome).toEqual(expect.arrayContaining([{ outcome: 'redirect', scans: 5 }, { outcome: 'device_limit', scans: 9 }]));
  });

  it('holds bots by the same limits and caps as browsers, and still leaves them out of statistics', async () => {
    const CURL = 'curl/8.5.0';
    const limitedCode = await create({ name: 'bot limit', url: 'https://shop.example/coupon', deviceLimit: { max: 2, period: 'day' } });
    const phone = { cookie: 'hm_vid=phone-bot-00000000' };
    expect((await scan(limitedCode.slug, phone)).status).toBe(302);
    expect((await scan(limitedCode.slug, phone)).status).toBe(302);
    expect((await scan(limitedCode.slug, phone)).status).toBe(200);
    const disguised = await scan(limitedCode.slug, { ...phone, 'user-agent': CURL });
    expect(disguised.status).toBe(200);
    expect(await disguised.text()).toContain('参与次数已达上限');

    // A bot without the cookie is given one and counted by it, like any device.
    const fresh = await scan(limitedCode.slug, { 'user-agent': CURL });
    expect(fresh.status).toBe(302);
    const vid = /hm_vid=([^;]+)/.exec(fresh.headers.get('set-cookie') ?? '')![1]!;
    expect((await scan(limitedCode.slug, { 'user-agent': CURL, cookie: `hm_vid=${vid}` })).status).toBe(302);
    expect((await scan(limitedCode.slug, { 'user-agent': CURL, cookie: `hm_vid=${vid}` })).status).toBe(200);

    const capped = await create({ name: 'bot cap', url: 'https://shop.example/prize', maxScans: 3 });
    const bots = [];
    for (let i = 0; i < 5; i++) bots.push((await scan(capped.slug, { 'user-agent': CURL })).status);
    expect(bots).toEqual([302, 302, 302, 200, 200]);
    expect((await scan(capped.slug)).status).toBe(200);
    expect((await server.api('GET', `/api/v1/codes/${capped.id}`)).json).toMatchObject({ status: 'limit_reached', scanCount: 3 });

    // Statistics count the browsers' scans only: 3 on the limited code, 1 (refused) on the capped one.
    for (const [code, humans, bots] of [[limitedCode, 3, 4], [capped, 1, 5]] as const) {
      expect((await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json.scans).toBe(humans);
      const stored = (await server.api('GET', `/api/v1/codes/${code.id}/scans?includeBots=true`)).json.items;
      expect(stored.filter((s: { bot: boolean }) => s.bot)).toHaveLength(bots);
    }
  });

  it('refuses a device limit that is not a whole number of scans per day or in all', async () => {
    for (const [deviceLimit, field] of [
      [{ max: 0, period: 'day' }, 'deviceLimit.max'],
      [{ max: 3, period: 'week' }, 'deviceLimit.period'],
      [{ max: 3, period: 'day', url: 'ftp://x' }, 'deviceLimit.url'],
    ] as const) {
      const res = await server.api('POST', '/api/v1/codes', { name: 'bad limit', url: 'https://a.example', deviceLimit });
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
  });

  it('answers an unknown or deleted code with a 404 page, never an error', async () => {
    const missing = await scan('Zz9Zz9Zz');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('二维码不存在');
    expect((await scan('bad$lug!')).status).toBe(404);
    const code = await create({ name: 'doomed', url: 'https://shop.example/a' });
    expect((await scan(code.slug)).status).toBe(302);
    expect((await server.api('DELETE', `/api/v1/codes/${code.id}`)).status).toBe(204);
    expect((await scan(code.slug)).status).toBe(404);
    expect((await scan(code.slug, { accept: 'application/json' })).status).toBe(404);
  });

  it('names the field and the rule for bad input, and writes nothing', async () => {
    const before = (await server.api('GET', '/api/v1/codes?limit=100')).json.items.length;
    const cases: [unknown, string][] = [
      [{ name: 'bad/name', url: 'https://a.example' }, 'name'],
      [{ name: 'ok', url: 'javascript:alert(1)' }, 'url'],
      [
        { name: 'ok', url: 'https://a.example', rules: [{ when: { timeOfDay: { from: '9:00', to: '10:00' } }, url: 'https://b.example' }] },
        'rules.0.when.timeOfDay.from',
      ],
      [{ name: 'ok', url: 'https://a.example', validFrom: '2026-12-01T00:00:00Z', validUntil: '2026-11-01T00:00:00Z' }, 'validUntil'],
    ];
    for (const [body, field] of cases) {
      const res = await server.api('POST', '/api/v1/codes', body);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'validation_failed', field });
      expect(res.json.error.message).toContain(field);
    }
    const raw = await fetch(`${server.url}/api/v1/codes`, {
      method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'application/json' }, body: '{"name": "x",',
    });
    expect(raw.status).toBe(400);
    expect((await raw.json()).error.code).toBe('validation_failed');
    expect((await server.api('GET', '/api/v1/codes?limit=100')).json.items.length).toBe(before);
    expect((await server.api('GET', '/api/v1/codes?limit=1000')).json.error.field).toBe('limit');
    expect((await server.api('GET', '/api/v1/codes/nope')).status).toBe(404);
  });

  it('keeps every change as a version and refuses a stale If-Match', async () => {
    const code = await create({ name: 'history', url: 'https://a.example/1' });
    await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://a.example/2' });
    const stale = await fetch(`${server.url}/api/v1/codes/${code.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'application/json', 'if-match': '1' },
      body: JSON.stringify({ url: 'https://a.example/3' }),
    });
    expect(stale.status).toBe(409);
    const versions = await server.api('GET', `/api/v1/codes/${code.id}/versions`);
    expect(versions.json.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.json.items[0].changes).toEqual([{ field: 'url', from: 'https://a.example/1', to: 'https://a.example/2' }]);
    expect(versions.json.items[0].actor.name).toBe('owner');
  });

  it('lists codes by type, channel and department, and refuses an unknown type naming the field', async () => {
    const department = (await server.api('POST', '/api/v1/departments', { name: '筛选部' })).json.id;
    const channel = (await server.api('POST', '/api/v1/channels', { name: '抖音', code: 'FILTER_DY' })).json.id;
    const member = (await server.api('POST', '/api/v1/staff', { name: '筛选导购', contactQrUrl: 'https://wework.example/qr/f.png' })).json.id;
    const inChannel = await create({ name: '抖音投放', url: 'https://shop.example/dy', channelId: channel });
    const inDepartment = await create({ name: '部门码', url: 'https://shop.example/d', departmentId: department });
    const staff = await create({ type: 'staff', name: '筛选员工码', members: [{ staffId: member }], url: 'https://shop.example/m' });
    const ids = async (query: string) => (await server.api('GET', `/api/v1/codes?limit=100&${query}`)).json.items.map((c: { id: string }) => c.id);
    expect(await ids(`channelId=${channel}`)).toEqual([inChannel.id]);
    expect(await ids(`departmentId=${department}`)).toEqual([inDepartment.id]);
    const staffCodes = await ids('type=staff');
    expect(staffCodes).toContain(staff.id);
    expect(staffCodes).not.toContain(inChannel.id);
    expect(await ids('type=url')).toEqual(expect.arrayContaining([inChannel.id, inDepartment.id]));
    expect(await ids(`type=staff&channelId=${channel}`)).toEqual([]);
    const unknown = await server.api('GET', '/api/v1/codes?type=poster');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.field).toBe('type');
  });

  it('simulates a scan with the reasoning, and records nothing', async () => {
    const code = await create({
      name: 'sim', url: 'https://a.example',
      rules: [{ name: 'evening', when: { timeOfDay: { from: '16:00', to: '22:00' }, os: ['android'] }, url: 'https://a.example/evening' }],
    });
    const res = await server.api('POST', `/api/v1/codes/${code.id}/simulate`, { at: '2026-11-22T17:30:00+08:00', userAgent: IPHONE_WECHAT, ip: SHANGHAI_IP });
    expect(res.status).toBe(200);
    expect(res.json.decision).toMatchObject({ url: 'https://a.example/', rule: null });
    expect(res.json.trace.rules[0]).toMatchObject({ name: 'evening', matched: false, failed: 'os' });
    const evening = await server.api('POST', `/api/v1/codes/${code.id}/simulate`, { at: '2026-11-22T17:30:00+08:00', os: 'android' });
    expect(evening.json.decision).toMatchObject({ url: 'https://a.example/evening' });
    expect((await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json.scans).toBe(0);
  });

  it('counts human scans in stats and leaves bots out', async () => {
    const code = await create({ name: 'stats', url: 'https://a.example' });
    await scan(code.slug, { 'x-forwarded-for': SHANGHAI_IP });
    await scan(code.slug, { 'x-forwarded-for': GUANGZHOU_IP, 'user-agent': ANDROID });
    await scan(code.slug, { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    const stats = (await server.api('GET', `/api/v1/codes/${code.id}/stats`)).json;
    expect(stats.scans).toBe(2);
    expect(stats.uniqueVisitors).toBe(2);
    expect(stats.perDay).toHaveLength(30);
    expect(stats.perDay.at(-1).scans).toBe(2);
    expect(stats.byHour.reduce((n: number, h: { scans: number }) => n + h.scans, 0)).toBe(2);
    expect(stats.byOs).toEqual(expect.arrayContaining([{ os: 'ios', scans: 1 }, { os: 'android', scans: 1 }]));
    expect(stats.byProvince).toEqual(expect.arrayContaining([{ province: '上海', scans: 1 }, { province: '广东', scans: 1 }]));
    const withBots = await server.api('GET', `/api/v1/codes/${code.id}/scans?includeBots=true`);
    expect(withBots.json.items).toHaveLength(3);
    expect((await server.api('GET', `/api/v1/codes/${code.id}/stats?from=2026-12-01&to=2026-11-01`)).json.error.field).toBe('to');
  });

  it('renders QR images that decode to the short URL, with a logo and in a ZIP', async () => {
    const code = await create({ name: '二维码', url: 'https://a.example' });
    const png = await fetch(`${server.url}/api/v1/codes/${code.id}/qr.png?size=400&ecl=Q&fg=1a3c8f`, {
      headers: { authorization: `Bearer ${await server.token('viewer')}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(await decodeBoth(Buffer.from(await png.arrayBuffer()))).toEqual({ jsqr: code.shortUrl, zxing: code.shortUrl });
    const svg = await server.api('GET', `/api/v1/codes/${code.id}/qr.svg?margin=2`);
    expect(await decodeBoth(Buffer.from(svg.json))).toEqual({ jsqr: code.shortUrl, zxing: code.shortUrl });

    expect((await server.api('GET', `/api/v1/codes/${code.id}/qr.png?size=5000`)).json.error.field).toBe('size');
    expect((await server.api('GET', `/api/v1/codes/${code.id}/qr.png?fg=ffffff&bg=000000`)).json.error.field).toBe('fg');
    expect((await server.api('GET', `/api/v1/codes/${code.id}/qr.png?logo=true`)).json.error.field).toBe('logo');
    expect((await server.api('GET', `/api/v1/codes/${code.id}/logo`)).status).toBe(404);

    const logo = await sharp({ create: { width: 120, height: 120, channels: 3, background: '#e4393c' } }).jpeg().toBuffer();
    const upload = await fetch(`${server.url}/api/v1/codes/${code.id}/logo`, {
      method: 'PUT', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'image/jpeg' }, body: logo,
    });
    expect(upload.status).toBe(204);
    const badUpload = await fetch(`${server.url}/api/v1/codes/${code.id}/logo`, {
      method: 'PUT', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'image/png' }, body: 'not an image',
    });
    expect(badUpload.status).toBe(400);
    // The logo reads back as the PNG it was stored as, whatever was uploaded (the console shows it).
    const stored = await fetch(`${server.url}/api/v1/codes/${code.id}/logo`, { headers: { authorization: `Bearer ${await server.token()}` } });
    expect(stored.headers.get('content-type')).toBe('image/png');
    expect((await sharp(Buffer.from(await stored.arrayBuffer())).metadata()).format).toBe('png');
    const withLogo = await fetch(`${server.url}/api/v1/codes/${code.id}/qr.png?logo=true&size=600`, {
      headers: { authorization: `Bearer ${await server.token()}` },
    });
    expect(await decodeBoth(Buffer.from(await withLogo.arrayBuffer()))).toEqual({ jsqr: code.shortUrl, zxing: code.shortUrl });

    const others = [
      await create({ name: 'zip-1', url: 'https://a.example', tags: ['zipme'] }),
      await create({ name: 'zip-2', url: 'https://a.example', tags: ['zipme'] }),
    ];
    const zip = await fetch(`${server.url}/api/v1/codes/qr.zip?tag=zipme&size=300`, { headers: { authorization: `Bearer ${await server.token()}` } });
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(others.map((c) => `${c.name}-${c.slug}.png`).sort());
    for (const c of others) {
      expect(await decodeBoth(Buffer.from(files[`${c.name}-${c.slug}.png`]!))).toEqual({ jsqr: c.shortUrl, zxing: c.shortUrl });
    }
    const byIds = await fetch(`${server.url}/api/v1/codes/qr.zip?ids=${others[0].id},nope`, { headers: { authorization: `Bearer ${await server.token()}` } });
    expect(byIds.status).toBe(404);
  });

  it('counts scans by outcome and times decisions and commits in /metrics', async () => {
    const metric = async (line: RegExp) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(line.exec(text)?.[1] ?? 0);
    };
    const before = {
      redirect: await metric(/^huoma_scans_total\{outcome="redirect"\} (\d+)$/m),
      paused: await metric(/^huoma_scans_total\{outcome="paused"\} (\d+)$/m),
      missing: await metric(/^huoma_scans_total\{outcome="not_found"\} (\d+)$/m),
      decisions: await metric(/^huoma_decision_seconds_count (\d+)$/m),
      committed: await metric(/^huoma_recorder_batch_size_sum (\d+)$/m),
    };
    const live = await create({ name: 'metrics', url: 'https://a.example' });
    const paused = await create({ name: 'metrics paused', url: 'https://a.example', paused: true });
    await Promise.all([scan(live.slug), scan(live.slug), scan(paused.slug), scan('Zz9Zz9Zz')]);
    expect(await metric(/^huoma_scans_total\{outcome="redirect"\} (\d+)$/m)).toBe(before.redirect + 2);
    expect(await metric(/^huoma_scans_total\{outcome="paused"\} (\d+)$/m)).toBe(before.paused + 1);
    expect(await metric(/^huoma_scans_total\{outcome="not_found"\} (\d+)$/m)).toBe(before.missing + 1);
    expect(await metric(/^huoma_decision_seconds_count (\d+)$/m)).toBe(before.decisions + 3);
    expect(await metric(/^huoma_recorder_batch_size_sum (\d+)$/m)).toBe(before.committed + 3);
  });

  it('serves an OpenAPI document that covers every route', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = server.app.routes
      .filter((r) => r !== 'GET /api/v1/openapi.json')
      .map((r) => r.replace(/:(\w+)/g, '{$1}'));
    expect(registered.length).toBeGreaterThan(10);
    expect(documented.sort()).toEqual(registered.sort());
    const create = doc.paths['/api/v1/codes']!.post as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
    };
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['name', 'url', 'rules', 'maxScans']));
  });
});

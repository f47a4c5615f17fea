import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/db.ts';
import { TAG_GROUP } from '../../src/wecom/corp-tags.ts';
import { WeComSimulator } from '../../src/wecom/simulator/server.ts';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const TOKEN = 'HuomaCallback2026';
const AES_KEY = 'c'.repeat(21) + 'D'.repeat(21) + '7';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50';

describeEngines('customers through WeCom', (engine) => {
  let server: TestServer;
  let reopen: () => Promise<Storage>;
  let now = Date.now();
  const clock = { now: () => now };
  const wecom = new WeComSimulator('ww_sim_corp', 'sim-secret', clock);
  let apiBase: string;
  const ids: Record<string, string> = {};
  let code: { id: string; slug: string };

  const boot = async () => {
    // The same secret across the restart, as a deployment keeps it (HUOMA_SECRET or its data directory).
    server = await startServer(await reopen(), { HUOMA_SECRET: 'x'.repeat(40) }, { clock, welcomeRetryMs: 10 });
    wecom.callbackTo(`${server.url}/wecom/callback`, TOKEN, AES_KEY);
  };
  const scan = async () => (await fetch(`${server.url}/s/${code.slug}`, { headers: { accept: 'application/json', 'user-agent': PHONE } })).json();
  const wayOf = (qrUrl: string) => [...wecom.contactWays.values()].find((w) => w.qr_code === qrUrl)!;
  const customerOf = async (externalUserId: string) => {
    const list = await server.api('GET', `/api/v1/customers?codeId=${code.id}&limit=200`);
    return list.json.items.find((c: { externalUserId: string }) => c.externalUserId === externalUserId);
  };
  const tagNames = (externalUserId: string, userId: string) => {
    const names = new Map([...(wecom.tagGroups.get(TAG_GROUP)?.tags ?? new Map())].map(([name, id]) => [id, name]));
    return [...wecom.customers.get(externalUserId)!.follows.get(userId)!.tags].map((id) => names.get(id)).sort();
  };

  beforeAll(async () => {
    reopen = await engine.database();
    apiBase = await wecom.start();
    await boot();
    await server.api('PUT', '/api/v1/wecom/settings', { corpId: 'ww_sim_corp', secret: 'sim-secret', token: TOKEN, encodingAESKey: AES_KEY, apiBase });
    for (const u of ['zhangsan', 'lisi']) wecom.members.set(u, { refuseCode: 0 });
    ids.zhang = (await server.api('POST', '/api/v1/staff', { name: '张三', wecomUserId: 'zhangsan' })).json.id;
    ids.li = (await server.api('POST', '/api/v1/staff', { name: '李四', wecomUserId: 'lisi' })).json.id;
    ids.campaign = (await server.api('POST', '/api/v1/channels', { name: '双十一主会场', code: 'S11' })).json.id;
    ids.douyin = (await server.api('POST', '/api/v1/channels', { name: '抖音信息流', code: 'BJ_TT_AD', parentId: ids.campaign })).json.id;
    const made = await server.api('POST', '/api/v1/codes', {
      type: 'staff', name: '双十一导购码', members: [{ staffId: ids.zhang }], backupStaffIds: [ids.li], channelId: ids.douyin, tags: ['双十一'],
      welcomeMessages: [
        { name: '大促', text: '送你一张满减券', channelIds: [ids.campaign], link: { title: '领券', url: 'https://shop.example/coupon' } },
        { name: '默认', text: '欢迎！' },
      ],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    code = made.json;
  });
  afterAll(async () => {
    await server.close();
    await wecom.close();
  });

  it('scan → contact QR → add in WeCom → signed callback → customer attributed to code, channel and scan, tagged and welcomed; ' +
    'a restart in between loses nothing', async () => {
    const scanned = await scan();
    expect(scanned.decision).toMatchObject({ action: 'contact', staffId: ids.zhang });
    const way = wayOf(scanned.decision.qrUrl);
    expect(way).toMatchObject({ user: ['zhangsan'], state: `hm:${code.slug}` });

    await server.close();
    await boot();

    const added = await wecom.customerAdds(way.config_id, { name: '小王' });
    expect(added.response!.status, await added.response!.clone().text()).toBe(200);
    expect(await added.response!.text()).toBe('success');
    await expect.poll(async () => (await customerOf(added.externalUserId))?.touches?.[0]?.welcome?.status, { timeout: 5000 }).toBe('sent');
    const customer = await customerOf(added.externalUserId);
    expect(customer).toMatchObject({
      name: '小王', staffId: ids.zhang, status: 'active', tags: ['双十一', '抖音信息流'],
      attribution: { model: 'first_touch', codeId: code.id, channelId: ids.douyin },
    });
    expect(customer.touches).toEqual([
      expect.objectContaining({
        kind: 'add', codeId: code.id, channelId: ids.douyin, staffId: ids.zhang, scanId: scanned.scanId, welcome: { variant: 0, status: 'sent' },
      }),
    ]);
    expect(wecom.welcomes).toEqual([
      expect.objectContaining({
        externalUserId: added.externalUserId, text: '送你一张满减券', attachments: [{ msgtype: 'link', link: { title: '领券', url: 'https://shop.example/coupon' } }],
      }),
    ]);
    await expect.poll(() => tagNames(added.externalUserId, 'zhangsan')).toEqual(['双十一', '抖音信息流'].sort());
    expect([...wecom.contactWays.values()].filter((w) => w.state === `hm:${code.slug}`)).toHaveLength(2);

    // WeCom retries the same callback: nothing changes twice.
    expect((await wecom.sendEvent(added.fields)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await customerOf(added.externalUserId)).touches).toHaveLength(1);
    expect(wecom.welcomes).toHaveLength(1);

    const filtered = await server.api('GET', `/api/v1/customers?channelId=${ids.campaign}&tag=${encodeURIComponent('双十一')}`);
    expect(filtered.json.items.map((c: { externalUserId: string }) => c.externalUserId)).toContain(added.externalUserId);
    expect((await server.api('GET', `/api/v1/customers?tag=${encodeURIComponent('没有')}`)).json.items).toEqual([]);

    // The channel report rolls the sub-channel's figures up into the campaign.
    const report = (await server.api('GET', '/api/v1/channels/report')).json.items.find((c: { id: string }) => c.id === ids.campaign);
    expect(report).toMatchObject({ scans: { own: 0, total: 1 }, adds: { own: 0, total: 1 }, customers: { own: 0, total: 1 } });
    expect(report.children[0]).toMatchObject({ id: ids.douyin, scans: { own: 1, total: 1 }, adds: { own: 1, total: 1 }, customers: { own: 1, total: 1 } });
  });

  it('retries a welcome WeCom asks to retry (41096), and does not retry one already greeted (41051)', async () => {
    const way = wayOf((await scan()).decision.qrUrl);
    wecom.failWelcomes(41096, 41096);
    const retried = await wecom.customerAdds(way.config_id, { name: '小李' });
    await expect.poll(async () => (await customerOf(retried.externalUserId))?.touches?.[0]?.welcome?.status, { timeout: 5000 }).toBe('sent');
    wecom.failWelcomes(41051);
    const greeted = await wecom.customerAdds(way.config_id, { name: '小赵' });
    await expect.poll(async () => (await customerOf(greeted.externalUserId))?.touches?.[0]?.welcome?.status, { timeout: 5000 }).toBe('already_greeted');
    expect(wecom.welcomes.map((w) => w.externalUserId)).toContain(retried.externalUserId);
    expect(wecom.welcomes.map((w) => w.externalUserId)).not.toContain(greeted.externalUserId);

    // Variants side by side, for comparing them.
    const stats = (await server.api('GET', `/api/v1/codes/${code.id}/welcome-stats`)).json;
    expect(stats.variants).toEqual([
      { index: 0, name: '大促', text: '送你一张满减券', adds: 3, sent: 2, alreadyGreeted: 1, failed: 0, expired: 0 },
      { index: 1, name: '默认', text: '欢迎！', adds: 0, sent: 0, alreadyGreeted: 0, failed: 0, expired: 0 },
    ]);
  });

  it('keeps one identity across codes with the full touch history, credited by the first or the last touch', async () => {
    const other = (await server.api('POST', '/api/v1/codes', {
      type: 'staff', name: '门店码', members: [{ staffId: ids.li }], url: 'https://shop.example/sorry',
    })).json;
    const first = await wecom.customerAdds(wayOf((await scan()).decision.qrUrl).config_id, { name: '回头客' });
    await expect.poll(async () => (await customerOf(first.externalUserId))?.touches?.length ?? 0).toBe(1);
    now += 60_000;
    const body = await (await fetch(`${server.url}/s/${other.slug}`, { headers: { accept: 'application/json', 'user-agent': PHONE } })).json();
    await wecom.customerAdds(wayOf(body.decision.qrUrl).config_id, { name: '回头客', externalUserId: first.externalUserId });
    await expect.poll(async () => (await customerOf(first.externalUserId))?.touches?.length ?? 0).toBe(2);
    const one = await customerOf(first.externalUserId);
    expect(one.attribution).toMatchObject({ model: 'first_touch', codeId: code.id });
    expect(one.touches.map((t: { codeId: string }) => t.codeId)).toEqual([code.id, other.id]);

    expect((await server.api('PUT', '/api/v1/settings/attribution', { model: 'last_touch' })).status).toBe(200);
    const credited = await server.api('GET', `/api/v1/customers/${one.id}`);
    expect(credited.json.attribution).toMatchObject({ model: 'last_touch', codeId: other.id });
    expect((await server.api('GET', `/api/v1/customers?codeId=${other.id}`)).json.items.map((c: { id: string }) => c.id)).toContain(one.id);
    await server.api('PUT', '/api/v1/settings/attribution', { model: 'first_touch' });
  });

  it('finds an add whose callback WeCom lost, once', async () => {
    const lost = await wecom.customerAdds(wayOf((await scan()).decision.qrUrl).config_id, { name: '失联' }, { lost: true });
    expect(await customerOf(lost.externalUserId)).toBeUndefined();
    const found = await server.api('POST', '/api/v1/wecom/reconcile');
    expect(found.json.found).toBe(1);
    await expect.poll(async () => (await customerOf(lost.externalUserId))?.attribution?.codeId).toBe(code.id);
    expect((await server.api('POST', '/api/v1/wecom/reconcile')).json.found).toBe(0);
  });

  it('finds customers by part of their name, wildcards taken literally', async () => {
    const names = async (q: string) =>
      (await server.api('GET', `/api/v1/customers?${new URLSearchParams({ q, limit: '200' })}`)).json.items.map((c: { name: string }) => c.name).sort();
    expect(await names('小')).toEqual(['小李', '小王', '小赵'].sort());
    expect(await names('回头')).toEqual(['回头客']);
    expect(await names('%')).toEqual([]);
  });

  it('tags a customer who adds a store\'s member through a region code with the store\'s area tag', async () => {
    const store = (await server.api('POST', '/api/v1/stores', {
      name: '静安店', province: '上海', city: '上海', address: '南京西路 1 号', lat: 31.229, lng: 121.448, staffIds: [ids.li],
    })).json;
    const region = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '门店码', storeIds: [store.id], serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [ids.zhang],
      welcomeMessages: [{ text: '欢迎光临静安店' }],
    })).json;
    const { scanId } = await (await fetch(`${server.url}/s/${region.slug}`, { headers: { accept: 'application/json' } })).json();
    const located = await (await fetch(`${server.url}/s/${region.slug}/locate`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lat: 31.23, lng: 121.45, consent: true, scanId }),
    })).json();
    expect(located.decision).toMatchObject({ storeId: store.id, staffId: ids.li });
    const added = await wecom.customerAdds(wayOf(located.decision.qrUrl).config_id, { name: '静安客' });
    await expect.poll(async () => (await server.api('GET', `/api/v1/customers?codeId=${region.id}`)).json.items[0]?.tags).toEqual(['静安店属地']);
    await expect.poll(() => tagNames(added.externalUserId, 'lisi')).toEqual(['静安店属地']);
    expect(wecom.welcomes.find((w) => w.externalUserId === added.externalUserId)?.text).toBe('欢迎光临静安店');
  });

  it('hands a leaver\'s code places and customers to a colleague, in the operation log', async () => {
    const held = (await server.api('GET', `/api/v1/customers?staffId=${ids.zhang}&limit=200`)).json.items.length;
    expect(held).toBeGreaterThan(0);
    const left = await server.api('POST', `/api/v1/staff/${ids.zhang}/leave`, { handoverTo: ids.li });
    expect(left.status, JSON.stringify(left.json)).toBe(200);
    expect(left.json).toMatchObject({ staff: { status: 'left' }, customers: { transferred: held, failed: [] } });
    expect(left.json.codes).toContain(code.id);
    expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json).toMatchObject({ members: [{ staffId: ids.li, weight: 1 }], backupStaffIds: [ids.li] });
    expect((await server.api('GET', `/api/v1/customers?staffId=${ids.li}&limit=200`)).json.items.length).toBeGreaterThanOrEqual(held);
    expect(wecom.transfers.at(-1)).toMatchObject({ handover: 'zhangsan', takeover: 'lisi' });
    const log = await server.api('GET', `/api/v1/audit?objectId=${ids.zhang}`);
    expect(log.json.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['staff.hand_over', 'staff.leave']));
    expect((await scan()).decision.staffId).toBe(ids.li);
  });

  it('sends the app secret only to WeCom or a listed host: refused at save, and checked again before each call', async () => {
    const refusedHosts = [
      'http://localhost:1/', 'http://169.254.169.254/', 'http://qyapi.weixin.qq.com', 'https://qyapi.weixin.qq.com@10.0.0.1/',
      'https://qyapi.weixin.qq.com.evil.example/',
    ];
    for (const bad of refusedHosts) {
      const refused = await server.api('PUT', '/api/v1/wecom/settings', {
        corpId: 'ww_sim_corp', secret: 'sim-secret', token: TOKEN, encodingAESKey: AES_KEY, apiBase: bad,
      });
      expect(refused.status, bad).toBe(400);
      expect(refused.json.error.field).toBe('apiBase');
    }
    // Settings saved while the simulator's host was listed; the next start no longer lists it.
    await server.close();
    server = await startServer(await reopen(), { HUOMA_SECRET: 'x'.repeat(40), HUOMA_WECOM_ALLOW_HOSTS: '' }, { clock, welcomeRetryMs: 10 });
    const callsBefore = wecom.calls.length;
    const reconciled = await server.api('POST', '/api/v1/wecom/reconcile');
    expect(reconciled.status).toBe(503);
    expect(reconciled.json.error.message).toContain('HUOMA_WECOM_ALLOW_HOSTS');
    expect(wecom.calls.length).toBe(callsBefore);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromWgs84 } from '../../src/geo/coords.ts';
import { distanceKm } from '../../src/geo/distance.ts';
import { SecretBox } from '../../src/shared/secret-box.ts';
import type { Storage } from '../../src/storage/db.ts';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const SECRET = 's'.repeat(40);
const SHANGHAI_IP = '116.228.111.118';
const XUHUI = { lat: 31.19, lng: 121.43 }; // WGS-84
const PUDONG = { lat: 31.22, lng: 121.54 };
const BEIJING = { lat: 39.91, lng: 116.4 };
const HANGZHOU = { lat: 30.27, lng: 120.15 };

describeEngines('stores and region codes', (engine) => {
  let server: TestServer;
  let storage: Storage;
  const ids: Record<string, string> = {};
  let code: { id: string; slug: string };

  /** The location step of a fresh scan from the same browser. */
  const locate = async (slug: string, body: object, headers: Record<string, string> = {}) => {
    const { scanId } = await (await fetch(`${server.url}/s/${slug}`, { headers: { accept: 'application/json', ...headers } })).json();
    const res = await fetch(`${server.url}/s/${slug}/locate`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ scanId, ...body }),
    });
    return { status: res.status, json: await res.json(), cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') };
  };
  const addStore = async (name: string, at: { lat: number; lng: number }, extra: object = {}) => {
    const made = await server.api('POST', '/api/v1/stores', {
      name, province: '上海', city: '上海', address: `${name}路 1 号`, ...at, staffIds: [ids[name]], ...extra,
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    return (ids[`store:${name}`] = made.json.id);
  };

  beforeAll(async () => {
    storage = await engine.open();
    server = await startServer(storage, { HUOMA_SECRET: SECRET });
    for (const name of ['徐汇店', '浦东店', '北京店', '值班']) {
      const staff = { name: `${name}顾问`, contactQrUrl: `https://img.example/${encodeURIComponent(name)}.png` };
      ids[name] = (await server.api('POST', '/api/v1/staff', staff)).json.id;
    }
    // As copied from AMap: GCJ-02. The store keeps WGS-84.
    const xuhui = fromWgs84(XUHUI, 'gcj02');
    const made = await server.api('POST', '/api/v1/stores', {
      name: '徐汇店', province: '上海市', city: '上海市', address: '漕溪北路 1 号', lat: xuhui.lat, lng: xuhui.lng, coordSystem: 'gcj02', staffIds: [ids['徐汇店']],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    ids['store:徐汇店'] = made.json.id;
    await addStore('浦东店', PUDONG);
    await addStore('北京店', BEIJING, { province: '北京', city: '北京' });
    code = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '全国门店码', storeIds: [ids['store:徐汇店'], ids['store:浦东店'], ids['store:北京店']],
      serviceArea: { mode: 'distance', km: 5 }, switching: 'region', backupStaffIds: [ids['值班']],
    })).json;
  });
  afterAll(() => server.close());

  it('keeps coordinates in WGS-84 whatever they came in, and gives them back in the system asked for', async () => {
    const wgs = (await server.api('GET', `/api/v1/stores/${ids['store:徐汇店']}`)).json;
    expect(distanceKm(wgs, XUHUI) * 1000).toBeLessThan(1);
    expect(wgs).toMatchObject({ province: '上海市', provinceCode: '310000', city: '上海市', areaTag: '徐汇店属地', coordSystem: 'wgs84' });
    const gcj = (await server.api('GET', `/api/v1/stores/${ids['store:徐汇店']}?coordSystem=gcj02`)).json;
    expect(distanceKm(gcj, fromWgs84(XUHUI, 'gcj02')) * 1000).toBeLessThan(1);
    expect(distanceKm(gcj, wgs) * 1000).toBeGreaterThan(300);
  });

  it('refuses stores and codes it could not serve, naming the field', async () => {
    const bad: [string, object, string][] = [
      ['/api/v1/stores', { name: 'x', province: '火星', city: '上海', address: 'a', lat: 31, lng: 121 }, 'province'],
      ['/api/v1/stores', { name: 'x', province: '广东', city: '杭州', address: 'a', lat: 31, lng: 121 }, 'city'],
      ['/api/v1/stores', { name: 'x', province: '上海', city: '上海', address: 'a', lat: 91, lng: 121 }, 'lat'],
      ['/api/v1/stores', { name: 'x', province: '上海', city: '上海', address: 'a', lat: 31, lng: 121, coordSystem: 'mars' }, 'coordSystem'],
      [
        '/api/v1/codes',
        { type: 'region', name: 'x', storeIds: [ids['store:徐汇店']], serviceArea: { mode: 'distance', km: 0 }, backupStaffIds: [ids['值班']] },
        'serviceArea.km',
      ],
      [
        '/api/v1/codes',
        { type: 'region', name: 'x', storeIds: [ids['store:徐汇店']], serviceArea: { mode: 'distance', km: 1.5 }, backupStaffIds: [ids['值班']] },
        'serviceArea.km',
      ],
      [
        '/api/v1/codes',
        { type: 'region', name: 'x', storeIds: [ids['store:徐汇店']], serviceArea: { mode: 'distance', km: 10000 }, backupStaffIds: [ids['值班']] },
        'serviceArea.km',
      ],
      ['/api/v1/codes', { type: 'region', name: 'x', storeIds: [ids['store:徐汇店']], serviceArea: { mode: 'city' } }, 'backupStaffIds'],
      ['/api/v1/codes', { type: 'region', name: 'x', storeIds: ['sto_nowhere'], serviceArea: { mode: 'city' }, backupStaffIds: [ids['值班']] }, 'storeIds.0'],
    ];
    for (const [path, body, field] of bad) {
      const res = await server.api('POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.field).toBe(field);
    }
  });

  it('shows a landing page that says why it wants the location before asking', async () => {
    const page = await (await fetch(`${server.url}/s/${code.slug}`)).text();
    expect(page).toContain('为了给你匹配附近的门店，请授权位置信息；仅用于本次服务');
    const json = await (await fetch(`${server.url}/s/${code.slug}`, { headers: { accept: 'application/json' } })).json();
    expect(json.decision).toEqual({ action: 'locate', url: `/s/${code.slug}/locate`, rule: null });
  });

  it('matches the nearest store in the radius and its member; outside every area, the backup', async () => {
    const near = await locate(code.slug, { lat: 31.2, lng: 121.44, coordSystem: 'wgs84', consent: true });
    expect(near.json.decision).toMatchObject({ action: 'contact', storeId: ids['store:徐汇店'], staffId: ids['徐汇店'], fallback: false });
    expect(near.json.decision.distanceKm).toBeCloseTo(distanceKm({ lat: 31.2, lng: 121.44 }, XUHUI), 1);
    const far = await locate(code.slug, { ...HANGZHOU, consent: true });
    expect(far.json.decision).toMatchObject({ action: 'contact', staffId: ids['值班'], fallback: true });
    expect(far.json.match.rule).toBe('outside_area');
  });

  it('falls back to the IP\'s city when location is refused, then to backup staff', async () => {
    const byIp = await locate(code.slug, { consent: false }, { 'x-forwarded-for': SHANGHAI_IP });
    expect(byIp.json.match.rule).toBe('ip_city');
    expect([ids['store:徐汇店'], ids['store:浦东店']]).toContain(byIp.json.decision.storeId);
    const nothing = await locate(code.slug, { consent: false }, { 'x-forwarded-for': '10.1.2.3' });
    expect(nothing.json.decision).toMatchObject({ staffId: ids['值班'], fallback: true });
    const sneaky = await locate(code.slug, { consent: false, lat: 31.2, lng: 121.4 });
    expect(sneaky.status).toBe(400);
    expect(sneaky.json.error.field).toBe('consent');
  });

  it('keeps only a coarse location, encrypted, and the consent; never the position sent', async () => {
    await locate(code.slug, { lat: 31.223456, lng: 121.540987, consent: true });
    const rows = await storage.db.selectFrom('store_matches').selectAll().where('code_id', '=', code.id).orderBy('id').execute();
    const last = rows.at(-1)!;
    expect(last).toMatchObject({ consent: 1, source: 'gps', store_id: ids['store:浦东店'] });
    expect(last.coarse).not.toMatch(/31\.2|121\.5/);
    expect(JSON.parse(new SecretBox(SECRET, 'store match locations').open(last.coarse!))).toEqual({ lat: 31.22, lng: 121.54 });
    expect(rows.filter((r) => r.consent === 0).every((r) => r.coarse === null)).toBe(true);
    const everything = JSON.stringify(await storage.db.selectFrom('scans').selectAll().execute()) + JSON.stringify(rows);
    expect(everything).not.toContain('31.223456');
  });

  it('prefers a returning customer\'s usual area over where they are now, and says so', async () => {
    let cookie = '';
    for (let i = 0; i < 2; i++) {
      const r = await locate(code.slug, { ...XUHUI, consent: true }, cookie ? { cookie } : {});
      cookie ||= r.cookie;
      expect(r.json.decision.storeId).toBe(ids['store:徐汇店']);
    }
    const travelling = await locate(code.slug, { ...BEIJING, consent: true }, { cookie });
    expect(travelling.json.match.rule).toBe('home_area');
    expect(travelling.json.decision.storeId).toBe(ids['store:徐汇店']);
    const stranger = await locate(code.slug, { ...BEIJING, consent: true });
    expect(stranger.json.decision.storeId).toBe(ids['store:北京店']);
  });

  it('widens the radius in its peak hours, and with switching "any" sends a scanner far from everything to the nearest store', async () => {
    const peak = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '高峰码', storeIds: [ids['store:徐汇店']], serviceArea: { mode: 'distance', km: 1 }, backupStaffIds: [ids['值班']],
      radiusWindows: [{ timeOfDay: { from: '00:00', to: '23:59' }, km: 30 }],
    })).json;
    const widened = await locate(peak.slug, { ...PUDONG, consent: true });
    expect(widened.json.decision.storeId).toBe(ids['store:徐汇店']);
    const anywhere = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '就近码', storeIds: [ids['store:徐汇店'], ids['store:北京店']], serviceArea: { mode: 'distance', km: 5 }, switching: 'any',
      backupStaffIds: [ids['值班']],
    })).json;
    const fromHangzhou = await locate(anywhere.slug, { ...HANGZHOU, consent: true });
    expect(fromHangzhou.json).toMatchObject({ decision: { storeId: ids['store:徐汇店'], fallback: false }, match: { rule: 'nearest_anywhere' } });
  });

  it('matches by city, and simulates a location with every candidate\'s distance', async () => {
    const byCity = (await server.api('POST', '/api/v1/codes', {
      type: 'region', name: '同城码', storeIds: [ids['store:徐汇店'], ids['store:浦东店'], ids['store:北京店']], serviceArea: { mode: 'city' }, backupStaffIds: [ids['值班']],
    })).json;
    expect((await locate(byCity.slug, { lat: 31.3, lng: 121.5, consent: true })).json.match.rule).toBe('city');
    const simulated = await server.api('POST', `/api/v1/codes/${code.id}/simulate`, { location: { lat: 31.2, lng: 121.44 } });
    expect(simulated.json.decision).toMatchObject({ storeId: ids['store:徐汇店'] });
    expect(simulated.json.trace).toMatchObject({ rule: 'distance', radiusKm: 5 });
    expect(simulated.json.trace.candidates.map((c: { storeId: string }) => c.storeId)).toEqual([ids['store:徐汇店']]);
  });

  it('imports stores from CSV with a per-row report, nothing written on error unless asked, and exports them', async () => {
    const csv = [
      '门店名称,省份,城市,区县,地址,纬度,经度,员工',
      `静安店,上海,上海,静安区,南京西路 1 号,31.2289,121.4482,${ids['值班']}`,
      '火星店,火星,上海,,某路,31.2,121.4,',
      '"逗号,店",广东,深圳,南山区,"科技园 ""一"" 号",22.54,113.93,',
      '坏坐标店,广东,深圳,,某路,north,113.93,',
    ].join('\n');
    const strict = await fetch(`${server.url}/api/v1/stores/import`, {
      method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'text/csv' }, body: csv,
    });
    const report = await strict.json();
    expect(report).toMatchObject({ total: 4, imported: 0, failed: [{ row: 3, field: 'province' }, { row: 5, field: 'lat' }] });
    expect((await server.api('GET', '/api/v1/stores?q=静安')).json.items).toEqual([]);
    const partial = await (await fetch(`${server.url}/api/v1/stores/import?partial=true`, {
      method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'text/csv' }, body: csv,
    })).json();
    expect(partial).toMatchObject({ total: 4, imported: 2 });
    const exported = await (await fetch(`${server.url}/api/v1/stores/export`, { headers: { authorization: `Bearer ${await server.token()}` } })).text();
    expect(exported).toContain('静安店,上海市,上海市,静安区');
    expect(exported).toContain('"逗号,店"');
    const jingan = (await server.api('GET', '/api/v1/stores?q=静安')).json.items[0].id;
    const gone = await server.api('POST', '/api/v1/stores/batch-delete', { ids: [jingan, 'sto_missing'] });
    expect(gone.json).toEqual({ removed: 1, missing: ['sto_missing'] });
  });

  it('exports text a spreadsheet would run as a formula neutralised, and imports it back unchanged', async () => {
    const name = '=HYPERLINK("http://x")';
    const address = "@SUM(1+1) 路 '=1";
    const made = await server.api('POST', '/api/v1/stores', { name, province: '上海', city: '上海', address, lat: 31.22, lng: 121.45, areaTag: '-2+3' });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const auth = { authorization: `Bearer ${await server.token()}` };
    const exported = await (await fetch(`${server.url}/api/v1/stores/export`, { headers: auth })).text();
    const [header, ...lines] = exported.replace(/^\uFEFF/, '').trim().split('\r\n');
    const line = lines.find((l) => l.includes('HYPERLINK'))!;
    // Every cell opens as text: none starts with = + - @ (a quote goes first, as spreadsheets read it).
    expect(line).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(line).toContain(`,'@SUM(1+1) 路 '=1,`);
    expect(line).toMatch(/,'-2\+3$/);
    await server.api('POST', '/api/v1/stores/batch-delete', { ids: [made.json.id] });
    const imported = await (await fetch(`${server.url}/api/v1/stores/import`, {
      method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: `${header}\r\n${line}\r\n`,
    })).json();
    expect(imported).toMatchObject({ total: 1, imported: 1 });
    const back = (await server.api('GET', `/api/v1/stores?q=${encodeURIComponent('HYPERLINK')}`)).json.items;
    expect(back).toMatchObject([{ name, address, areaTag: '-2+3' }]);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { startServer, type TestServer } from '../support/server.ts';

const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
// 2026-12-01 09:30 in Shanghai, 2026-11-30 20:30 in New York: the two codes' "today" differ.
const NOW = Date.parse('2026-12-01T01:30:00Z');

describeEngines('recent scans of many codes at once (the list’s sparklines)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engine.open(), {}, { clock: { now: () => NOW } });
  });
  afterAll(() => server.close());

  const scan = (slug: string, ua = PHONE_UA) => fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': ua } }).then((r) => r.status);
  const create = async (body: object) => (await server.api('POST', '/api/v1/codes', { url: 'https://shop.example/a', ...body })).json;

  it('counts each code’s scans on each of its own local days, today last, bots left out', async () => {
    const shanghai = await create({ name: '上海门店' });
    const newYork = await create({ name: 'ny', timeZone: 'America/New_York' });
    for (const slug of [shanghai.slug, shanghai.slug, shanghai.slug, newYork.slug]) expect(await scan(slug)).toBe(302);
    expect(await scan(shanghai.slug, BOT)).toBe(302);

    const res = await server.api('GET', `/api/v1/codes/trend?ids=${newYork.id},${shanghai.id}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const [ny, sh] = res.json.items;
    expect(ny.id).toBe(newYork.id);
    expect(sh.perDay.map((d: { date: string }) => d.date)).toEqual([
      '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01',
    ]);
    expect(sh.perDay.at(-1)).toEqual({ date: '2026-12-01', scans: 3 });
    expect(sh.perDay.slice(0, -1).every((d: { scans: number }) => d.scans === 0)).toBe(true);
    expect(ny.perDay.at(-1)).toEqual({ date: '2026-11-30', scans: 1 });
    // The same figures the code's own statistics give for today.
    const stats = (await server.api('GET', `/api/v1/codes/${shanghai.id}/stats?from=2026-12-01&to=2026-12-01`)).json;
    expect(stats.scans).toBe(3);

    expect((await server.api('GET', `/api/v1/codes/trend?ids=${shanghai.id}&days=30`)).json.items[0].perDay).toHaveLength(30);
  });

  it('refuses what it cannot answer, naming the field', async () => {
    const code = await create({ name: 'x' });
    const field = async (query: string) => (await server.api('GET', `/api/v1/codes/trend${query}`)).json.error?.field;
    expect(await field('')).toBe('ids');
    expect(await field('?ids=')).toBe('ids');
    expect(await field(`?ids=${code.id}&days=0`)).toBe('days');
    expect(await field(`?ids=${code.id}&days=91`)).toBe('days');
    expect(await field(`?ids=${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`)).toBe('ids');
    const unknown = await server.api('GET', `/api/v1/codes/trend?ids=${code.id},cod_nosuch`);
    expect(unknown.status).toBe(404);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const IPHONE_WECHAT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const SHANGHAI_IP = '116.228.111.118';

/** A CSV as a spreadsheet reads it: quoted cells may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (ch !== '\r') cell += ch;
  }
  return rows;
}

/** The CSV's text, after checking it starts with the UTF-8 byte order mark Excel needs to read Chinese. */
async function csvOf(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes.subarray(3));
}

describeEngines('exporting a code’s scans as CSV', (engine) => {
  let server: TestServer;
  let code: { id: string; slug: string };
  beforeAll(async () => {
    server = await startServer(await engine.open());
    const made = await server.api('POST', '/api/v1/codes', { name: '双十一 海报 门店', url: 'https://shop.example/a', timeZone: 'Asia/Shanghai' });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    code = made.json;
    const scan = (headers: Record<string, string>) =>
      fetch(`${server.url}/s/${code.slug}`, { redirect: 'manual', headers: { 'user-agent': IPHONE_WECHAT, ...headers } }).then((r) => r.arrayBuffer());
    await scan({ 'x-forwarded-for': SHANGHAI_IP, referer: 'https://mp.weixin.qq.com/s/abc' });
    // A Referer is the scanner's to write: one that reads as a formula must reach a spreadsheet as text.
    await scan({ referer: '=HYPERLINK("http://evil.example","x")' });
    await scan({ 'user-agent': BOT });
  });
  afterAll(() => server.close());

  const download = (query = '', headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/codes/${code.id}/scans.csv${query}`, { headers: { authorization: `Bearer ${ownerToken}`, ...headers } });
  let ownerToken: string;
  beforeAll(async () => {
    ownerToken = await server.token('owner');
  });

  it('downloads the scans with Chinese headings, a BOM for Excel, local times and the code’s name as the file name', async () => {
    const res = await download();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toContain(`filename="${code.slug}-scans.csv"`);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(`双十一_海报_门店-${code.slug}-scans.csv`);
    const [head, ...rows] = parseCsv(await csvOf(res));
    expect(head!.slice(0, 3)).toEqual(['扫码时间', '扫码ID', '结果']);
    // Bots are left out unless asked for, as in every count.
    expect(rows).toHaveLength(2);
    const col = (name: string) => head!.indexOf(name);
    for (const r of rows) {
      expect(r[col('扫码时间')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(r[col('结果')]).toBe('redirect');
    }
    const listed = (await server.api('GET', `/api/v1/codes/${code.id}/scans`)).json.items;
    expect(rows.map((r) => r[col('扫码ID')])).toEqual(listed.map((s: { id: string }) => s.id));
    // Shanghai is UTC+8 all year: the local time is the scan's instant eight hours on.
    const first = listed[0];
    const local = new Date(Date.parse(first.scannedAt) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    expect(rows[0]![col('扫码时间')]).toBe(local);
    const referrers = rows.map((r) => r[col('来源')]);
    expect(referrers).toContain('\'=HYPERLINK("http://evil.example","x")');
    expect(rows.find((r) => r[col('来源')] === 'https://mp.weixin.qq.com/s/abc')![col('省份')]).toMatch(/上海/);
  });

  it('writes English headings when asked, and includes bots on request', async () => {
    const [head, ...rows] = parseCsv(await csvOf(await download('?lang=en&includeBots=true')));
    expect(head!.slice(0, 3)).toEqual(['Scanned at', 'Scan ID', 'Outcome']);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r[head!.indexOf('Bot')]).sort()).toEqual(['0', '0', '1']);
    const english = parseCsv(await csvOf(await download('', { 'accept-language': 'en-US,en;q=0.9' })))[0];
    expect(english![0]).toBe('Scanned at');
  });

  it('limits the export to a range of local days, and refuses a malformed one naming the field', async () => {
    const none = parseCsv(await csvOf(await download('?from=2020-01-01&to=2020-01-31')));
    expect(none).toHaveLength(1);
    const bad = await download('?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('from');
    expect((await download('?lang=fr')).status).toBe(400);
  });

  it('pages through a long history without losing or repeating a scan', async () => {
    const many = (await server.api('POST', '/api/v1/codes', { name: 'many', url: 'https://shop.example/m' })).json;
    // More than one page of the export (1,000 scans), and not a whole number of pages.
    const scanOnce = () => fetch(`${server.url}/s/${many.slug}`, { redirect: 'manual', headers: { 'user-agent': IPHONE_WECHAT } }).then((r) => r.arrayBuffer());
    await Promise.all(Array.from({ length: 1203 }, scanOnce));
    const res = await fetch(`${server.url}/api/v1/codes/${many.id}/scans.csv`, { headers: { authorization: `Bearer ${ownerToken}` } });
    const rows = parseCsv(await csvOf(res)).slice(1);
    expect(rows).toHaveLength(1203);
    expect(new Set(rows.map((r) => r[1])).size).toBe(1203);
  });
});

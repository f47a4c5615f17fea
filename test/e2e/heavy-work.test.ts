import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

// Heavy work runs in worker threads whatever the engine: SQLite is enough to show it.
describe('images and imports run beside the scans, within limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
  });
  afterAll(() => server.close());

  const codes = async (tag: string, count: number) => {
    const made = [];
    for (let i = 0; i < count; i++) {
      made.push((await server.api('POST', '/api/v1/codes', { type: 'url', name: `${tag}-${i}`, url: 'https://shop.example/a', tags: [tag] })).json);
    }
    return made as { id: string; slug: string; name: string }[];
  };
  const zip = (query: string, token: string) => fetch(`${server.url}/api/v1/codes/qr.zip?${query}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers scans and /healthz while four viewers each download a ZIP of 4096 px images', async () => {
    const [scanned] = await codes('scanme', 1);
    await codes('big', 16);
    const scan = () => fetch(`${server.url}/s/${scanned!.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    // The first scan of a process loads what scans need (the IP database, the code); that is not what is shown here.
    expect((await scan()).status).toBe(302);
    const viewers = await Promise.all([1, 2, 3, 4].map(() => server.token('viewer')));
    const finished: string[] = [];
    let begun!: () => void;
    const drawing = new Promise<void>((resolve) => (begun = resolve));
    const downloads = viewers.map(async (token) => {
      const reader = (await zip('tag=big&size=4096', token)).body!.getReader();
      const chunks: Uint8Array[] = [];
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        chunks.push(next.value);
        begun();
      }
      finished.push('zip');
      return Object.keys(unzipSync(Buffer.concat(chunks))).length;
    });
    // A ZIP has sent its first image: the images are being drawn when the scan comes.
    await drawing;
    await Promise.all([
      scan().then((r) => finished.push(`scan ${r.status}`)),
      fetch(`${server.url}/healthz`).then((r) => finished.push(`healthz ${r.status}`)),
    ]);
    expect(await Promise.all(downloads)).toEqual([16, 16, 16, 16]);
    expect(finished.slice(0, 2).sort()).toEqual(['healthz 200', 'scan 302']);
    expect(finished.slice(2)).toEqual(['zip', 'zip', 'zip', 'zip']);
  });

  it('lets one caller run two image jobs at once and tells a third to retry later', async () => {
    await codes('mine', 2);
    const viewer = await server.token('viewer');
    const answers = await Promise.all([1, 2, 3].map(() => zip('tag=mine&size=4096', viewer)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe('rate_limited');
    await Promise.all(answers.filter((r) => r.ok).map((r) => r.arrayBuffer()));
    // The jobs are over, so their places are free again.
    expect((await zip('tag=mine&size=64', viewer)).status).toBe(200);
  });

  it('refuses a ZIP over the pixel budget, naming ids when they were listed and size otherwise', async () => {
    const many = await codes('budget', 17);
    const byIds = await zip(`ids=${many.map((c) => c.id).join(',')}&size=4096`, await server.token('viewer'));
    expect(byIds.status).toBe(400);
    expect((await byIds.json()).error).toMatchObject({ code: 'validation_failed', field: 'ids' });
    const byTag = await zip('tag=budget&size=4096', await server.token('viewer'));
    expect((await byTag.json()).error).toMatchObject({ code: 'validation_failed', field: 'size' });
    const smaller = await zip('tag=budget&size=1024', await server.token('viewer'));
    expect(Object.keys(unzipSync(new Uint8Array(await smaller.arrayBuffer())))).toHaveLength(17);
  });

  it('reports each bad row of a large import parsed in a worker, and answers scans and /healthz meanwhile', async () => {
    const [scanned] = await codes('import-scan', 1);
    const scan = () => fetch(`${server.url}/s/${scanned!.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    expect((await scan()).status).toBe(302);
    const rows = Array.from({ length: 50_000 }, (_, i) => `店${i},上海,上海,路 ${i} 号,31.2,121.4`);
    rows[7] = '火星店,火星,上海,某路,31.2,121.4';
    const csv = Buffer.from(['name,province,city,address,lat,lng', ...rows].join('\n'));
    let sent!: () => void;
    const uploaded = new Promise<void>((resolve) => (sent = resolve));
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at < csv.length) return controller.enqueue(csv.subarray(at, (at += 64 * 1024)));
        controller.close();
        sent();
      },
    });
    const finished: string[] = [];
    const imported = fetch(`${server.url}/api/v1/stores/import`, {
      method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'text/csv' }, body, duplex: 'half',
    } as RequestInit).then(async (r) => {
      finished.push('import');
      return r.json();
    });
    // The whole file is sent: the server is reading it when the scan comes.
    await uploaded;
    await Promise.all([
      scan().then((r) => finished.push(`scan ${r.status}`)),
      fetch(`${server.url}/healthz`).then((r) => finished.push(`healthz ${r.status}`)),
    ]);
    expect(await imported).toMatchObject({ total: 50_000, imported: 0, failed: [{ row: 9, field: 'province' }] });
    expect(finished.slice(0, 2).sort()).toEqual(['healthz 200', 'scan 302']);
    expect(finished[2]).toBe('import');
  });

  it('refuses an import of more rows than the limit, naming the body, and writes nothing', async () => {
    const row = '店,上海,上海,路 1 号,31.2,121.4';
    const csv = ['name,province,city,address,lat,lng', ...Array.from({ length: 100_001 }, () => row)].join('\n');
    const res = await fetch(`${server.url}/api/v1/stores/import`, {
      method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'text/csv' }, body: csv,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'validation_failed', field: 'body' });
    expect((await server.api('GET', '/api/v1/stores?limit=1')).json.items).toEqual([]);
  });
});

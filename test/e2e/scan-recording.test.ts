import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { startServer, type TestServer } from '../support/server.ts';

const WORKERS = 8;

/** Scans a code from `WORKERS` concurrent clients until `stop()`; every answer's status, in order. */
async function load(url: string, slug: string, stop: () => boolean): Promise<number[]> {
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (!stop()) {
        const res = await fetch(`${url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  return statuses;
}

describe.each(engines())('deleting a code under load on $name', (engine) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("fails no scan of another code, answers the deleted code's scans 302 or 404, and deletes without error", async () => {
    server = await startServer(await engine.open());
    const { url } = server;
    for (let round = 0; round < 3; round++) {
      const kept = (await server.api('POST', '/api/v1/codes', { name: 'kept', url: 'https://shop.example/kept' })).json;
      const doomed = (await server.api('POST', '/api/v1/codes', { name: 'doomed', url: 'https://shop.example/doomed' })).json;
      let deleted = false;
      let stopKept = false;
      const onKept = load(url, kept.slug, () => stopKept);
      const onDoomed = load(url, doomed.slug, () => deleted);
      // Deleted while both codes are being scanned: its batches carry rows of both codes.
      await new Promise((r) => setTimeout(r, 300));
      const removal = await server.api('DELETE', `/api/v1/codes/${doomed.id}`);
      deleted = true;
      const doomedStatuses = await onDoomed;
      // Keep scanning the other code a little after the delete, while its batches settle.
      await new Promise((r) => setTimeout(r, 200));
      stopKept = true;
      const keptStatuses = await onKept;

      expect(removal.status).toBe(204);
      expect(keptStatuses.length).toBeGreaterThan(20);
      expect(keptStatuses.filter((s) => s !== 302)).toEqual([]);
      expect(doomedStatuses.filter((s) => s !== 302 && s !== 404)).toEqual([]);
      expect((await fetch(`${url}/s/${doomed.slug}`, { redirect: 'manual' })).status).toBe(404);
      // The other code counts every scan it answered.
      const after = (await server.api('GET', `/api/v1/codes/${kept.id}`)).json;
      expect(after.scanCount).toBe(keptStatuses.length);
    }
  });
});

describe('a sync that fails after the commit', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('keeps the committed scans counted and answers them as stored', async () => {
    const storage = await engines()[0]!.open();
    let failSync = false;
    server = await startServer({ ...storage, durable: () => (failSync ? Promise.reject(new Error('EIO: fdatasync failed')) : storage.durable()) });
    const code = (await server.api('POST', '/api/v1/codes', { name: 'capped', url: 'https://shop.example/prize', maxScans: 2 })).json;
    failSync = true;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/s/${code.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    failSync = false;
    // Two scans stored and served, the third refused by the cap: rows and counts agree.
    expect(statuses).toEqual([302, 302, 200]);
    expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json).toMatchObject({ scanCount: 2, status: 'limit_reached' });
    const rows = (await server.api('GET', `/api/v1/codes/${code.id}/scans`)).json.items.map((s: { outcome: string }) => s.outcome);
    expect(rows.sort()).toEqual(['limit_reached', 'redirect', 'redirect']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engines } from '../support/engines.ts';
import { FAIL_SYNC } from '../support/failing-sync-writer.ts';
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

describe.each(engines())('changing codes while scans are written on $name', (engine) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // Scans are committed by a thread of their own, on its own connection: an edit that reads the code
  // and then writes it must wait for a scan batch's commit, never fail because one came in between.
  it('answers every edit and every scan', async () => {
    server = await startServer(await engine.open());
    const scanned = (await server.api('POST', '/api/v1/codes', { name: 'scanned', url: 'https://shop.example/a' })).json;
    const edited = (await server.api('POST', '/api/v1/codes', { name: 'edited', url: 'https://shop.example/0' })).json;
    let done = false;
    const scans = load(server.url, scanned.slug, () => done);
    const edits: number[] = [];
    for (let i = 1; i <= 40; i++) {
      edits.push((await server.api('PATCH', `/api/v1/codes/${edited.id}`, { url: `https://shop.example/${i}`, tags: [`t${i}`] })).status);
    }
    done = true;
    const statuses = await scans;
    expect(edits.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 302)).toEqual([]);
    expect((await server.api('GET', `/api/v1/codes/${edited.id}`)).json).toMatchObject({ url: 'https://shop.example/40', tags: ['t40'] });
    expect((await server.api('GET', `/api/v1/codes/${scanned.id}`)).json.scanCount).toBe(statuses.length);
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
    // The scan writer thread syncs the disk; this one's sync fails while the flag file exists.
    server = await startServer(storage, {}, { scanWriter: new URL('../support/failing-sync-writer.ts', import.meta.url).href });
    const flag = join(storage.options.dataDir, FAIL_SYNC);
    const code = (await server.api('POST', '/api/v1/codes', { name: 'capped', url: 'https://shop.example/prize', maxScans: 2 })).json;
    writeFileSync(flag, '');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/s/${code.slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    rmSync(flag);
    // Two scans stored and served, the third refused by the cap: rows and counts agree.
    expect(statuses).toEqual([302, 302, 200]);
    expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json).toMatchObject({ scanCount: 2, status: 'limit_reached' });
    const rows = (await server.api('GET', `/api/v1/codes/${code.id}/scans`)).json.items.map((s: { outcome: string }) => s.outcome);
    expect(rows.sort()).toEqual(['limit_reached', 'redirect', 'redirect']);
  });
});

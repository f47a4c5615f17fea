import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines, engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const MB = 1024 * 1024;

/** A real image of about `bytes` bytes: noise barely compresses, so its size is what the test needs. */
async function noisePng(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 3));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}
const tiny = (format: 'png' | 'jpeg' | 'webp' | 'gif') =>
  sharp({ create: { width: 8, height: 6, channels: 3, background: '#3366cc' } }).toFormat(format).toBuffer();

/** An upload as a client makes it: the raw file as the body, its description in the query. */
async function uploadTo(server: TestServer, token: string, body: Buffer | string, query: string, type = 'image/png') {
  const headers = { authorization: `Bearer ${token}`, 'content-type': type };
  const res = await fetch(`${server.url}/api/v1/materials?${query}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

describeEngines('material quota under concurrent uploads', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    // A quota that two 7 MB uploads cannot share; one file may still have the default 10 MB.
    server = await startServer(await engine.open(), { HUOMA_MATERIAL_QUOTA_MB: '12' });
  });
  afterAll(() => server?.close());

  it('lets only one of two concurrent uploads take the last free bytes', async () => {
    const token = await server.token('owner');
    const [a, b] = [await noisePng(7 * MB), await noisePng(7 * MB)];
    const results = await Promise.all([uploadTo(server, token, a, 'name=a&kind=poster'), uploadTo(server, token, b, 'name=b&kind=poster')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    // The second waits for the first and finds the library full; PostgreSQL may instead refuse it as a conflict (409, retry).
    expect([409, 413]).toContain(statuses[1]);
    const full = results.find((r) => r.status !== 201)!;
    if (full.status === 413) expect(full.json.error.message).toMatch(/library is full: 7\.\d MB of 12\.0 MB used, this image needs 7\.\d MB/);
    const stored = results.find((r) => r.status === 201)!.json;
    expect((await server.api('GET', '/api/v1/materials/usage', undefined, token)).json.used).toBe(stored.size);
    expect((await server.api('GET', '/api/v1/materials?limit=10', undefined, token)).json.items).toHaveLength(1);
    // Deleting it gives the bytes back: the other fits now.
    expect((await server.api('DELETE', `/api/v1/materials/${stored.id}`, undefined, token)).status).toBe(204);
    expect((await server.api('GET', '/api/v1/materials/usage', undefined, token)).json.used).toBe(0);
    expect((await uploadTo(server, token, b, 'name=b&kind=poster')).status).toBe(201);
  });
});

describe('material library over HTTP', () => {
  let server: TestServer;
  let ownerToken: string;
  const owner = async () => (ownerToken ??= await server.token('owner'));
  const upload = async (body: Buffer | string, query: string, type = 'image/png', token?: string) =>
    uploadTo(server, token ?? (await owner()), body, query, type);

  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
  });
  afterAll(() => server.close());

  it('takes PNG, JPEG, WebP and GIF, by their bytes, and lists them newest first by kind with a cursor', async () => {
    const made: string[] = [];
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) {
      // Sent as bytes of no declared image type: what the file is comes from the file.
      const res = await upload(await tiny(format), `name=${encodeURIComponent(`背景 ${format}`)}&kind=page`, 'application/octet-stream');
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      expect(res.json).toMatchObject({ name: `背景 ${format}`, kind: 'page', mime: `image/${format}`, width: 8, height: 6, departmentId: null });
      expect(new URL(res.json.url).pathname).toBe(`/m/${res.json.id}`);
      made.push(res.json.id);
    }
    const logo = await upload(await tiny('png'), 'name=logo&kind=logo');
    expect(logo.status).toBe(201);
    const first = await server.api('GET', '/api/v1/materials?kind=page&limit=3');
    expect(first.json.items.map((m: { id: string }) => m.id)).toEqual(made.slice(1).reverse());
    const rest = await server.api('GET', `/api/v1/materials?kind=page&limit=3&cursor=${first.json.nextCursor}`);
    expect(rest.json.items.map((m: { id: string }) => m.id)).toEqual([made[0]]);
    const usage = (await server.api('GET', '/api/v1/materials/usage')).json;
    expect(usage).toEqual({ used: expect.any(Number), quota: 500 * MB, maxFile: 10 * MB });
    expect(usage.used).toBeGreaterThan(0);
  });

  it('refuses SVG, HTML dressed as PNG, a broken image and a JSON body, naming the body and the rule', async () => {
    const svg = await upload('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'name=s&kind=page', 'image/svg+xml');
    expect(svg.status).toBe(415);
    expect(svg.json.error).toMatchObject({ code: 'unsupported_media_type', field: 'body' });
    expect(svg.json.error.message).toContain('SVG is not accepted');
    const html = await upload('<!doctype html><script>alert(1)</script>', 'name=h&kind=page', 'image/png');
    expect(html.status).toBe(415);
    expect(html.json.error.message).toContain('PNG, JPEG, WebP or GIF');
    const broken = await upload(Buffer.concat([(await tiny('png')).subarray(0, 16)]), 'name=b&kind=page');
    expect(broken.status).toBe(400);
    expect(broken.json.error.field).toBe('body');
    const json = await server.api('POST', '/api/v1/materials?name=j&kind=page', { image: 'nope' });
    expect(json.status).toBe(415);
    const badKind = await upload(await tiny('png'), 'name=k&kind=banner');
    expect(badKind.status).toBe(400);
    expect(badKind.json.error.field).toBe('kind');
  });

  it('refuses a file over the limit unread, 413, and says so in Chinese to a Chinese reader', async () => {
    const res = await fetch(`${server.url}/api/v1/materials?name=big&kind=poster`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await owner()}`, 'content-type': 'image/png', 'accept-language': 'zh-CN' },
      body: Buffer.alloc(10 * MB + 1),
    });
    expect(res.status).toBe(413);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'payload_too_large', field: 'body' });
    expect(error.message).toContain('请求内容过大');
  });

  it('serves the image at its public address without sign-in, cached for good, and revalidates by ETag', async () => {
    const png = await tiny('png');
    const { json: m } = await upload(png, 'name=pub&kind=page');
    const url = `${server.url}${new URL(m.url).pathname}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toBe(`"${m.sha256}"`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    expect((await fetch(url, { headers: { 'if-none-match': `"${m.sha256}"` } })).status).toBe(304);
    expect((await fetch(`${server.url}/m/mat_nosuch`)).status).toBe(404);
    const viaApi = await fetch(`${server.url}/api/v1/materials/${m.id}/content`, { headers: { authorization: `Bearer ${await owner()}` } });
    expect(viaApi.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await viaApi.arrayBuffer())).toEqual(png);
  });

  it('renames, deletes, and logs each change', async () => {
    const { json: m } = await upload(await tiny('png'), 'name=old&kind=welcome');
    const renamed = await server.api('PATCH', `/api/v1/materials/${m.id}`, { name: '欢迎语配图' });
    expect(renamed.json).toMatchObject({ id: m.id, name: '欢迎语配图', sha256: m.sha256 });
    expect((await server.api('PATCH', `/api/v1/materials/${m.id}`, { name: '' })).json.error.field).toBe('name');
    expect((await server.api('DELETE', `/api/v1/materials/${m.id}`)).status).toBe(204);
    expect((await server.api('GET', `/api/v1/materials/${m.id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/m/${m.id}`)).status).toBe(404);
    const log = (await server.api('GET', '/api/v1/audit?objectType=material&limit=50')).json.items.filter((e: any) => e.object.id === m.id);
    expect(log.map((e: { action: string }) => e.action).sort()).toEqual(['material.create', 'material.delete', 'material.rename']);
  });

  it('keeps another department’s key from reading, listing, renaming or deleting a material, and places uploads in its own', async () => {
    const east = (await server.api('POST', '/api/v1/departments', { name: '华东' })).json.id;
    const south = (await server.api('POST', '/api/v1/departments', { name: '华南' })).json.id;
    const eastKey = (await server.api('POST', '/api/v1/tokens', { name: 'e', role: 'admin', departments: [east] })).json.token;
    const southKey = (await server.api('POST', '/api/v1/tokens', { name: 's', role: 'admin', departments: [south] })).json.token;
    const mine = await upload(await tiny('png'), 'name=mine&kind=page', 'image/png', eastKey);
    expect(mine.json.departmentId).toBe(east);
    expect((await upload(await tiny('png'), `name=x&kind=page&departmentId=${south}`, 'image/png', eastKey)).status).toBe(403);
    for (const [method, path, body] of [
      ['GET', `/api/v1/materials/${mine.json.id}`],
      ['GET', `/api/v1/materials/${mine.json.id}/content`],
      ['GET', `/api/v1/materials/${mine.json.id}/uses`],
      ['PATCH', `/api/v1/materials/${mine.json.id}`, { name: 'theirs now' }],
      ['DELETE', `/api/v1/materials/${mine.json.id}`],
    ] as const) {
      expect((await server.api(method, path, body, southKey)).status, `${method} ${path}`).toBe(403);
    }
    const listed = (await server.api('GET', '/api/v1/materials?limit=100', undefined, southKey)).json.items.map((m: { id: string }) => m.id);
    expect(listed).not.toContain(mine.json.id);
    expect((await server.api('GET', `/api/v1/materials/${mine.json.id}`, undefined, eastKey)).status).toBe(200);
  });
});

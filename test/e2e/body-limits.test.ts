import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const MB = 1024 * 1024;

/**
 * Announces a body of `announced` bytes, sends only `sent` of them and waits for the answer. A
 * server that buffers the body before deciding never answers (the test times out); one that
 * refuses first answers at once.
 */
function partialPost(url: string, headers: Record<string, string>, announced: number, sent: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(announced) } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body });
      });
    });
    req.on('error', reject);
    req.write(Buffer.alloc(sent, 'a'));
  });
}

/** Sends the whole body, chunked (no Content-Length to refuse up front). */
async function chunkedPost(url: string, contentType: string, bytes: number): Promise<{ status: number; json: any }> {
  const chunk = new Uint8Array(64 * 1024).fill(97);
  let left = bytes;
  const body = new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      controller.enqueue(chunk.subarray(0, Math.min(chunk.length, left)));
      left -= chunk.length;
    },
  });
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body, duplex: 'half' } as RequestInit);
  return { status: res.status, json: await res.json() };
}

describe.each(engines())('request bodies are read only as far as the route allows, on $name', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await engine.open());
  });
  afterAll(() => server.close());

  it('refuses an unauthenticated 5 MB CSV (or JSON) POST to an API route before reading its body', async () => {
    for (const path of ['/api/v1/stores/import', '/api/v1/codes', '/api/v1/stores']) {
      for (const type of ['text/csv', 'application/json']) {
        const res = await partialPost(server.url + path, { 'content-type': type }, 5 * MB, 64 * 1024);
        expect(res.status, `${type} to ${path}`).toBe(401);
        expect(JSON.parse(res.body).error.code).toBe('unauthorized');
      }
    }
    // A key without the permission is refused just as early.
    const viewer = await server.token('viewer');
    const viewerHeaders = { 'content-type': 'text/csv', authorization: `Bearer ${viewer}` };
    const denied = await partialPost(`${server.url}/api/v1/stores/import`, viewerHeaders, 5 * MB, 64 * 1024);
    expect(denied.status).toBe(403);
  });

  it('takes a CSV only on the store import, and an import larger than the JSON limit from an authorised caller', async () => {
    const owner = await server.token();
    // Two stores and a long remark column the import ignores: a file past the JSON limit without thousands of rows.
    const remark = 'x'.repeat(800 * 1024);
    const csv = [
      'name,province,city,district,address,lat,lng,remark',
      `静安店,上海市,上海市,静安区,南京西路1号,31.22,121.45,${remark}`,
      `徐汇店,上海市,上海市,徐汇区,漕溪北路1号,31.19,121.43,${remark}`,
    ].join('\n');
    const imported = await fetch(`${server.url}/api/v1/stores/import`, {
      method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'text/csv' }, body: csv,
    });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ total: 2, imported: 2 });

    const elsewhere = await fetch(`${server.url}/api/v1/codes`, {
      method: 'POST', headers: { authorization: `Bearer ${owner}`, 'content-type': 'text/csv' }, body: 'name,url\na,https://a.example/',
    });
    expect(elsewhere.status).toBe(415);
    expect((await elsewhere.json()).error.field).toBe('body');
    const bigJson = await fetch(`${server.url}/api/v1/codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', url: 'https://a.example/', note: 'x'.repeat(2 * MB) }),
    });
    expect(bigJson.status).toBe(413);
  });

  it('answers 413 with a JSON error to oversize bodies on public routes, announced or chunked', async () => {
    const publicRoutes = ['/s/AbCd2345/locate', '/wecom/callback?msg_signature=0&timestamp=0&nonce=0', '/api/v1/session', '/no/such/route'];
    for (const path of publicRoutes) {
      for (const type of ['application/json', 'text/xml', 'text/csv']) {
        const announced = await partialPost(server.url + path, { 'content-type': type }, 5 * MB, 1024);
        expect(announced.status, `${type} announced to ${path}`).toBe(413);
        expect(JSON.parse(announced.body).error).toMatchObject({ code: 'payload_too_large', field: 'body' });
        const chunked = await chunkedPost(server.url + path, type, 1 * MB);
        expect(chunked.status, `${type} chunked to ${path}`).toBe(413);
        expect(chunked.json.error.code).toBe('payload_too_large');
      }
    }
    // A real locate body is far below the limit.
    const small = await fetch(`${server.url}/s/AbCd2345/locate`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ consent: false }),
    });
    expect(small.status).toBe(404);
  });
});

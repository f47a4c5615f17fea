import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const CJK = /[\u4e00-\u9fff]/;

describe('API error messages follow Accept-Language; code and field do not', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer(await engines()[0]!.open());
    token = await server.token('owner');
  });
  afterAll(() => server.close());

  const call = async (method: string, path: string, language: string | undefined, body?: unknown, auth = true) => {
    const res = await fetch(server.url + path, {
      method,
      headers: {
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
        ...(language === undefined ? {} : { 'accept-language': language }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string; field?: string } }).error };
  };

  it('answers the same bad request in Chinese or English', async () => {
    const bad = { name: '海报', url: 'https://shop.example/a', maxScans: 0 };
    const zh = await call('POST', '/api/v1/codes', 'zh-CN,zh;q=0.9,en;q=0.8', bad);
    const en = await call('POST', '/api/v1/codes', 'en-US,en;q=0.9', bad);
    const unsaid = await call('POST', '/api/v1/codes', undefined, bad);
    expect(zh.status).toBe(400);
    expect([en.status, unsaid.status]).toEqual([400, 400]);
    expect({ code: zh.error.code, field: zh.error.field }).toEqual({ code: 'validation_failed', field: 'maxScans' });
    expect({ code: en.error.code, field: en.error.field }).toEqual({ code: 'validation_failed', field: 'maxScans' });
    expect(zh.error.message).toBe('maxScans：必须大于 0');
    expect(en.error.message).toMatch(/^maxScans: /);
    expect(en.error.message).not.toMatch(CJK);
    // Scripts that name no language get English.
    expect(unsaid.error).toEqual(en.error);
  });

  it('weighs the languages a client lists, and covers refusals that are not validation', async () => {
    const ranked = await call('POST', '/api/v1/codes', 'en;q=0.5, zh-CN;q=0.9', { name: 'x', url: 'https://shop.example/a', extra: 1 });
    expect(ranked.error).toEqual({ code: 'validation_failed', field: 'extra', message: 'extra：未知字段' });

    const wrongType = await call('POST', '/api/v1/codes', 'zh-CN', { name: 5, url: 'https://shop.example/a' });
    expect(wrongType.error).toMatchObject({ field: 'name', message: 'name：应为文本' });
    expect((await call('POST', '/api/v1/codes', 'en', { name: 5, url: 'https://shop.example/a' })).error.message).not.toContain('required');

    const missing = await call('GET', '/api/v1/codes/nope', 'zh-TW,zh;q=0.9');
    expect(missing).toMatchObject({ status: 404, error: { code: 'not_found' } });
    expect(missing.error.message).toMatch(CJK);
    const anonymous = await call('GET', '/api/v1/codes', 'zh', undefined, false);
    expect(anonymous).toMatchObject({ status: 401, error: { code: 'unauthorized' } });
    expect(anonymous.error.message).toMatch(CJK);
    const anonymousEn = await call('GET', '/api/v1/codes', 'en', undefined, false);
    expect(anonymousEn.error.message).toBe('sign in, or send an API key as "Authorization: Bearer <key>"');
  });

  it('answers a broken %-escape in the address with the same error body, in either language', async () => {
    for (const path of ['/api/v1/codes/%E0%A4%A', '/s/%E0%A4%A']) {
      const zh = await call('GET', path, 'zh-CN');
      expect(zh).toMatchObject({ status: 400, error: { code: 'validation_failed', field: 'path' } });
      expect(zh.error.message).toMatch(CJK);
      expect((await call('GET', path, 'en')).error.message).not.toMatch(CJK);
    }
  });
});

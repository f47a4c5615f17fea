import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** Restoring a version of a code: a new version that takes effect on the next scan, checked and held like any edit. */
describeEngines('restoring a version of a code', (engine) => {
  let server: TestServer;
  let owner: string;
  beforeAll(async () => {
    server = await startServer(await engine.open());
    owner = await server.token();
  });
  afterAll(() => server.close());

  const destination = async (slug: string) =>
    (await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } })).headers.get('location');
  /** The restore as a client sends it (no body), with the owner's key unless another is given. */
  const restore = async (id: string, version: number | string, token?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/api/v1/codes/${id}/versions/${version}/restore`, {
      method: 'POST', headers: { authorization: `Bearer ${token ?? owner}`, ...headers },
    });
    return { status: res.status, json: await res.json() };
  };
  const create = async (body: object) => {
    const res = await server.api('POST', '/api/v1/codes', body);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json as { id: string; slug: string; page: unknown };
  };
  const change = async (id: string, body: object) => expect((await server.api('PATCH', `/api/v1/codes/${id}`, body)).status).toBe(200);

  it('sends the very next scan to the old destination, as a new version that undoes the changes since', async () => {
    const code = await create({ name: '双十一海报', url: 'https://shop.example/v1', tags: ['海报'] });
    await change(code.id, { url: 'https://shop.example/v2', note: '大促', tags: ['海报', '大促'] });
    expect(await destination(code.slug)).toBe('https://shop.example/v2');

    // Asked first, the server says what the restore would change, and changes nothing.
    const preview = await server.api('GET', `/api/v1/codes/${code.id}/versions/1/restore`);
    expect(preview.status).toBe(200);
    expect(preview.json.changes).toEqual(expect.arrayContaining([
      { field: 'url', from: 'https://shop.example/v2', to: 'https://shop.example/v1' },
      { field: 'note', from: '大促', to: null },
    ]));
    expect(preview.json.changes).toHaveLength(3);
    expect(await destination(code.slug)).toBe('https://shop.example/v2');

    const restored = await restore(code.id, 1);
    expect(restored.status, JSON.stringify(restored.json)).toBe(200);
    expect(restored.json).toMatchObject({ url: 'https://shop.example/v1', note: null, tags: ['海报'], version: 3 });
    expect(await destination(code.slug)).toBe('https://shop.example/v1');

    const versions = (await server.api('GET', `/api/v1/codes/${code.id}/versions`)).json.items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0].changes).toEqual([
      { field: 'url', from: 'https://shop.example/v2', to: 'https://shop.example/v1' },
      { field: 'tags', from: ['海报', '大促'], to: ['海报'] },
      { field: 'note', from: '大促', to: null },
    ]);
    // History is added to, never rewritten: version 2 still says what it was.
    expect(versions[1].snapshot.url).toBe('https://shop.example/v2');
    const log = (await server.api('GET', `/api/v1/audit?objectId=${code.id}`)).json.items;
    expect(log[0]).toMatchObject({ action: 'code.restore_version', outcome: 'ok' });

    // Restoring what the code already is changes nothing and adds no version.
    expect((await restore(code.id, 1)).json.version).toBe(3);
    // A stale If-Match is refused as for PATCH.
    const stale = await restore(code.id, 2, undefined, { 'if-match': '2' });
    expect(stale.status).toBe(409);
    expect(await destination(code.slug)).toBe('https://shop.example/v1');
  });

  it('answers 404 for a version the code never had, 400 for one that is no number, 404 for an unknown code', async () => {
    const code = await create({ name: '门店', url: 'https://shop.example/a' });
    const unknown = await restore(code.id, 7);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toBe('version not found');
    const bad = await restore(code.id, 'latest');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('version');
    expect((await restore('cod_nosuch', 1)).status).toBe(404);
  });

  it('refuses another department’s key as PATCH does, and restores for the code’s own department', async () => {
    const east = (await server.api('POST', '/api/v1/departments', { name: '华东' })).json.id;
    const south = (await server.api('POST', '/api/v1/departments', { name: '华南' })).json.id;
    const southKey = (await server.api('POST', '/api/v1/tokens', { name: '华南运营', role: 'operator', departments: [south] })).json.token;
    const eastKey = (await server.api('POST', '/api/v1/tokens', { name: '华东运营', role: 'operator', departments: [east] })).json.token;
    const analyst = await server.token('analyst');
    const code = await create({ name: '华东海报', url: 'https://shop.example/e1', departmentId: east });
    await change(code.id, { url: 'https://shop.example/e2' });

    const patch = await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/x' }, southKey);
    const restored = await restore(code.id, 1, southKey);
    expect(restored.status).toBe(403);
    expect(restored.json.error).toEqual(patch.json.error);
    expect((await restore(code.id, 1, analyst)).status).toBe(403);
    expect(await destination(code.slug)).toBe('https://shop.example/e2');
    expect((await restore(code.id, 1, eastKey)).status).toBe(200);
    expect(await destination(code.slug)).toBe('https://shop.example/e1');
  });

  it('refuses a version naming a staff member who has left, naming the field, and applies nothing of it', async () => {
    const staff = async (name: string) =>
      (await server.api('POST', '/api/v1/staff', { name, contactQrUrl: `https://wework.example/qr/${encodeURIComponent(name)}.png` })).json.id as string;
    const [zhang, li] = [await staff('张三'), await staff('李四')];
    const code = await create({ type: 'staff', name: '导购码', members: [{ staffId: zhang }], url: 'https://shop.example/leave-a-message' });
    await change(code.id, { members: [{ staffId: li }], url: 'https://shop.example/message' });
    expect((await server.api('POST', `/api/v1/staff/${zhang}/leave`, { handoverTo: li })).status).toBeLessThan(300);

    const refused = await restore(code.id, 1);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'validation_failed', field: 'members.0.staffId', message: expect.stringContaining('张三') });
    const now = (await server.api('GET', `/api/v1/codes/${code.id}`)).json;
    expect(now).toMatchObject({ members: [{ staffId: li }], url: 'https://shop.example/message' });
    expect((await server.api('GET', `/api/v1/codes/${code.id}/versions`)).json.items[0].version).toBe(now.version);
  });

  it('refuses a version whose page design names a deleted material', async () => {
    const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#cc0000' } }).png().toBuffer();
    const res = await fetch(`${server.url}/api/v1/materials?name=bg&kind=page`, {
      method: 'POST', headers: { authorization: `Bearer ${await server.token()}`, 'content-type': 'image/png' }, body: new Uint8Array(png),
    });
    const bg = (await res.json()).id as string;
    const code = await create({ name: '背景码', url: 'https://shop.example/p', page: { backgroundImageId: bg } });
    await change(code.id, { page: null });
    expect((await server.api('DELETE', `/api/v1/materials/${bg}`)).status).toBe(204);
    const refused = await restore(code.id, 1);
    expect(refused.status).toBe(400);
    expect(refused.json.error.field).toBe('page.backgroundImageId');
    expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json.page).toBeNull();
  });

  it('holds a restore an approval rule guards, and applies it once approved', async () => {
    const lead = await server.token('admin');
    const operator = await server.token('operator');
    await server.api('PUT', '/api/v1/settings/approvals', { rules: [{ fields: ['url'], onlyPrinted: true, levels: [{ name: '组长', roles: ['admin'] }] }] });
    try {
      const code = await create({ name: '已印海报', url: 'https://shop.example/p1' });
      await change(code.id, { url: 'https://shop.example/p2' });
      await change(code.id, { printed: true });
      const held = await restore(code.id, 1, operator);
      expect(held.status).toBe(202);
      // Printed stays printed: only the destination is proposed back.
      expect(held.json.proposal).toMatchObject({
        status: 'pending', baseVersion: 3, changes: [{ field: 'url', from: 'https://shop.example/p2', to: 'https://shop.example/p1' }],
      });
      expect(await destination(code.slug)).toBe('https://shop.example/p2');
      expect((await server.api('POST', `/api/v1/proposals/${held.json.proposal.id}/approve`, {}, lead)).json.status).toBe('applied');
      expect(await destination(code.slug)).toBe('https://shop.example/p1');
      expect((await server.api('GET', `/api/v1/codes/${code.id}`)).json).toMatchObject({ printed: true, version: 4 });
    } finally {
      await server.api('PUT', '/api/v1/settings/approvals', { rules: [] });
    }
  });

  it('says why in Chinese when the client prefers it', async () => {
    const code = await create({ name: '中文', url: 'https://shop.example/zh' });
    const res = await restore(code.id, 9, undefined, { 'accept-language': 'zh-CN' });
    expect(res.status).toBe(404);
    expect(res.json.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

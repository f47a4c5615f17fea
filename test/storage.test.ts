import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeService } from '../src/codes/service.ts';
import { CodeRepo } from '../src/codes/repo.ts';
import { CodeSchemas } from '../src/codes/code-schemas.ts';
import { CodeTypes } from '../src/codes/code-type.ts';
import { urlCodeSchema, urlCodeType } from '../src/codes/url-code-type.ts';
import { countedByCode } from '../src/scans/service.ts';
import { noEvents } from '../src/shared/events.ts';
import { idTimePrefix } from '../src/shared/ids.ts';
import { ScanRepo } from '../src/scans/repo.ts';
import { scanBatchWriter } from '../src/scans/batch-writer.ts';
import { openStorage, type Storage } from '../src/storage/db.ts';
import type { NewScan } from '../src/storage/schema.ts';
import { permissionsOf, ROLE_PERMISSIONS, type Actor } from '../src/shared/actor.ts';
import { RoleService } from '../src/teams/roles.ts';
import { TokenService } from '../src/teams/tokens.ts';
import { RoleRepo } from '../src/teams/role-repo.ts';
import { TokenRepo } from '../src/teams/token-repo.ts';
import { describeEngines, engines } from './support/engines.ts';

const actor: Actor = { id: 'tok-1', name: 'alice', role: 'owner', permissions: permissionsOf(ROLE_PERMISSIONS.owner, null), departments: null };
const noRegion = () => ({ country: null, province: null, city: null });
const base = {
  type: 'url' as const, rules: [], tags: [], timeZone: 'Asia/Shanghai', validFrom: null, validUntil: null, maxScans: null, deviceLimit: null,
  paused: false, printed: false, departmentId: null, channelId: null, expiredUrl: null, note: null, page: null,
};

const scannedAt = Date.parse('2026-11-22T02:00:00Z');
/** Scan ids begin with their time, as newId makes them; the label keeps tests readable. */
const scanId = (label: string, at = scannedAt) => idTimePrefix(at) + label.padStart(12, '0');

function scan(codeId: string, id: string, overrides: Partial<NewScan> = {}): NewScan {
  return {
    id, code_id: codeId, scanned_at: scannedAt, local_date: '2026-11-22', local_hour: 10, local_weekday: 7,
    outcome: 'redirect', rule_index: null, rule_name: null, destination: 'https://a.example', visitor_id: 'v1', new_visitor: 1, is_bot: 0,
    os: 'ios', os_version: '17.4', browser: 'WeChat', browser_version: '8.0', device_type: 'mobile', device_vendor: 'Apple', device_model: 'iPhone',
    in_wechat: 1, ip: '203.0.113.0', country: '中国', province: '上海', city: '上海', referrer: null, user_agent: 'ua', ...overrides,
  };
}

describeEngines('storage', (engine) => {
  let storage: Storage;
  let now = Date.parse('2026-11-22T00:00:00Z');
  let codes: CodeService;
  let store: CodeRepo;
  let scans: ScanRepo;

  beforeAll(async () => {
    storage = await engine.open();
    // URL codes only, so nothing else to check or hold for approval; said here, not assumed by the service.
    const urlOnly = new CodeSchemas([urlCodeSchema]);
    store = new CodeRepo(storage.db, urlOnly, (error) => expect.fail(error.message));
    codes = new CodeService(store, { now: () => now }, 'https://qr.example', noRegion, {
      events: noEvents, gate: { hold: async () => null }, types: new CodeTypes(urlOnly, [urlCodeType]), changed: () => {},
      materials: { check: async () => {} },
    });
    scans = new ScanRepo(storage.db);
  });
  afterAll(() => storage.close());

  it('creates a code with a short unique slug and keeps version 1', async () => {
    const code = await codes.create({ ...base, name: '海报一号', url: 'https://a.example', tags: ['双十一', 'poster'] }, actor);
    expect(code.slug).toMatch(/^[2-9a-hjkmnp-zA-HJKMNP-Z]{8}$/);
    expect(code.shortUrl).toBe(`https://qr.example/s/${code.slug}`);
    expect(await codes.findBySlug(code.slug)).toMatchObject({ config: { id: code.id, tags: ['双十一', 'poster'] }, scanCount: 0 });
    const versions = await codes.versions(code.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, actor: { id: 'tok-1', name: 'alice' } });
    expect(versions[0]!.changes.map((c) => c.field)).toContain('url');
  });

  it('keeps every change as a version with what changed, and refuses a stale edit', async () => {
    const code = await codes.create({ ...base, name: 'versions', url: 'https://a.example/1' }, actor);
    now += 1000;
    const changed = await codes.update(code.id, { url: 'https://a.example/2', tags: ['x'] }, { ...actor, name: 'bob' }, 1);
    expect(changed).toMatchObject({ version: 2, url: 'https://a.example/2', tags: ['x'] });
    const [latest] = await codes.versions(code.id);
    expect(latest).toMatchObject({ version: 2, actor: { name: 'bob' } });
    expect(latest!.changes).toEqual([
      { field: 'url', from: 'https://a.example/1', to: 'https://a.example/2' },
      { field: 'tags', from: [], to: ['x'] },
    ]);
    await expect(codes.update(code.id, { url: 'https://a.example/3' }, actor, 1)).rejects.toMatchObject({ status: 409 });
    expect((await codes.get(code.id)).url).toBe('https://a.example/2');
  });

  it('loses no edit when two are saved at once', async () => {
    const code = await codes.create({ ...base, name: 'race', url: 'https://a.example' }, actor);
    await Promise.all([codes.update(code.id, { note: 'one' }, actor), codes.update(code.id, { paused: true }, actor)]);
    const final = await codes.get(code.id);
    expect(final).toMatchObject({ note: 'one', paused: true, version: 3 });
  });

  it('writes nothing of a change that fails part-way', async () => {
    const code = await codes.create({ ...base, name: 'atomic', url: 'https://a.example', tags: ['before'] }, actor);
    const stored = (await store.byId(code.id))!.config;
    await expect(
      store.transaction(async (trx) => {
        await store.update(trx, { ...stored, url: 'https://half.example', tags: ['after'], version: 2 }, 1);
        throw new Error('crash between the two writes');
      }),
    ).rejects.toThrow('crash');
    expect(await codes.get(code.id)).toMatchObject({ url: 'https://a.example', tags: ['before'], version: 1 });
    expect(await codes.list({ tag: 'after', limit: 10 })).toMatchObject({ items: [] });
  });

  it('lists newest first with a cursor, searches names and filters by tag and status', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      now += 1;
      made.push(await codes.create({ ...base, name: `列表 Item_${i}`, url: 'https://a.example', tags: i % 2 ? ['odd'] : [], paused: i === 3 }, actor));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await codes.list({ q: '列表', limit: 3, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((c) => c.id).reverse());
    expect((await codes.list({ q: 'item_', limit: 50 })).items).toHaveLength(7);
    expect((await codes.list({ q: '100%', limit: 50 })).items).toHaveLength(0);
    expect((await codes.list({ q: '列表', tag: 'odd', limit: 50 })).items.map((c) => c.name)).toEqual(['列表 Item_5', '列表 Item_3', '列表 Item_1']);
    const paused = await codes.list({ q: '列表', status: 'paused', limit: 50 });
    expect(paused.items.map((c) => [c.name, c.status])).toEqual([['列表 Item_3', 'paused']]);
  });

  it('agrees with each code on its status when filtering', async () => {
    const t = now;
    const scheduled = await codes.create({ ...base, name: 'later', url: 'https://a.example', validFrom: t + 60_000 }, actor);
    const ended = await codes.create({ ...base, name: 'over', url: 'https://a.example', validUntil: t - 1 }, actor);
    const capped = await codes.create({ ...base, name: 'capped', url: 'https://a.example', maxScans: 1 }, actor);
    await scans.insertBatch([scan(capped.id, scanId('CAP'))], countedByCode([scan(capped.id, 'x')]));
    const archived = await codes.archive((await codes.create({ ...base, name: 'gone', url: 'https://a.example' }, actor)).id, actor);
    for (const [code, status] of [[scheduled, 'scheduled'], [ended, 'ended'], [capped, 'limit_reached'], [archived, 'archived']] as const) {
      expect((await codes.get(code.id)).status).toBe(status);
      expect((await codes.list({ status, limit: 100 })).items.map((c) => c.id)).toContain(code.id);
      expect((await codes.list({ status: 'active', limit: 100 })).items.map((c) => c.id)).not.toContain(code.id);
    }
  });

  it('records scans in batches, counts served scans (bots too: the cap counts them), and breaks human ones down', async () => {
    const code = await codes.create({ ...base, name: 'stats', url: 'https://a.example' }, actor);
    const batch = [
      scan(code.id, scanId('S1'), { visitor_id: 'v1' }),
      scan(code.id, scanId('S2'), { visitor_id: 'v1', os: 'android', local_hour: 11 }),
      scan(code.id, scanId('S3'), { visitor_id: 'v2', province: '广东', local_date: '2026-11-21' }),
      scan(code.id, scanId('S4'), { visitor_id: 'bot', is_bot: 1 }),
      scan(code.id, scanId('S5'), { visitor_id: 'v3', outcome: 'paused', destination: null }),
    ];
    await scans.insertBatch(batch, countedByCode(batch));
    expect((await codes.get(code.id)).scanCount).toBe(4);
    const b = await scans.breakdowns(code.id, { from: 0, to: Date.parse('2030-01-01') });
    expect(b.scans).toBe(4);
    expect(b.uniqueVisitors).toBe(3);
    expect(new Map(b.byOs.map((o) => [o.key, o.n]))).toEqual(new Map([['ios', 3], ['android', 1]]));
    expect(new Map(b.byDay.map((o) => [o.key, o.n]))).toEqual(new Map([['2026-11-22', 3], ['2026-11-21', 1]]));
    expect(new Map(b.byHour.map((o) => [Number(o.key), o.n]))).toEqual(new Map([[10, 3], [11, 1]]));
    expect(new Map(b.byOutcome.map((o) => [o.key, o.n]))).toEqual(new Map([['redirect', 3], ['paused', 1]]));
    const early = Date.parse('2026-11-01T00:00:00Z');
    await scans.insertBatch([scan(code.id, scanId('OLD', early), { scanned_at: early, local_date: '2026-11-01' })], new Map());
    const recent = { from: Date.parse('2026-11-20T00:00:00Z'), to: Date.parse('2026-11-23T00:00:00Z') };
    expect((await scans.breakdowns(code.id, recent)).scans).toBe(4);
    expect((await scans.breakdowns(code.id, { from: early, to: recent.from })).scans).toBe(1);
    const page = await scans.list(code.id, { from: 0, to: Date.parse('2030-01-01') }, { limit: 2, includeBots: true });
    expect(page.map((s) => s.id)).toEqual([scanId('S5'), scanId('S4')]);
    expect(await scans.exists([scanId('S1'), 'nope'])).toEqual(new Set([scanId('S1')]));
  });

  it('deletes a code with its scans, versions and logo', async () => {
    const code = await codes.create({ ...base, name: 'doomed', url: 'https://a.example' }, actor);
    await scans.insertBatch([scan(code.id, scanId('D1'))], new Map());
    await codes.setLogo(code.id, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    expect((await codes.logo(code.id))?.data).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
    await codes.remove(code.id, actor);
    expect(await codes.findBySlug(code.slug)).toBeNull();
    expect(await scans.exists([scanId('D1')])).toEqual(new Set());
    expect(await codes.logo(code.id)).toBeNull();
    await expect(codes.get(code.id)).rejects.toMatchObject({ status: 404 });
  });

  it("writes the other codes' scans of a batch that holds scans of a code deleted meanwhile, and leaves those out", async () => {
    const kept = await codes.create({ ...base, name: 'kept', url: 'https://a.example' }, actor);
    const doomed = await codes.create({ ...base, name: 'doomed', url: 'https://a.example' }, actor);
    await codes.remove(doomed.id, actor);
    const batch = [scan(kept.id, scanId('K1')), scan(doomed.id, scanId('G1')), scan(kept.id, scanId('K2'))];
    const leftOut = await scanBatchWriter(scans, async () => {})(batch);
    expect(leftOut.map((s) => s.id)).toEqual([scanId('G1')]);
    expect(await scans.exists(batch.map((s) => s.id))).toEqual(new Set([scanId('K1'), scanId('K2')]));
    expect((await codes.get(kept.id)).scanCount).toBe(2);
  });

  it('makes committed writes durable on request, with or without writes before', async () => {
    const fresh = await engine.open();
    await expect(fresh.durable()).resolves.toBeUndefined();
    await new TokenService(new TokenRepo(fresh.db), { now: () => now }, new RoleService(new RoleRepo(fresh.db), { now: () => now })).create('x', 'viewer');
    await expect(fresh.durable()).resolves.toBeUndefined();
    await Promise.all([fresh.durable(), fresh.durable()]);
    await fresh.close();
  });

  it('stores only a hash of API tokens and honours them until revoked', async () => {
    const tokens = new TokenService(new TokenRepo(storage.db), { now: () => now }, new RoleService(new RoleRepo(storage.db), { now: () => now }));
    const { token } = await tokens.create('ci', 'analyst');
    expect(await tokens.verify(token)).toMatchObject({ name: 'ci', role: 'analyst' });
    expect(await tokens.verify(`${token}x`)).toBeNull();
    const rows = await storage.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash.includes(token.slice(3)))).toBe(false);
  });

  it('reads stored JSON through its schema: a row that does not fit is named and left out of lists, never hiding the others', async () => {
    const good = await codes.create({ ...base, name: 'readable', url: 'https://a.example' }, actor);
    const bad = await codes.create({ ...base, name: 'broken', url: 'https://b.example' }, actor);
    await storage.db.updateTable('codes').set({ rules: '[{"when": {"os": ["ios"]}, "url": 5}]' }).where('id', '=', bad.id).execute();
    const reported: string[] = [];
    const reader = new CodeRepo(storage.db, new CodeSchemas([urlCodeSchema]), (error) => reported.push(error.codeId));
    const listed = (await reader.list({ limit: 100, now })).map((c) => c.config.id);
    expect(listed).toContain(good.id);
    expect(listed).not.toContain(bad.id);
    expect(reported).toEqual([bad.id]);
    await expect(reader.byId(bad.id)).rejects.toThrow(`code ${bad.id}: the stored rules column does not fit its schema`);
    // A stored destination that fails the URL rule is read as it is: the scan path repairs or drops it (servableUrls).
    const rule = '[{"when": {"os": ["ios"]}, "url": "javascript:alert(1)", "enabled": true}]';
    await storage.db.updateTable('codes').set({ rules: rule, url: 'ftp://old.example' }).where('id', '=', bad.id).execute();
    expect((await reader.byId(bad.id))?.config).toMatchObject({ url: 'ftp://old.example', rules: [{ url: 'javascript:alert(1)' }] });
    expect(await reader.delete(bad.id, async () => {})).toBe(true);
  });
});

describe('the embedded engine', () => {
  it("uses Node's built-in SQLite where the runtime has it, better-sqlite3 only on Node 20", async () => {
    const [sqlite] = engines();
    const storage = await sqlite!.open();
    await storage.close();
    const major = Number(process.versions.node.split('.')[0]);
    expect(storage.describe).toContain(major >= 24 ? '(node:sqlite, writes synced to disk)' : major === 20 ? '(better-sqlite3, writes synced to disk)' : '(');
  });
});

describe('two connections writing one SQLite file (the server and its scan writer thread)', () => {
  it('lets a transaction that read first write after the other connection wanted to write, and runs both', async () => {
    const [sqlite] = engines();
    const server = await sqlite!.open();
    // The writer thread opens the database with the server's options, and so shares its turns at the write lock.
    const writer = openStorage(server.options);
    await server.db.insertInto('settings').values({ key: 'probe', value: '"0"', updated_at: 0 }).execute();
    const order: string[] = [];
    let read!: () => void;
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    const edit = server.atomic(async () => {
      const before = await server.db.selectFrom('settings').select('value').where('key', '=', 'probe').executeTakeFirstOrThrow();
      read();
      // The other connection asks to write now; it must wait for this transaction, not slip in between.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await server.db.updateTable('settings').set({ value: JSON.stringify(`${JSON.parse(before.value)}+edit`) }).where('key', '=', 'probe').execute();
      order.push('edit');
    });
    await hasRead;
    const batch = writer.atomic(async () => {
      await writer.db.updateTable('settings').set({ updated_at: 1 }).where('key', '=', 'probe').execute();
      order.push('batch');
    });
    await Promise.all([edit, batch]);
    expect(order).toEqual(['edit', 'batch']);
    expect(await server.db.selectFrom('settings').selectAll().where('key', '=', 'probe').executeTakeFirstOrThrow()).toMatchObject({
      value: '"0+edit"', updated_at: 1,
    });
    await writer.close();
    await server.close();
  });

  it("makes a write outside a transaction wait its turn behind the other connection's transaction, without blocking the thread", async () => {
    const [sqlite] = engines();
    const server = await sqlite!.open();
    const writer = openStorage(server.options);
    await server.db.insertInto('settings').values({ key: 'counter', value: '0', updated_at: 0 }).execute();
    const order: string[] = [];
    let began!: () => void;
    const hasBegun = new Promise<void>((resolve) => (began = resolve));
    const batch = writer.atomic(async () => {
      await writer.db.updateTable('settings').set({ updated_at: 1 }).where('key', '=', 'counter').execute();
      began();
      // Were the upsert below to wait in SQLite's busy handler, this thread would sleep and this timer never fire.
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('batch');
    });
    await hasBegun;
    const take = server.db.updateTable('settings').set({ value: '1' }).where('key', '=', 'counter').execute().then(() => order.push('take'));
    await Promise.all([batch, take]);
    expect(order).toEqual(['batch', 'take']);
    const counter = await server.db.selectFrom('settings').selectAll().where('key', '=', 'counter').executeTakeFirstOrThrow();
    expect(counter).toMatchObject({ value: '1', updated_at: 1 });
    await writer.close();
    await server.close();
  });
});

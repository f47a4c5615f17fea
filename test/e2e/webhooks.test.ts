import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../src/webhooks/signature.ts';
import { describeEngines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { freePort } from '../support/postgres.ts';
import { startServer, type TestServer } from '../support/server.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

/** A receiver on loopback that answers 500 while `down`, and records everything it was sent. */
async function receiver() {
  const got: Received[] = [];
  const state = { down: true };
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const answered = state.down ? 500 : 200;
      got.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/hook`, got, state, close: () => new Promise((r) => server.close(r)) };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const HOUR = 3_600_000;

describeEngines('webhooks', (engine) => {
  let server: TestServer;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let now = Date.now();
  const clock = { now: () => now };

  beforeAll(async () => {
    hook = await receiver();
    server = await startServer(await engine.open(), { HUOMA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, { clock, webhookPollMs: 20 });
  });
  afterAll(async () => {
    await server.close();
    await hook.close();
  });

  const scan = (slug: string) => fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } });

  it('refuses targets on loopback, private and link-local addresses unless the host is allowed', async () => {
    const refused = [
      'http://10.0.0.5/hook', 'http://localhost:9/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/', 'http://192.168.1.1/',
      'http://[::127.0.0.1]/', 'http://[::ffff:10.0.0.1]/', 'http://[64:ff9b::169.254.169.254]/', 'http://[2002:7f00:1::]/',
    ];
    for (const url of refused) {
      const res = await server.api('POST', '/api/v1/webhooks', { url, events: ['scan.created'] });
      expect(res.status, url).toBe(400);
      expect(res.json.error.field).toBe('url');
      expect(res.json.error.message).toContain('HUOMA_WEBHOOK_ALLOW_HOSTS');
    }
    const bad = await server.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['code.exploded'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('events.0');
    expect((await server.api('GET', '/api/v1/webhooks')).json.items).toEqual([]);
  });

  it('lets only owners and admins manage webhooks', async () => {
    for (const role of ['operator', 'analyst', 'viewer'] as const) {
      const res = await server.api('GET', '/api/v1/webhooks', undefined, await server.token(role));
      expect(res.status, role).toBe(403);
    }
    expect((await server.api('GET', '/api/v1/webhooks', undefined, await server.token('admin'))).status).toBe(200);
  });

  it('delivers every event exactly once after dedupe, signed, to a receiver that fails and then recovers', async () => {
    const created = await server.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['code.created', 'code.changed', 'scan.created'] });
    expect(created.status).toBe(201);
    const { id, secret } = created.json;
    expect(secret).toMatch(/^whsec_/);
    expect((await server.api('GET', `/api/v1/webhooks/${id}`)).json).not.toHaveProperty('secret');

    const code = (await server.api('POST', '/api/v1/codes', { name: 'hooked', url: 'https://shop.example/0' })).json;
    for (let i = 1; i <= 3; i++) await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: `https://shop.example/${i}` });
    for (let i = 0; i < 5; i++) expect((await scan(code.slug)).status).toBe(302);
    await until(() => hook.got.length >= 9, 'nine first attempts');
    // The receiver hears an attempt before the dispatcher has written down its answer.
    const pendingNow = async () => (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?status=pending&limit=100`)).json.items;
    await until(async () => (await pendingNow()).every((d: { attempts: number }) => d.attempts >= 1), 'the first attempts recorded');

    const pending = await pendingNow();
    expect(pending).toHaveLength(9);
    expect(pending[0]).toMatchObject({ attempts: 1, lastStatus: 500, lastError: 'HTTP 500' });
    expect(Date.parse(pending[0].nextAttemptAt) - now).toBeGreaterThanOrEqual(10_000);
    expect(pending[0].log).toEqual([expect.objectContaining({ attempt: 1, status: 500 })]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/huoma_webhook_outbox_depth 9/);

    hook.state.down = false;
    now += 11_000;
    await until(async () => (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?status=pending`)).json.items.length === 0, 'retries');

    for (const r of hook.got) {
      const body = JSON.parse(r.body);
      expect(verifySignature(secret, String(r.headers['x-huoma-signature']), r.body, Math.floor(now / 1000))).toBe(true);
      expect(r.headers['x-huoma-event']).toBe(body.type);
      expect(r.headers['x-huoma-delivery']).toMatch(/^dlv_/);
    }
    const accepted = hook.got.filter((r) => r.answered === 200).map((r) => JSON.parse(r.body));
    const events = new Map(accepted.map((e) => [e.id, e]));
    expect(events.size).toBe(9);
    const types = [...events.values()].map((e) => e.type).sort();
    expect(types).toEqual(['code.changed', 'code.changed', 'code.changed', 'code.created', ...Array(5).fill('scan.created')]);
    const changes = [...events.values()].filter((e) => e.type === 'code.changed').map((e) => e.data.changes[0].to).sort();
    expect(changes).toEqual(['https://shop.example/1', 'https://shop.example/2', 'https://shop.example/3']);
    const scanned = [...events.values()].filter((e) => e.type === 'scan.created');
    expect(scanned.every((e) => e.data.codeId === code.id && e.data.outcome === 'redirect')).toBe(true);

    // Sent again on request: a new delivery of the same event.
    const delivered = (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?status=delivered&limit=1`)).json.items[0];
    const again = await server.api('POST', `/api/v1/webhooks/${id}/deliveries/${delivered.id}/redeliver`);
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ eventId: delivered.eventId, status: 'pending', attempts: 0 });
    await until(() => hook.got.filter((r) => JSON.parse(r.body).id === delivered.eventId && r.answered === 200).length === 2, 'the redelivery');
    await server.api('DELETE', `/api/v1/webhooks/${id}`);
  });

  it('retries a receiver that stays down for at least 24 hours, then gives up; switches a subscription off after 3 days of failures', async () => {
    hook.state.down = true;
    const { id } = (await server.api('POST', '/api/v1/webhooks', { url: hook.url, events: ['code.created'] })).json;
    const first = now;
    await server.api('POST', '/api/v1/codes', { name: 'down day 1', url: 'https://shop.example/a' });
    const deliveryOf = async () => (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?limit=1`)).json.items[0];
    await until(async () => (await deliveryOf())?.attempts === 1, 'the first attempt');
    // Walk the clock through the back-off, letting each retry happen.
    for (let d = await deliveryOf(); d.status === 'pending'; d = await deliveryOf()) {
      now = Date.parse(d.nextAttemptAt);
      await until(async () => (await deliveryOf()).attempts > d.attempts, 'a retry');
    }
    const gaveUp = await deliveryOf();
    expect(gaveUp.status).toBe('failed');
    const span = Date.parse(gaveUp.log.at(-1).at) - first;
    expect(span).toBeGreaterThanOrEqual(24 * HOUR);
    expect((await server.api('GET', `/api/v1/webhooks/${id}`)).json).toMatchObject({ enabled: true, failingSince: new Date(first).toISOString() });

    // Still failing two days later: off, with the reason; nothing is queued for it meanwhile.
    now = first + 72 * HOUR + 1;
    await server.api('POST', '/api/v1/codes', { name: 'down day 4', url: 'https://shop.example/b' });
    await until(async () => (await server.api('GET', `/api/v1/webhooks/${id}`)).json.enabled === false, 'auto-disable');
    const off = (await server.api('GET', `/api/v1/webhooks/${id}`)).json;
    expect(off.disabledReason).toContain('every delivery has failed since');
    const queued = (await server.api('GET', `/api/v1/webhooks/${id}/deliveries?limit=100`)).json.items.length;
    await server.api('POST', '/api/v1/codes', { name: 'while off', url: 'https://shop.example/c' });
    expect((await server.api('GET', `/api/v1/webhooks/${id}/deliveries?limit=100`)).json.items).toHaveLength(queued);

    const on = await server.api('PATCH', `/api/v1/webhooks/${id}`, { enabled: true });
    expect(on.json).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });
});

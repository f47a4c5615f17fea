import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openStorage } from '../../src/storage/db.ts';
import { totpAt } from '../../src/teams/totp.ts';
import { runCli, startServer, type TestServer } from '../support/server.ts';

describe('console users and sessions', () => {
  const data = mkdtempSync(join(tmpdir(), 'huoma-users-'));
  let server: TestServer;
  // Sign-ins are limited per minute: each test starts in a minute of its own.
  let now = Date.now();
  const clock = { now: () => now };
  beforeEach(() => {
    now += 61_000;
  });

  beforeAll(async () => {
    const made = await runCli(['user', 'create', '--email', 'Li.Na@Example.com', '--password', '秋天的海报-2026', '--role', 'owner', '--data', data]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('user li.na@example.com (owner) created');
    const storage = openStorage({ dataDir: data });
    await migrateToLatest(storage);
    server = await startServer(storage, {}, { clock });
  });
  afterAll(() => server.close());

  const login = (body: object) =>
    fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const withSession = (cookie: string, csrf?: string) => async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const signIn = async (body: object) => {
    const res = await login(body);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { cookie, csrfToken, call: withSession(cookie, csrfToken), noCsrf: withSession(cookie) };
  };

  it('refuses a bad password on the command line, naming the flag', async () => {
    const bad = await runCli(['user', 'create', '--email', 'x@example.com', '--password', 'short', '--role', 'viewer', '--data', data]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--password: must be at least 10 characters');
  });

  it('signs in with an HttpOnly cookie, and changes need the CSRF token', async () => {
    expect((await login({ email: 'li.na@example.com', password: 'wrong-password' })).status).toBe(401);
    const unknown = await login({ email: 'nobody@example.com', password: 'wrong-password' });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as any).error.message).toBe('the email or the password is wrong');

    const res = await login({ email: 'LI.NA@example.com', password: '秋天的海报-2026' });
    expect(res.headers.get('set-cookie')).toMatch(/^hm_session=[\w-]+; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/);
    const { cookie, csrfToken } = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, ...((await res.json()) as { csrfToken: string }) };
    const me = await withSession(cookie)('GET', '/api/v1/me');
    expect(me.json).toMatchObject({ name: 'li.na', role: 'owner' });

    const forged = await withSession(cookie)('POST', '/api/v1/codes', { name: 'csrf', url: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.json.error.field).toBe('x-csrf-token');
    const made = await withSession(cookie, csrfToken)('POST', '/api/v1/codes', { name: 'by console', url: 'https://shop.example/a' });
    expect(made.status).toBe(201);
    const logged = (await withSession(cookie)('GET', `/api/v1/audit?objectId=${made.json.id}`)).json.items[0];
    expect(logged).toMatchObject({ action: 'code.create', actor: { id: me.json.id, name: 'li.na' } });

    expect((await withSession(cookie, csrfToken)('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await withSession(cookie)('GET', '/api/v1/me')).status).toBe(401);
  });

  it('requires the one-time code once a second factor is on', async () => {
    const owner = await signIn({ email: 'li.na@example.com', password: '秋天的海报-2026' });
    const { secret } = (await owner.call('POST', '/api/v1/me/totp')).json;
    // The console's account page reads it from /me: a setup not confirmed yet is not on.
    expect((await owner.call('GET', '/api/v1/me')).json.totp).toBe(false);
    expect((await owner.call('POST', '/api/v1/me/totp/confirm', { code: '000000' })).status).toBe(400);
    // Typed as the app shows it.
    const shown = totpAt(secret, now / 1000).replace(/^(\d{3})/, '$1 ');
    const confirmed = await owner.call('POST', '/api/v1/me/totp/confirm', { code: shown });
    expect(confirmed.json.totp).toBe(true);
    expect((await owner.call('GET', '/api/v1/me')).json.totp).toBe(true);
    expect((await server.api('GET', '/api/v1/me')).json.totp).toBeNull();

    const without = await login({ email: 'li.na@example.com', password: '秋天的海报-2026' });
    expect(without.status).toBe(401);
    expect(((await without.json()) as any).error.field).toBe('totp');
    const wrong = await login({ email: 'li.na@example.com', password: '秋天的海报-2026', totp: '123456' === totpAt(secret, now / 1000) ? '654321' : '123456' });
    expect(wrong.status).toBe(401);
    now += 61_000;
    await signIn({ email: 'li.na@example.com', password: '秋天的海报-2026', totp: totpAt(secret, now / 1000) });
  });

  /** A new user with a second factor on, signed in; `step` moves the shared clock by 30 s steps. */
  const withSecondFactor = async (email: string) => {
    expect((await server.api('POST', '/api/v1/users', { email, name: email, password: 'second-factor-1', role: 'viewer' })).status).toBe(201);
    const user = await signIn({ email, password: 'second-factor-1' });
    const { secret } = (await user.call('POST', '/api/v1/me/totp')).json;
    expect((await user.call('POST', '/api/v1/me/totp/confirm', { code: totpAt(secret, now / 1000) })).json.totp).toBe(true);
    now += 30_000;
    return { user, secret: secret as string, code: () => totpAt(secret, now / 1000), password: { email, password: 'second-factor-1' } };
  };

  it('takes each one-time code once, on however many sign-ins at the same moment', async () => {
    const { code, password, secret } = await withSecondFactor('once@example.com');
    const sameCode = await Promise.all([1, 2, 3].map(() => login({ ...password, totp: code() })));
    expect(sameCode.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    const replayed = sameCode.find((r) => r.status === 401)!;
    expect(((await replayed.json()) as any).error).toMatchObject({ field: 'totp', message: 'this one-time code has been used already; wait for the next one' });
    // The previous step's code is still inside the drift window, but older than the one used.
    expect((await login({ ...password, totp: totpAt(secret, now / 1000 - 30) })).status).toBe(401);
    now += 61_000;
    expect((await login({ ...password, totp: code() })).status).toBe(200);
  });

  it('replaces a second factor only with a current code from it, and keeps it until the new one is confirmed', async () => {
    const { user, code, password, secret } = await withSecondFactor('replace@example.com');
    const bare = await user.call('POST', '/api/v1/me/totp');
    expect(bare.status).toBe(400);
    expect(bare.json.error.field).toBe('code');
    const wrong = await user.call('POST', '/api/v1/me/totp', { code: code() === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.field).toBe('code');
    // Still on, with the same secret.
    expect((await login(password)).status).toBe(401);
    expect((await login({ ...password, totp: code() })).status).toBe(200);

    now += 30_000;
    const replacing = await user.call('POST', '/api/v1/me/totp', { code: code() });
    expect(replacing.status).toBe(200);
    const next = replacing.json.secret as string;
    now += 30_000;
    // Not confirmed yet: the old factor still holds, the new one is not taken.
    expect((await login({ ...password, totp: totpAt(next, now / 1000) })).status).toBe(401);
    expect((await login({ ...password, totp: totpAt(secret, now / 1000) })).status).toBe(200);
    now += 30_000;
    expect((await user.call('POST', '/api/v1/me/totp/confirm', { code: totpAt(next, now / 1000) })).json.totp).toBe(true);
    now += 30_000;
    expect((await login({ ...password, totp: totpAt(secret, now / 1000) })).status).toBe(401);
    expect((await login({ ...password, totp: totpAt(next, now / 1000) })).status).toBe(200);
  });

  it('limits guesses of the current code when replacing a second factor', async () => {
    const { user, code } = await withSecondFactor('guess@example.com');
    const wrong = code() === '000000' ? '111111' : '000000';
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push(await user.call('POST', '/api/v1/me/totp', { code: wrong }));
    expect(tries.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 429]);
    // Even the right code waits for the next minute.
    expect((await user.call('POST', '/api/v1/me/totp', { code: code() })).status).toBe(429);
    now += 61_000;
    expect((await user.call('POST', '/api/v1/me/totp', { code: code() })).status).toBe(200);
  });

  it('manages users within the manager’s own rank, signs a disabled user out everywhere, and throttles guessing', async () => {
    const added = await server.api('POST', '/api/v1/users', { email: 'zhao@example.com', name: '赵', password: 'admin-password-1', role: 'admin' });
    expect(added.status).toBe(201);
    const admin = await signIn({ email: 'zhao@example.com', password: 'admin-password-1' });
    const tooHigh = await admin.call('POST', '/api/v1/users', { email: 'boss@example.com', name: 'boss', password: 'boss-password-1', role: 'owner' });
    expect(tooHigh.status).toBe(403);
    expect(tooHigh.json.error.field).toBe('role');
    const wang = (await admin.call('POST', '/api/v1/users', { email: 'wang@example.com', name: '王', password: 'operator-pass-1', role: 'operator' })).json;
    const duplicate = await admin.call('POST', '/api/v1/users', { email: 'WANG@example.com', name: '王2', password: 'operator-pass-1', role: 'viewer' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.error.field).toBe('email');

    const operator = await signIn({ email: 'wang@example.com', password: 'operator-pass-1' });
    expect((await operator.call('GET', '/api/v1/users')).status).toBe(403);
    expect((await admin.call('PATCH', `/api/v1/users/${wang.id}`, { disabled: true })).json.disabled).toBe(true);
    expect((await operator.call('GET', '/api/v1/me')).status).toBe(401);
    expect((await login({ email: 'wang@example.com', password: 'operator-pass-1' })).status).toBe(401);

    const guesses = [];
    for (let i = 0; i < 6; i++) guesses.push(await login({ email: 'zhao@example.com', password: `guess-${i}` }));
    // Five attempts a minute per account, the sign-in above included.
    expect(guesses.map((r) => r.status)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(Number(guesses[4]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

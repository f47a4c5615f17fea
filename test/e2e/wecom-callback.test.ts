import { afterAll, beforeAll, expect, it } from 'vitest';
import { WeComSimulator } from '../../src/wecom/simulator/server.ts';
import { describeEngines } from '../support/engines.ts';
import { startServer, type TestServer } from '../support/server.ts';

const TOKEN = 'HuomaCallback2026';
const AES_KEY = 'a'.repeat(20) + 'B'.repeat(20) + '123';

describeEngines('the WeCom callback', (engine) => {
  let server: TestServer;
  let now = Date.now();
  const clock = { now: () => now };
  const wecom = new WeComSimulator('ww_sim_corp', 'sim-secret', clock);
  let storage: Awaited<ReturnType<typeof engine.open>>;

  beforeAll(async () => {
    storage = await engine.open();
    server = await startServer(storage, {}, { clock });
    const apiBaseUrl = await wecom.start();
    const saved = await server.api('PUT', '/api/v1/wecom/settings', {
      corpId: 'ww_sim_corp', secret: 'sim-secret', token: TOKEN, encodingAESKey: AES_KEY, apiBase: apiBaseUrl,
    });
    expect(saved.status).toBe(200);
    wecom.callbackTo(`${server.url}/wecom/callback`, TOKEN, AES_KEY);
  });
  afterAll(async () => {
    await server.close();
    await wecom.close();
  });

  const stored = async () => storage.db.selectFrom('wecom_events').selectAll().orderBy('id').execute();
  const added = (externalUserId: string, createTime: number) => ({
    Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: 'zhangsan', ExternalUserID: externalUserId,
    State: 'c:AbCd2345', WelcomeCode: 'WELCOMECODE', CreateTime: String(createTime),
  });

  it('keeps the secrets to itself and refuses settings WeCom would not accept', async () => {
    const shown = await server.api('GET', '/api/v1/wecom/settings');
    expect(shown.json).toMatchObject({ corpId: 'ww_sim_corp', secretSet: true, callbackSet: true });
    expect(JSON.stringify(shown.json)).not.toMatch(/sim-secret|HuomaCallback2026|aaaaaaaaaa/);
    const bad = await server.api('PUT', '/api/v1/wecom/settings', { corpId: 'ww', secret: 's', token: TOKEN, encodingAESKey: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('encodingAESKey');
  });

  it('passes WeCom’s URL check', async () => {
    const { echo, response } = await wecom.verifyCallbackUrl();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(echo);
  });

  it('stores an event once however often WeCom retries it, and answers at once', async () => {
    const event = added('wmCustomer001', Math.floor(now / 1000));
    for (let i = 0; i < 3; i++) {
      const res = await wecom.sendEvent(event);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('success');
    }
    const rows = await stored();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ ChangeType: 'add_external_contact', ExternalUserID: 'wmCustomer001', State: 'c:AbCd2345' });
    expect((await wecom.sendEvent(added('wmCustomer002', Math.floor(now / 1000)))).status).toBe(200);
    expect(await stored()).toHaveLength(2);
  });

  it('refuses forged and replayed messages and stores nothing from them', async () => {
    const forged = await wecom.sendEvent(added('wmForged', Math.floor(now / 1000)), { tamper: true });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.message).toContain('signature');
    const replayed = await wecom.sendEvent(added('wmOld', Math.floor(now / 1000)), { timestamp: now - 11 * 60_000 });
    expect(replayed.status).toBe(403);
    expect((await stored()).map((r) => JSON.parse(r.payload).ExternalUserID)).toEqual(['wmCustomer001', 'wmCustomer002']);
  });

  it('answers 403 with a JSON error, never 500, to anything unsigned or malformed, and stores nothing', async () => {
    const t = String(Math.floor(now / 1000));
    const query = `msg_signature=${'ab'.repeat(20)}&timestamp=${t}&nonce=1`;
    const post = (body: string, type = 'text/xml') =>
      fetch(`${server.url}/wecom/callback?${query}`, { method: 'POST', headers: { 'content-type': type }, body });
    const lol =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      '<xml><Encrypt>&lol2;</Encrypt></xml>';
    const echo = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
    const answers = [
      await fetch(`${server.url}/wecom/callback?${query}&echostr=${encodeURIComponent(echo)}`),
      await fetch(`${server.url}/wecom/callback?${query}&echostr=%3Cxml`),
      await post('<xml><Encrypt><![CDATA[abc'),
      await post('<xml><Encrypt>a</Encrypt></xml'),
      await post(lol),
      await post('<a>'.repeat(8_000) + '</a>'.repeat(8_000)),
      await post('<xml><Encrypt><![CDATA[AAAA]]></Encrypt><Encrypt><![CDATA[BBBB]]></Encrypt></xml>'),
      await post(''),
      await post('{"Encrypt":"AAAA"}', 'application/json'),
    ];
    for (const res of answers) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    // A body far larger than any WeCom envelope is not read at all.
    expect((await post(`<xml><Encrypt>${'A'.repeat(70_000)}</Encrypt></xml>`)).status).toBe(413);
    expect(await stored()).toHaveLength(2);
  });

  it('refuses a validly signed URL check that is older than the replay window', async () => {
    const threeDaysAgo = now - 3 * 86_400_000;
    const replayed = await wecom.verifyCallbackUrl(undefined, { timestamp: threeDaysAgo });
    expect(replayed.response.status).toBe(403);
    expect(await replayed.response.text()).not.toContain(replayed.echo);
  });
});

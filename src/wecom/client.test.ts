import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeComClient, WeComError } from './client.ts';
import { ContactWays } from './contact-ways.ts';
import { WeComSimulator } from './simulator/server.ts';

describe('WeCom client against the simulator', () => {
  let now = Date.parse('2026-11-23T09:00:00+08:00');
  const clock = { now: () => now };
  const wecom = new WeComSimulator('ww_sim_corp', 'sim-secret', clock);
  let baseUrl: string;
  let ways: ContactWays;

  beforeAll(async () => {
    baseUrl = await wecom.start();
    wecom.members.set('zhangsan', { refuseCode: 0 });
    wecom.members.set('intern', { refuseCode: 84074 });
    ways = new ContactWays(new WeComClient({ baseUrl, corpId: 'ww_sim_corp', secret: 'sim-secret', clock, backoffMs: [10, 20, 40] }));
  });
  afterAll(() => wecom.close());

  const tokenFetches = () => wecom.calls.filter((c) => c === '/cgi-bin/gettoken').length;

  it('keeps one access token for every call until shortly before it expires', async () => {
    const way = await ways.add('zhangsan', 'c:AbCd2345');
    expect(way.qrCode).toMatch(/^https:\/\//);
    await Promise.all([ways.get(way.configId), ways.get(way.configId), ways.get(way.configId)]);
    expect(tokenFetches()).toBe(1);
    now += 7200_000 - 5 * 60_000;
    expect((await ways.get(way.configId)).state).toBe('c:AbCd2345');
    expect(tokenFetches()).toBe(2);
  });

  it('renews the token once when WeCom says it is expired, and retries a rate-limited call', async () => {
    const way = await ways.add('zhangsan', 'c:renew');
    const before = tokenFetches();
    wecom.expireTokens();
    expect((await ways.get(way.configId)).users).toEqual(['zhangsan']);
    expect(tokenFetches()).toBe(before + 1);
    wecom.rateLimit(2);
    await ways.update(way.configId, { state: 'c:after-limit' });
    expect((await ways.get(way.configId)).state).toBe('c:after-limit');
  });

  it('says plainly when a member cannot hold customers, and gives up on a limit that lasts', async () => {
    const refused = await ways.add('intern', 'c:x').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WeComError);
    expect((refused as WeComError).code).toBe(84074);
    expect((refused as WeComError).memberCannotAddCustomers).toBe(true);
    wecom.rateLimit(10);
    const limited = await ways.add('zhangsan', 'c:y').catch((e: unknown) => e);
    expect((limited as WeComError).code).toBe(45009);
    wecom.rateLimit(0);
  });

  it('refuses a state WeCom would cut, before asking WeCom; deletes a contact way', async () => {
    await expect(ways.add('zhangsan', 'x'.repeat(31))).rejects.toThrow('at most 30');
    const way = await ways.add('zhangsan', 'c:bye');
    await ways.remove(way.configId);
    expect(wecom.contactWays.has(way.configId)).toBe(false);
    await expect(ways.get(way.configId)).rejects.toMatchObject({ code: 40058 });
  });

  it('refuses a wrong secret with WeCom’s own errcode', async () => {
    const wrong = new WeComClient({ baseUrl, corpId: 'ww_sim_corp', secret: 'nope', clock });
    await expect(wrong.accessToken()).rejects.toMatchObject({ code: 40001 });
  });
});

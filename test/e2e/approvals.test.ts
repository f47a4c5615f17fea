import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import { PHONE_UA } from '../support/load.ts';
import { startServer, type TestServer } from '../support/server.ts';

describeEngines('approvals', (engine) => {
  let server: TestServer;
  let operator: string;
  let lead: string;
  let legal: string;
  let legalId: string;

  beforeAll(async () => {
    server = await startServer(await engine.open());
    operator = (await server.api('POST', '/api/v1/tokens', { name: '运营小王', role: 'operator' })).json.token;
    lead = (await server.api('POST', '/api/v1/tokens', { name: '组长老李', role: 'admin' })).json.token;
    const legalKey = (await server.api('POST', '/api/v1/tokens', { name: '法务', role: 'analyst' })).json;
    legal = legalKey.token;
    legalId = legalKey.id;
    const policy = await server.api('PUT', '/api/v1/settings/approvals', {
      rules: [{ fields: ['url', 'rules'], onlyPrinted: true, levels: [{ name: '组长', roles: ['admin'] }, { name: '法务', users: [legalId] }] }],
    });
    expect(policy.status).toBe(200);
  });
  afterAll(() => server.close());

  const destination = async (slug: string) =>
    (await fetch(`${server.url}/s/${slug}`, { redirect: 'manual', headers: { 'user-agent': PHONE_UA } })).headers.get('location');
  const printedCode = async (name: string) => {
    const code = (await server.api('POST', '/api/v1/codes', { name, url: 'https://shop.example/old' }, operator)).json;
    expect((await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/v1' }, operator)).status).toBe(200);
    expect((await server.api('PATCH', `/api/v1/codes/${code.id}`, { printed: true }, operator)).status).toBe(200);
    return code as { id: string; slug: string };
  };

  it('holds a printed code’s new destination until the lead and then legal approve, then applies it at once', async () => {
    const code = await printedCode('海报');
    const held = await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/new' }, operator);
    expect(held.status).toBe(202);
    const proposal = held.json.proposal;
    expect(proposal).toMatchObject({
      status: 'pending', nextLevel: '组长', changes: [{ field: 'url', from: 'https://shop.example/v1', to: 'https://shop.example/new' }],
    });
    expect(await destination(code.slug)).toBe('https://shop.example/v1');

    expect((await server.api('POST', `/api/v1/proposals/${proposal.id}/approve`, {}, legal)).status).toBe(403);
    expect((await server.api('POST', `/api/v1/proposals/${proposal.id}/approve`, {}, operator)).status).toBe(403);
    const first = await server.api('POST', `/api/v1/proposals/${proposal.id}/approve`, { comment: '同意' }, lead);
    expect(first.json).toMatchObject({ status: 'pending', nextLevel: '法务' });
    expect(await destination(code.slug)).toBe('https://shop.example/v1');

    const last = await server.api('POST', `/api/v1/proposals/${proposal.id}/approve`, {}, legal);
    expect(last.json).toMatchObject({ status: 'applied', nextLevel: null });
    expect(last.json.levels.map((l: { decision: { by: { name: string } } }) => l.decision.by.name)).toEqual(['组长老李', '法务']);
    expect(await destination(code.slug)).toBe('https://shop.example/new');
    const versions = (await server.api('GET', `/api/v1/codes/${code.id}/versions`)).json;
    expect(versions.items[0]).toMatchObject({
      actor: { name: '运营小王' }, changes: [{ field: 'url', from: 'https://shop.example/v1', to: 'https://shop.example/new' }],
    });
    const log = (await server.api('GET', `/api/v1/audit?objectId=${proposal.id}`)).json.items
      .map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`);
    // Newest first: the two approvals, and before them the two refused attempts (legal too early, the proposer himself).
    expect(log).toEqual(['proposal.approve ok', 'proposal.approve ok', 'proposal.approve denied', 'proposal.approve denied']);
  });

  it('applies nothing when rejected, or when the code changed meanwhile, and says so', async () => {
    const code = await printedCode('门店');
    const rejected = (await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/no' }, operator)).json.proposal;
    expect((await server.api('POST', `/api/v1/proposals/${rejected.id}/reject`, { comment: '链接不对' }, lead)).json.status).toBe('rejected');
    expect((await server.api('POST', `/api/v1/proposals/${rejected.id}/approve`, {}, lead)).status).toBe(409);

    const stale = (await server.api('PATCH', `/api/v1/codes/${code.id}`, { url: 'https://shop.example/late' }, operator)).json.proposal;
    await server.api('POST', `/api/v1/proposals/${stale.id}/approve`, {}, lead);
    expect((await server.api('PATCH', `/api/v1/codes/${code.id}`, { note: '换了店长' }, operator)).status).toBe(200);
    const conflict = await server.api('POST', `/api/v1/proposals/${stale.id}/approve`, {}, legal);
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.message).toContain('changed since this proposal');
    expect((await server.api('GET', `/api/v1/proposals/${stale.id}`)).json.status).toBe('conflict');
    expect(await destination(code.slug)).toBe('https://shop.example/v1');
    const pending = (await server.api('GET', `/api/v1/proposals?status=pending&codeId=${code.id}`)).json.items;
    expect(pending).toEqual([]);
  });

  it('refuses a level nobody could approve, naming the field', async () => {
    const res = await server.api('PUT', '/api/v1/settings/approvals', { rules: [{ fields: ['url'], levels: [{ name: '空' }] }] });
    expect(res.status).toBe(400);
    expect(res.json.error.field).toBe('rules.0.levels.0.roles');
    expect((await server.api('PUT', '/api/v1/settings/approvals', { rules: [] }, lead)).status).toBe(200);
    expect((await server.api('PUT', '/api/v1/settings/approvals', { rules: [] }, operator)).status).toBe(403);
  });
});

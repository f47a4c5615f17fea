import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openStorage } from '../../src/storage/db.ts';
import { startServer } from '../support/server.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
// The test connects from 127.0.0.1; each range below sends the scan to a page of its own, so the
// Location says which address the server believed.
const RANGES: Record<string, string> = { forged: '203.0.113.0/24', proxy: '198.51.100.0/24', edge: '192.0.2.0/24', socket: '127.0.0.0/8' };
// A client claims 203.0.113.7; our proxy (198.51.100.9 appended it) and an edge proxy (192.0.2.1) in front.
const ONE_PROXY = '203.0.113.7, 198.51.100.9';
const TWO_PROXIES = '203.0.113.7, 192.0.2.1, 198.51.100.9';

async function believed(setting: string, forwardedFor: string): Promise<string> {
  const storage = openStorage({ dataDir: mkdtempSync(join(tmpdir(), 'huoma-proxy-')) });
  await migrateToLatest(storage);
  const server = await startServer(storage, { HUOMA_TRUST_PROXY: setting });
  try {
    const rules = Object.entries(RANGES).map(([name, cidr]) => ({ name, when: { ipCidrs: [cidr] }, url: `https://shop.example/${name}` }));
    const code = await server.api('POST', '/api/v1/codes', { name: 'proxy', url: 'https://shop.example/none', rules });
    expect(code.status, JSON.stringify(code.json)).toBe(201);
    const res = await fetch(`${server.url}/s/${code.json.slug}`, { redirect: 'manual', headers: { 'user-agent': IPHONE, 'x-forwarded-for': forwardedFor } });
    return res.headers.get('location')!.replace('https://shop.example/', '');
  } finally {
    await server.close();
  }
}

describe('HUOMA_TRUST_PROXY', () => {
  it('false: X-Forwarded-For is ignored, the socket address holds', async () => {
    expect(await believed('false', ONE_PROXY)).toBe('socket');
  });

  it('true: every proxy is believed, the leftmost (forgeable) address holds', async () => {
    expect(await believed('true', ONE_PROXY)).toBe('forged');
  });

  it('a hop count believes that many proxies and no more: a forged entry further left is not taken', async () => {
    expect(await believed('1', ONE_PROXY)).toBe('proxy');
    expect(await believed('2', TWO_PROXIES)).toBe('edge');
    expect(await believed('0', ONE_PROXY)).toBe('socket');
  });

  it('addresses and CIDRs believe only those proxies', async () => {
    expect(await believed('127.0.0.1', ONE_PROXY)).toBe('proxy');
    expect(await believed('127.0.0.0/8', ONE_PROXY)).toBe('proxy');
    expect(await believed('127.0.0.1, 198.51.100.0/24', TWO_PROXIES)).toBe('edge');
    expect(await believed('10.0.0.5', ONE_PROXY)).toBe('socket');
  });

  it('refuses anything else at start-up, by name', () => {
    // A /0 is refused too: Fastify would fail on it later with no variable named, and it means `true`.
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', '1.5', '', '10.0.0.0/0', '::/0', '127.0.0.1, 0.0.0.0/0']) {
      expect(() => loadConfig({}, { HUOMA_TRUST_PROXY: bad, HUOMA_SECRET: 'x'.repeat(32) }), bad).toThrow(/HUOMA_TRUST_PROXY: /);
    }
  });
});

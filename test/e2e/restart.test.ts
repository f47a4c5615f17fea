import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/db.ts';
import { describeEach, missing } from '../support/engines.ts';
import { createDatabase } from '../support/postgres.ts';
import { inject } from 'vitest';
import { missingScans, scanUntil } from '../support/load.ts';
import { runCli, startChildServer, type ChildServer } from '../support/server.ts';

const pgServer = inject('postgresUrl');
const targets = [
  { name: 'sqlite', missing: null, args: async () => ['--data', mkdtempSync(join(tmpdir(), 'huoma-restart-'))] },
  { name: 'postgres', missing: missing('postgresUrl'), args: async () => ['--database-url', await createDatabase(pgServer)] },
];

async function setUp(args: string[]) {
  const cli = await runCli(['token', 'create', '--role', 'owner', '--name', 'restart', ...args]);
  const token = cli.stdout.trim().split('\n').at(-1)!;
  const server = await startChildServer(args);
  const res = await fetch(`${server.url}/api/v1/codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'restart', url: 'https://shop.example/a' }),
  });
  const code = (await res.json()) as { id: string; slug: string };
  return { server, token, code };
}

describeEach(targets, 'restarting mid-load', (target) => {
  const started: ChildServer[] = [];
  afterAll(() => {
    for (const s of started) s.process.kill('SIGKILL');
  });

  it('keeps every scan that got an answer when the process is killed outright', async () => {
    const args = await target.args();
    const { server, token, code } = await setUp(args);
    started.push(server);
    const loading = scanUntil(server.url, code.slug, 16);
    await new Promise((r) => setTimeout(r, 1500));
    server.process.kill('SIGKILL');
    const answered = await loading;
    await server.exited;
    expect(answered.length).toBeGreaterThan(50);

    // Back up on the same data: every answered scan is there, and counted.
    const again = await startChildServer(args);
    started.push(again);
    const stats = await (await fetch(`${again.url}/api/v1/codes/${code.id}`, { headers: { authorization: `Bearer ${token}` } })).json();
    again.process.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    const storage = openStorage({ dataDir: args[1]!, databaseUrl: args[0] === '--database-url' ? args[1] : undefined });
    const missing = await missingScans(storage, answered);
    await storage.close();
    expect(missing).toEqual([]);
    expect(stats.scanCount).toBeGreaterThanOrEqual(answered.length);
  });

  it('on SIGTERM finishes in-flight scans, commits them and exits 0', async () => {
    const args = await target.args();
    const { server, code } = await setUp(args);
    started.push(server);
    const loading = scanUntil(server.url, code.slug, 16);
    await new Promise((r) => setTimeout(r, 800));
    const t = Date.now();
    server.process.kill('SIGTERM');
    const answered = await loading;
    expect(await server.exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(10_000);
    const storage = openStorage({ dataDir: args[1]!, databaseUrl: args[0] === '--database-url' ? args[1] : undefined });
    const missing = await missingScans(storage, answered);
    await storage.close();
    expect(missing).toEqual([]);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startChildServer } from '../support/server.ts';

describe('the huoma command', () => {
  it('creates a token that the server accepts, printed alone on the last line', async () => {
    const data = mkdtempSync(join(tmpdir(), 'huoma-cli-'));
    const cli = await runCli(['token', 'create', '--role', 'owner', '--name', '运营', '--data', data]);
    expect(cli.code).toBe(0);
    const token = cli.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^hm_[A-Za-z0-9_-]{43}$/);
    const server = await startChildServer(['--data', data]);
    try {
      const res = await fetch(`${server.url}/api/v1/codes`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    // Nothing secret goes to the log.
    expect(server.output()).not.toContain(token);
  });

  it('refuses an unknown role', async () => {
    const cli = await runCli(['token', 'create', '--role', 'king', '--name', 'x', '--data', mkdtempSync(join(tmpdir(), 'huoma-cli-'))]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('owner, admin, operator, analyst, viewer');
  });

  it('names every bad setting at start-up', async () => {
    const cli = await runCli(['serve', '--data', mkdtempSync(join(tmpdir(), 'huoma-cli-'))], {
      PORT: 'eighty',
      HUOMA_PUBLIC_URL: 'qr.example.com',
      HUOMA_SECRET: 'short',
      HUOMA_DATABASE_URL: 'mysql://x',
    });
    expect(cli.code).toBe(1);
    for (const name of ['PORT', 'HUOMA_PUBLIC_URL', 'HUOMA_SECRET', 'HUOMA_DATABASE_URL']) expect(cli.stderr).toContain(name);
  });

  it('migrates an empty database and says when it is up to date', async () => {
    const data = mkdtempSync(join(tmpdir(), 'huoma-cli-'));
    expect((await runCli(['migrate', '--data', data])).stdout).toContain('applied: 0001-live-codes');
    expect((await runCli(['migrate', '--data', data])).stdout).toContain('up to date');
  });
});

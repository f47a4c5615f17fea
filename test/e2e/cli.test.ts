import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/postgres.ts';
import { runCli, startChildServer } from '../support/server.ts';

const ROOT = join(import.meta.dirname, '../..');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Polls until `done` holds; fails the test if it never does (a bound, not a timing assertion). */
async function eventually(what: string, done: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 300; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

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

  // What the README says to run, stopped the way a terminal, docker or a service manager stops it:
  // a signal to npm itself. The server below it must drain and exit, not keep serving orphaned.
  it.each([
    ['npm start', 'SIGTERM'],
    ['npm start', 'SIGINT'],
    ['npx huoma serve', 'SIGTERM'],
  ] as const)('%s stops and drains on %s sent to npm', async (command, signal) => {
    const port = await freePort();
    const data = mkdtempSync(join(tmpdir(), 'huoma-npm-'));
    const [bin, ...args] = command === 'npm start' ? ['npm', 'start'] : ['npx', 'huoma', 'serve'];
    const npm = spawn(bin!, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HUOMA_DATA_DIR: data, HUOMA_HOST: '127.0.0.1', HUOMA_LOG_LEVEL: 'info' },
    });
    let output = '';
    npm.stdout.on('data', (d) => (output += d));
    npm.stderr.on('data', (d) => (output += d));
    const npmExited = new Promise((resolve) => npm.on('exit', resolve));
    const answers = async () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    await eventually('the server answers', answers);
    const server = Number(/"pid":(\d+).*listening on port/.exec(output)![1]);
    expect(server).not.toBe(npm.pid);
    try {
      npm.kill(signal);
      await npmExited;
      await eventually('the server process exits', () => !alive(server));
      expect(await answers()).toBe(false);
      expect(output).toContain('shutting down: finishing in-flight scans');
    } finally {
      if (alive(server)) process.kill(server, 'SIGKILL');
    }
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

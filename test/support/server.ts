import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type AppDeps, type HuomaApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Storage } from '../../src/storage/db.ts';
import type { Role } from '../../src/shared/actor.ts';
import { freePort } from './postgres.ts';

export interface TestServer {
  url: string;
  app: HuomaApp;
  token(role?: Role): Promise<string>;
  /** JSON API call with the owner token unless another is given. */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any; headers: Headers }>;
  close(): Promise<void>;
}

/** The real app on a random loopback port, driven over HTTP like any client would. */
export async function startServer(
  storage: Storage,
  env: Record<string, string> = {},
  deps: Pick<AppDeps, 'clock' | 'webhookPollMs' | 'wecomPollMs' | 'welcomeRetryMs' | 'bus' | 'scanWriter'> = {},
): Promise<TestServer> {
  const port = await freePort();
  const config = loadConfig(
    { port: String(port), data: mkdtempSync(join(tmpdir(), 'huoma-e2e-')) },
    { HUOMA_TRUST_PROXY: 'true', HUOMA_HOST: '127.0.0.1', HUOMA_WECOM_ALLOW_HOSTS: '127.0.0.1', ...env },
  );
  const app = createApp({ config, storage, logger: pino({ level: process.env.HUOMA_TEST_LOG ?? 'silent' }), ...deps });
  await app.http.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const owner = (await app.tokens.create('owner', 'owner')).token;
  return {
    url,
    app,
    token: async (role = 'owner') => (await app.tokens.create(role, role)).token,
    async api(method, path, body, token = owner) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
    },
    close: () => app.close(),
  };
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const BIN = join(import.meta.dirname, '../../bin/huoma.js');

/** Runs the CLI as a user would, with the given arguments and environment. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `huoma serve` in its own process, for tests that kill or signal it. */
export async function startChildServer(args: string[], env: Record<string, string> = {}): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], {
    env: { ...process.env, HUOMA_HOST: '127.0.0.1', HUOMA_LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (i > 300 || child.exitCode !== null) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, process: child, output: () => output, exited };
}

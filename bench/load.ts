// The load generator and the baseline every scan figure is read against, shared by the bench's tables.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/postgres.ts';

export const CONNECTIONS = 50;
export const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

export interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface Target {
  name: string;
  /** The load is split evenly over these URLs (one per instance). */
  urls: string[];
  stop(): Promise<string>;
}

/** `CONNECTIONS` phones scanning for `seconds`, spread over `urls`; non-2xx/3xx answers count as errors. */
export async function hammer(urls: string[], seconds: number): Promise<Result> {
  const runs = await Promise.all(
    urls.map((url) => autocannon({ url, connections: CONNECTIONS / urls.length, duration: seconds, headers: { 'user-agent': UA } })),
  );
  return {
    rps: runs.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.non2xx - r['3xx'], 0),
  };
}

/** The ceiling: node:http answering 302 from a Map in a process of its own (`cookies`: with Huoma-sized headers). */
export async function bare(mode: 'plain' | 'cookies'): Promise<Target> {
  const port = await freePort();
  const child = fork(join(import.meta.dirname, 'bare-302-server.ts'), [String(port), 'bench', mode], { execArgv: ['--import', 'tsx'] });
  await new Promise((resolve) => child.once('message', resolve));
  return {
    name: mode === 'plain' ? 'bare node:http 302 from a Map' : 'bare, with Huoma-sized headers',
    urls: [`http://127.0.0.1:${port}/s/bench`],
    async stop() {
      child.kill();
      return 'records nothing';
    },
  };
}

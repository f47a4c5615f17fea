// `npm run bench`: our scan path against a bare node:http 302 server, side by side in one run.
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openStorage } from '../src/storage/db.ts';
import { freePort } from '../test/support/postgres.ts';
import { runCli, startChildServer } from '../test/support/server.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

interface Target {
  name: string;
  url: string;
  stop(): Promise<string>;
}

async function hammer(url: string, seconds: number): Promise<Result> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { 'user-agent': UA } });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx - r['3xx'] };
}

/** A Huoma server on SQLite with one realistic code: the scan walks two rules to the default. */
async function huoma(sync: 'full' | 'normal'): Promise<Target> {
  const data = mkdtempSync(join(tmpdir(), 'huoma-bench-'));
  const token = (await runCli(['token', 'create', '--role', 'owner', '--name', 'bench', '--data', data])).stdout.trim().split('\n').at(-1)!;
  const server = await startChildServer(['--data', data], { HUOMA_LOG_LEVEL: 'warn', HUOMA_SQLITE_SYNC: sync });
  const res = await fetch(`${server.url}/api/v1/codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench',
      url: 'https://shop.example/bench',
      rules: [
        { when: { timeOfDay: { from: '03:00', to: '03:01' } }, url: 'https://shop.example/night' },
        { when: { os: ['harmonyos'], inWeChat: false }, url: 'https://shop.example/harmony' },
      ],
    }),
  });
  const { slug } = (await res.json()) as { slug: string };
  return {
    name: `huoma /s/:slug, SQLite, HUOMA_SQLITE_SYNC=${sync}`,
    url: `${server.url}/s/${slug}`,
    async stop() {
      server.process.kill('SIGTERM');
      await server.exited;
      const storage = openStorage({ dataDir: data });
      const row = await storage.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await storage.close();
      return `${row.n} scans recorded`;
    },
  };
}

async function bare(mode: 'plain' | 'cookies'): Promise<Target> {
  const port = await freePort();
  const child = fork(join(import.meta.dirname, 'bare-302-server.ts'), [String(port), 'bench', mode], { execArgv: ['--import', 'tsx'] });
  await new Promise((resolve) => child.once('message', resolve));
  return {
    name: mode === 'plain' ? 'bare node:http 302 from a Map' : 'bare, with Huoma-sized headers',
    url: `http://127.0.0.1:${port}/s/bench`,
    async stop() {
      child.kill();
      return 'records nothing';
    },
  };
}

async function main() {
  const targets = [await bare('plain'), await bare('cookies'), await huoma('full'), await huoma('normal')];
  for (const t of targets) await hammer(t.url, 2);
  const results = new Map<Target, Result[]>(targets.map((t) => [t, []]));
  for (let round = 0; round < ROUNDS; round++) for (const t of targets) results.get(t)!.push(await hammer(t.url, SECONDS));
  const best = (t: Target) => results.get(t)!.sort((a, b) => b.rps - a.rps)[0]!;
  const ceiling = best(targets[0]!).rps;
  const sameHeaders = best(targets[1]!).rps;

  console.log(`\nRedirects, ${CONNECTIONS} connections, best of ${ROUNDS} × ${SECONDS} s, autocannon in this process, servers in child processes`);
  for (const t of targets) {
    const r = best(t);
    const notes = await t.stop();
    console.log(
      `${t.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s  ${((r.rps / ceiling) * 100).toFixed(1).padStart(5)} % of bare` +
        `  ${((r.rps / sameHeaders) * 100).toFixed(1).padStart(5)} % of bare with the same headers` +
        `  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  (${notes})`,
    );
  }
}

await main();

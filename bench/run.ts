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
  p99: number;
  p50: number;
  non3xx: number;
}

async function hammer(url: string, seconds: number): Promise<Result> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { 'user-agent': UA } });
  return { rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50, non3xx: r.non2xx - r['3xx'] };
}

async function main() {
  const data = mkdtempSync(join(tmpdir(), 'huoma-bench-'));
  const cli = await runCli(['token', 'create', '--role', 'owner', '--name', 'bench', '--data', data]);
  const token = cli.stdout.trim().split('\n').at(-1)!;
  const ours = await startChildServer(['--data', data], { HUOMA_LOG_LEVEL: 'warn' });
  const created = await fetch(`${ours.url}/api/v1/codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench',
      url: 'https://shop.example/bench',
      // A realistic code: the scan walks two rules before the default.
      rules: [
        { when: { timeOfDay: { from: '03:00', to: '03:01' } }, url: 'https://shop.example/night' },
        { when: { os: ['harmonyos'], inWeChat: false }, url: 'https://shop.example/harmony' },
      ],
    }),
  });
  const { slug, id } = (await created.json()) as { slug: string; id: string };

  const barePort = await freePort();
  const bare = fork(join(import.meta.dirname, 'bare-302-server.ts'), [String(barePort), slug], { execArgv: ['--import', 'tsx'] });
  await new Promise((resolve) => bare.once('message', resolve));

  const bareUrl = `http://127.0.0.1:${barePort}/s/${slug}`;
  const ourUrl = `${ours.url}/s/${slug}`;
  await hammer(bareUrl, 2);
  await hammer(ourUrl, 2);
  const rounds: { bare: Result; ours: Result }[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push({ bare: await hammer(bareUrl, SECONDS), ours: await hammer(ourUrl, SECONDS) });

  bare.kill();
  ours.process.kill('SIGTERM');
  await ours.exited;
  const storage = openStorage({ dataDir: data });
  const row = await storage.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).where('code_id', '=', id).executeTakeFirstOrThrow();
  await storage.close();

  const best = (k: 'bare' | 'ours') => rounds.map((r) => r[k]).sort((a, b) => b.rps - a.rps)[0]!;
  const b = best('bare');
  const o = best('ours');
  const line = (name: string, r: Result) =>
    `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms`;
  console.log(`\nRedirect throughput, ${CONNECTIONS} connections, best of ${ROUNDS} × ${SECONDS} s, autocannon in this process`);
  console.log(line('bare node:http 302 from a Map', b));
  console.log(line('huoma GET /s/:slug (SQLite, FULL)', o));
  console.log(`ratio huoma / bare: ${((o.rps / b.rps) * 100).toFixed(1)} %   (target ≥ 50 %, p99 < 10 ms)`);
  console.log(`scans recorded durably: ${row.n} (every answered scan, warm-up included; non-3xx answers: ${o.non3xx})`);
}

await main();

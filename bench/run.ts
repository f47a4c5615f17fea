// `npm run bench`: our scan path against a bare node:http 302 server, side by side in one run;
// one vs two instances on PostgreSQL; the cost of shared counters; how fast an edit propagates.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createDatabase, findPostgresBin, freePort, startPostgres } from '../test/support/postgres.ts';
import { findRedisServer, startRedis } from '../test/support/redis.ts';
import { startCluster, sqliteArgs } from './huoma-cluster.ts';
import { propagation } from './propagation.ts';

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
  /** The load is split evenly over these URLs (one per instance). */
  urls: string[];
  stop(): Promise<string>;
}

async function hammer(urls: string[], seconds: number): Promise<Result> {
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

async function bare(mode: 'plain' | 'cookies'): Promise<Target> {
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

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function main() {
  const pgBin = findPostgresBin();
  const redisBin = findRedisServer();
  if (!pgBin || !redisBin) throw new Error('the bench needs PostgreSQL and Redis installed (apt-get install postgresql redis-server)');
  // Durable like production: fsync and synchronous_commit stay on.
  const postgres = await startPostgres(pgBin, { durable: true });
  const redis = await startRedis(redisBin);
  const pg = async () => ['--database-url', await createDatabase(postgres.url)];
  const limitedCode = { deviceLimit: { max: 3, period: 'day' } };

  const targets: Target[] = [
    await bare('plain'),
    await bare('cookies'),
    await startCluster({ name: 'huoma, SQLite, 1 process (sync full)', storageArgs: sqliteArgs(), instances: 1 }),
    await startCluster({ name: 'huoma, SQLite, 1 process (sync normal)', storageArgs: sqliteArgs(), instances: 1, env: { HUOMA_SQLITE_SYNC: 'normal' } }),
    await startCluster({ name: 'huoma, PostgreSQL, 1 instance', storageArgs: await pg(), instances: 1 }),
    await startCluster({ name: 'huoma, PostgreSQL, 2 instances', storageArgs: await pg(), instances: 2 }),
    await startCluster({ name: 'huoma, PG, 2 inst., device limit, counters in PG', storageArgs: await pg(), instances: 2, code: limitedCode }),
    await startCluster({ name: 'huoma, PG, 2 inst., device limit, counters in Redis', storageArgs: await pg(), instances: 2, code: limitedCode, env: { HUOMA_REDIS_URL: redis.url } }),
  ];
  for (const t of targets) await hammer(t.urls, 2);
  const results = new Map<Target, Result[]>(targets.map((t) => [t, []]));
  for (let round = 0; round < ROUNDS; round++) for (const t of targets) results.get(t)!.push(await hammer(t.urls, SECONDS));
  const best = (t: Target) => results.get(t)!.sort((a, b) => b.rps - a.rps)[0]!;
  const ceiling = best(targets[0]!).rps;
  const sameHeaders = best(targets[1]!).rps;
  const onePg = best(targets[4]!).rps;

  console.log(`\nRedirects, ${CONNECTIONS} connections in all, best of ${ROUNDS} × ${SECONDS} s, autocannon in this process, servers in child processes, all on this machine's cores`);
  for (const t of targets) {
    const r = best(t);
    console.log(
      `${t.name.padEnd(52)} ${r.rps.toFixed(0).padStart(7)} req/s  ${((r.rps / ceiling) * 100).toFixed(1).padStart(5)} % of bare` +
        `  ${((r.rps / sameHeaders) * 100).toFixed(1).padStart(5)} % of bare w/ headers  ${((r.rps / onePg) * 100).toFixed(0).padStart(4)} % of 1 PG instance` +
        `  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`,
    );
  }

  // Idle cluster, edits one after another: the delay a person would see between saving and a scan obeying.
  const twoPg = targets[5] as Awaited<ReturnType<typeof startCluster>>;
  const delays = await propagation(twoPg, 50);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  console.log(`\nEdit on instance A → obeyed by instance B (PostgreSQL LISTEN/NOTIFY), 50 edits: median ${ms(at(0.5))}, p95 ${ms(at(0.95))}, max ${ms(delays.at(-1)!)}`);

  console.log('');
  for (const t of targets) console.log(`${t.name}: ${await t.stop()}`);
  await redis.stop();
  await postgres.stop();
}

await main();

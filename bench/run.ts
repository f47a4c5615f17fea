// `npm run bench`: our scan path against a bare node:http 302 server, side by side in one run, for
// each code type and engine; variants (durability, limits, shared counters); how fast an edit propagates.
// BENCH_ONLY=scan runs just the scan-path table, BENCH_ONLY=heavy just the heavy-work figures.
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { findPostgresBin } from '../test/support/postgres.ts';
import { findRedisServer, startRedis } from '../test/support/redis.ts';
import { startCluster, startOnPostgres, sqliteArgs, type Post } from './huoma-cluster.ts';
import { heavyWorkBench } from './heavy-work.ts';
import { bare, CONNECTIONS, hammer, UA, type Result, type Target } from './load.ts';
import { propagation } from './propagation.ts';
import { pickStaffBench } from './pick-staff.ts';
import { scanPathBench, scanPathTable, staffCode } from './scan-path.ts';
import { chain, storeMatchBench } from './store-match.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SCAN_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SCAN_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const ms = (x: number) => `${x.toFixed(1)} ms`;
const perSecond = (x: number) => `${Math.round(x).toLocaleString("en-US")} decisions/s`;

async function main() {
  const pgBin = findPostgresBin();
  const redisBin = findRedisServer();
  if (!pgBin || !redisBin) throw new Error('the bench needs PostgreSQL and Redis installed (apt-get install postgresql redis-server)');
  const only = process.env.BENCH_ONLY;

  if (only === undefined || only === 'scan') {
    const rows = await scanPathBench(SCAN_SECONDS, SCAN_ROUNDS, pgBin, (line) => console.error(line));
    console.log(`${scanPathTable(rows, SCAN_SECONDS, SCAN_ROUNDS)}\n`);
    if (only === 'scan') return;
  }

  if (only === undefined || only === 'heavy') {
    const heavy = await heavyWorkBench(SECONDS, UA);
    const { atRest, duringZips: zips, duringImports: imports } = heavy;
    console.log(`Scan p99 (10 connections, ${SECONDS} s each, SQLite, 1 process): at rest ${atRest} ms;` +
      ` while four viewers download 4096 px ZIPs (16 codes each) ${zips.p99} ms (${zips.zips} ZIPs done);`);
    console.log(`  while importing ${(imports.bytes / 1e6).toFixed(1)} MB store CSVs of 100,000 rows ${imports.p99} ms (${imports.imports} imports done)\n`);
    if (only === 'heavy') return;
  }

  const picks = pickStaffBench();
  console.log(`pickStaff over a ${picks.members}-member staff code (tiers prepared, as the scan path keeps them), in this process:`);
  console.log(`  weighted ${perSecond(picks.weighted)}, round robin ${perSecond(picks.roundRobin)}, least loaded ${perSecond(picks.leastLoaded)};` +
    ` with tiers built and every candidate traced (a simulation) ${perSecond(picks.simulated)}`);
  console.log(`  baseline, a bare weighted pick over the same 2,000 weights (linear scan, no rules): ${perSecond(picks.baseline)}` +
    ` → weighted pickStaff at ${((picks.weighted / picks.baseline) * 100).toFixed(0)} % of it`);

  const redis = await startRedis(redisBin);
  const limitedCode = { deviceLimit: { max: 3, period: 'day' } };
  // Variants of the scan path the table above leaves out. Each target runs alone, from start to
  // stop, so idle servers and their databases cost the others nothing.
  const targets: (() => Promise<Target>)[] = [
    () => bare('plain'),
    () => bare('cookies'),
    () => startCluster({ name: 'huoma, SQLite, 1 process (sync normal)', storageArgs: sqliteArgs(), instances: 1, env: { HUOMA_SQLITE_SYNC: 'normal' } }),
    () => startCluster({ name: 'huoma, SQLite, staff code, daily limits', storageArgs: sqliteArgs(), instances: 1, code: staffCode(1_000_000) }),
    () => startOnPostgres(pgBin, { name: 'huoma, PG, 2 inst., device limit, counters in PG', instances: 2, code: limitedCode }),
    () => startOnPostgres(pgBin, {
      name: 'huoma, PG, 2 inst., device limit, counters in Redis', instances: 2, code: limitedCode, env: { HUOMA_REDIS_URL: redis.url },
    }),
  ];
  const rows: { name: string; best: Result; notes: string }[] = [];
  for (const start of targets) {
    const t = await start();
    await hammer(t.urls, 2);
    const runs: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await hammer(t.urls, SECONDS));
    rows.push({ name: t.name, best: runs.sort((a, b) => b.rps - a.rps)[0]!, notes: await t.stop() });
    // The next target must not wait on the disk writing back this one's data.
    execFileSync('sync');
  }
  const ceiling = rows[0]!.best.rps;
  const sameHeaders = rows[1]!.best.rps;

  console.log(`Variants, ${CONNECTIONS} connections in all, best of ${ROUNDS} × ${SECONDS} s, autocannon in this process,` +
    ` servers in child processes, all on this machine's cores`);
  for (const { name, best: r, notes } of rows) {
    console.log(
      `${name.padEnd(52)} ${r.rps.toFixed(0).padStart(7)} req/s  ${((r.rps / ceiling) * 100).toFixed(1).padStart(5)} % of bare` +
        `  ${((r.rps / sameHeaders) * 100).toFixed(1).padStart(5)} % of bare w/ headers  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  (${notes})`,
    );
  }

  // A region code over 20,000 stores: one locate (match, pick, record) at a time over HTTP.
  const { stores, near } = chain();
  const regionCode = async (post: Post, token: string, base: string) => {
    const staffId = (await post('/api/v1/staff', { name: 'store staff', contactQrUrl: 'https://img.example/s.png' })).id;
    const lines = stores.map((s, i) => `店${i},上海,上海,路 ${i} 号,${s.lat.toFixed(6)},${s.lng.toFixed(6)},${staffId}`);
    const csv = ['name,province,city,address,lat,lng,staff_ids', ...lines].join('\n');
    const auth = { authorization: `Bearer ${token}` };
    const importing = { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv };
    const imported = await (await fetch(`${base}/api/v1/stores/import`, importing)).json();
    const ids = (await (await fetch(`${base}/api/v1/stores?limit=500`, { headers: auth })).json()).items.map((s: { id: string }) => s.id);
    for (let cursor = ids.at(-1); ids.length < stores.length; cursor = ids.at(-1)) {
      const page = await (await fetch(`${base}/api/v1/stores?limit=500&cursor=${cursor}`, { headers: { authorization: `Bearer ${token}` } })).json();
      ids.push(...page.items.map((s: { id: string }) => s.id));
    }
    const serviceArea = { mode: 'distance', km: 5 };
    const code = await post('/api/v1/codes', { type: 'region', name: 'bench', storeIds: ids, serviceArea, backupStaffIds: [staffId] });
    return { imported: imported.imported, code };
  };
  const regionCluster = await startCluster({ name: 'region', storageArgs: sqliteArgs(), instances: 1, code: { url: 'https://shop.example/unused' } });
  const base = regionCluster.servers[0]!.url;
  const headers = { authorization: `Bearer ${regionCluster.token}`, 'content-type': 'application/json' };
  const post: Post = async (path, body) => (await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json();
  const region = await regionCode(post, regionCluster.token, base);
  const scanner = near();
  // The step stands on a scan: one, whose id every request reuses (it holds for 30 minutes).
  const { scanId } = await (await fetch(`${base}/s/${region.code.slug}`, { headers: { accept: 'application/json', 'user-agent': UA } })).json();
  const locate = await autocannon({
    url: `${base}/s/${region.code.slug}/locate`, method: 'POST', connections: 10, duration: SECONDS,
    headers: { 'content-type': 'application/json', 'user-agent': UA }, body: JSON.stringify({ lat: scanner.lat, lng: scanner.lng, consent: true, scanId }),
  });
  await regionCluster.stop();
  console.log(`\nPOST /s/:slug/locate on a region code over ${region.imported} stores (SQLite, each match recorded), 10 connections, ${SECONDS} s:` +
    ` ${locate.requests.average.toFixed(0)} req/s, p50 ${locate.latency.p50} ms, p99 ${locate.latency.p99} ms, errors ${locate.errors + locate.non2xx}`);
  const matching = storeMatchBench();
  console.log(`Nearest-store matching over ${matching.stores} stores, in this process (${matching.agree}/1000 answers equal to a full scan's):`);
  const matches = (x: number) => perSecond(x).replace('decisions', 'matches');
  console.log(`  k-d tree search ${matches(matching.indexed)}, whole decision (radius, ties, rule) ${matches(matching.matched)}`);
  console.log(`  brute force (one pass over every store) ${matches(matching.scanned)} → search ${(matching.indexed / matching.scanned).toFixed(0)}×,` +
    ` whole decision ${(matching.matched / matching.scanned).toFixed(0)}× faster`);

  // An idle cluster, edits one after another: the delay between saving and a scan obeying.
  const pair = await startOnPostgres(pgBin, { name: 'propagation', instances: 2 });
  const delays = await propagation(pair, 50);
  await pair.stop();
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  console.log(`\nEdit on instance A → obeyed by instance B (PostgreSQL LISTEN/NOTIFY), 50 edits:` +
    ` median ${ms(at(0.5))}, p95 ${ms(at(0.95))}, max ${ms(delays.at(-1)!)}`);
  await redis.stop();
}

await main();

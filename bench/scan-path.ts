// The scan path against the bare 302 server: each code type on each engine, every round of a
// target right after a round of bare, so each ratio is read within one stretch of the machine's load.
import { execFileSync } from 'node:child_process';
import { cpuTime, type CpuTime } from './cpu-time.ts';
import { bare, hammer, type Result } from './load.ts';
import { startCluster, sqliteArgs, startOnPostgres, type Cluster, type Post } from './huoma-cluster.ts';

type CodeType = 'url' | 'staff' | 'region';

interface Goal {
  ratio: number;
  p99?: number;
}

/** Issue 12's goals: URL codes on SQLite ≥ 0.50 with p99 < 10 ms, on one PostgreSQL instance ≥ 0.30; pages ≥ 0.30. */
const GOALS: Record<string, Partial<Record<CodeType, Goal>>> = {
  sqlite: { url: { ratio: 0.5, p99: 10 }, staff: { ratio: 0.3 }, region: { ratio: 0.3 } },
  pg1: { url: { ratio: 0.3 }, staff: { ratio: 0.3 }, region: { ratio: 0.3 } },
  pg2: {},
};

export interface ScanPathRow {
  type: CodeType;
  engine: string;
  /** The median round by ratio. */
  round: Result;
  bare: Result;
  ratio: number;
  /** CPU time per scan in the median round (µs), null where /proc cannot be read. */
  cpu: CpuTime | null;
  goal: Goal | undefined;
  met: boolean | undefined;
  notes: string;
}

/** A staff code over 20 members (personal contact QRs, no WeCom) in two departments, weighted 3 : 7. */
export const staffCode = (dailyLimit: number | null) => async (post: Post) => {
  const departments = [(await post('/api/v1/departments', { name: 'A' })).id, (await post('/api/v1/departments', { name: 'B' })).id];
  for (let i = 0; i < 20; i++) {
    await post('/api/v1/staff', { name: `m${i}`, departmentId: departments[i % 2], contactQrUrl: `https://img.example/m${i}.png`, dailyLimit });
  }
  const backup = (await post('/api/v1/staff', { name: 'backup', contactQrUrl: 'https://img.example/backup.png' })).id;
  const members = [{ departmentId: departments[0], weight: 3 }, { departmentId: departments[1], weight: 7 }];
  return { type: 'staff', name: 'bench staff', members, backupStaffIds: [backup] };
};

/** A region code over three stores: its scan answers the location page. */
const regionCode = async (post: Post) => {
  const staff = (await post('/api/v1/staff', { name: 'store staff', contactQrUrl: 'https://img.example/s.png' })).id;
  const at = [{ lat: 31.19, lng: 121.43 }, { lat: 31.22, lng: 121.54 }, { lat: 39.91, lng: 116.4 }];
  const storeIds: string[] = [];
  for (const [i, p] of at.entries()) {
    storeIds.push((await post('/api/v1/stores', { name: `店${i}`, province: '上海', city: '上海', address: `路 ${i} 号`, ...p, staffIds: [staff] })).id);
  }
  return { type: 'region', name: 'bench region', storeIds, serviceArea: { mode: 'distance', km: 5 }, backupStaffIds: [staff] };
};

/** The cluster's URL code is the bench code; staff and region codes are added beside it. */
async function withEveryType(cluster: Cluster): Promise<Record<CodeType, string[]>> {
  const slugs = { url: cluster.code.slug, staff: (await cluster.create(staffCode(null))).slug, region: (await cluster.create(regionCode)).slug };
  const urls = (slug: string) => cluster.servers.map((s) => `${s.url}/s/${slug}`);
  return { url: urls(slugs.url), staff: urls(slugs.staff), region: urls(slugs.region) };
}

const median = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;

export async function scanPathBench(seconds: number, rounds: number, pgBin: string, log: (line: string) => void): Promise<ScanPathRow[]> {
  const baseline = await bare('plain');
  const engines: { key: string; name: string; start: () => Promise<Cluster & { stop(): Promise<string> }> }[] = [
    { key: 'sqlite', name: 'SQLite (sync full)', start: () => startCluster({ name: 'SQLite', storageArgs: sqliteArgs(), instances: 1 }) },
    { key: 'pg1', name: 'PostgreSQL, 1 instance', start: () => startOnPostgres(pgBin, { name: 'PG 1', instances: 1 }) },
    { key: 'pg2', name: 'PostgreSQL, 2 instances', start: () => startOnPostgres(pgBin, { name: 'PG 2', instances: 2 }) },
  ];
  const rows: ScanPathRow[] = [];
  try {
    await hammer(baseline.urls, 2);
    for (const engine of engines) {
      const cluster = await engine.start();
      const urls = await withEveryType(cluster);
      const measured: Omit<ScanPathRow, 'notes'>[] = [];
      for (const type of ['url', 'staff', 'region'] as const) {
        await hammer(urls[type], 2);
        const runs: { round: Result; bare: Result; ratio: number; cpu: CpuTime | null }[] = [];
        const pids = cluster.servers.map((s) => s.process.pid!);
        for (let r = 0; r < rounds; r++) {
          const b = await hammer(baseline.urls, seconds);
          const before = cpuTime(pids);
          const round = await hammer(urls[type], seconds);
          const after = cpuTime(pids);
          const scans = round.rps * seconds;
          const cpu = before && after ? { loopUs: (after.loopUs - before.loopUs) / scans, processUs: (after.processUs - before.processUs) / scans } : null;
          runs.push({ round, bare: b, ratio: round.rps / b.rps, cpu });
        }
        const mid = median(runs, (x) => x.ratio);
        const goal = GOALS[engine.key]![type];
        const met = goal && mid.ratio >= goal.ratio && (goal.p99 === undefined || mid.round.p99 < goal.p99);
        measured.push({ type, engine: engine.name, ...mid, goal, met });
        log(`  ${type} on ${engine.name}: ratios ${runs.map((x) => x.ratio.toFixed(2)).join(', ')}`);
      }
      const notes = await cluster.stop();
      for (const m of measured) rows.push({ ...m, notes });
      // The next engine must not wait on the disk writing back this one's data.
      execFileSync('sync');
    }
  } finally {
    await baseline.stop();
  }
  return rows;
}

export function scanPathTable(rows: ScanPathRow[], seconds: number, rounds: number): string {
  const goalText = (g: Goal | undefined) => (g ? `≥ ${g.ratio.toFixed(2)}${g.p99 ? `, p99 < ${g.p99} ms` : ''}` : '—');
  const lines = [
    `Scan path (GET /s/<slug>), ${rounds} rounds × ${seconds} s, each right after a round of the bare 302 server; the median round by ratio`,
    `${'code'.padEnd(7)}${'engine'.padEnd(25)}${'req/s'.padStart(8)}${'p50'.padStart(7)}${'p99'.padStart(7)}` +
      `${'bare req/s'.padStart(12)}${'ratio'.padStart(7)}${'µs/scan loop'.padStart(14)}${'process'.padStart(9)}  ${'goal'.padEnd(22)}met`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.type.padEnd(7)}${r.engine.padEnd(25)}${r.round.rps.toFixed(0).padStart(8)}${`${r.round.p50}`.padStart(7)}${`${r.round.p99}`.padStart(7)}` +
        `${r.bare.rps.toFixed(0).padStart(12)}${r.ratio.toFixed(2).padStart(7)}` +
        `${(r.cpu ? r.cpu.loopUs.toFixed(0) : '—').padStart(14)}${(r.cpu ? r.cpu.processUs.toFixed(0) : '—').padStart(9)}  ${goalText(r.goal).padEnd(22)}` +
        `${r.met === undefined ? '—' : r.met ? 'yes' : 'NO'}` +
        `${r.round.errors ? `  (${r.round.errors} errors)` : ''}`,
    );
  }
  lines.push(
    "(p50/p99 in ms; µs/scan: the servers' CPU time per answered scan, of the event loop and of the whole process (the scan writer thread's too); " +
      `scans recorded per engine: ${[...new Set(rows.map((r) => `${r.engine}: ${r.notes}`))].join('; ')})`,
  );
  return lines.join('\n');
}

// Scan latency while the server draws big QR ZIPs or imports a large store CSV, against the same
// scans at rest in the same run: heavy work runs in worker threads and must not reach the scans.
import autocannon from 'autocannon';
import { startCluster, sqliteArgs } from './huoma-cluster.ts';

const ZIP_CODES = 16; // the most 4096 px images one ZIP may hold
const IMPORT_ROWS = 100_000; // the most rows one import may hold

export interface HeavyWorkResult {
  atRest: number;
  duringZips: { p99: number; zips: number };
  duringImports: { p99: number; imports: number; bytes: number };
}

/** Runs `work` over and over, `lanes` at a time, until `stop` resolves; how many finished. */
async function busy(lanes: number, work: (lane: number) => Promise<void>, stop: Promise<unknown>): Promise<number> {
  let done = 0;
  let over = false;
  void stop.then(() => (over = true));
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    while (!over) {
      await work(lane);
      done++;
    }
  }));
  return done;
}

export async function heavyWorkBench(seconds: number, userAgent: string): Promise<HeavyWorkResult> {
  const cluster = await startCluster({ name: 'heavy work', storageArgs: sqliteArgs(), instances: 1 });
  const base = cluster.servers[0]!.url;
  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${init.token ?? cluster.token}`, ...init.headers } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const json = (path: string, body: object) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  for (let i = 0; i < ZIP_CODES; i++) await json('/api/v1/codes', { type: 'url', name: `zip-${i}`, url: 'https://shop.example/zip', tags: ['zip'] });
  // Four viewers, each downloading one ZIP after another.
  const viewer = async (i: number) => (await json('/api/v1/tokens', { name: `viewer ${i}`, role: 'viewer' })).token as string;
  const viewers = await Promise.all([1, 2, 3, 4].map(viewer));
  const row = (i: number) => `店${i},上海,上海,某路 ${i} 号,${(31 + (i % 1000) / 5000).toFixed(6)},${(121.3 + i / 500_000).toFixed(6)}`;
  const csv = ['name,province,city,address,lat,lng', ...Array.from({ length: IMPORT_ROWS }, (_, i) => row(i))].join('\n');

  const scans = () => autocannon({ url: cluster.urls[0]!, connections: 10, duration: seconds, headers: { 'user-agent': userAgent } });
  await autocannon({ url: cluster.urls[0]!, connections: 10, duration: 2, headers: { 'user-agent': userAgent } });
  const rest = await scans();

  const whileZips = scans();
  const zip = async (lane: number) => void (await (await call(`/api/v1/codes/qr.zip?tag=zip&size=4096`, { token: viewers[lane]! })).arrayBuffer());
  const zips = await busy(4, zip, whileZips);
  const zipScans = await whileZips;

  const whileImports = scans();
  const importCsv = async () => void (await call('/api/v1/stores/import', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }));
  const imports = await busy(1, importCsv, whileImports);
  const importScans = await whileImports;
  await cluster.stop();
  return {
    atRest: rest.latency.p99,
    duringZips: { p99: zipScans.latency.p99, zips },
    duringImports: { p99: importScans.latency.p99, imports, bytes: Buffer.byteLength(csv) },
  };
}

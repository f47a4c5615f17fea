// Huoma servers for the bench: one or several `huoma serve` processes on one database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../src/storage/db.ts';
import { createDatabase, startPostgres } from '../test/support/postgres.ts';
import { runCli, startChildServer, type ChildServer } from '../test/support/server.ts';

/** A JSON POST to the cluster's API as its owner. */
export type Post = (path: string, body: object) => Promise<any>;
/** A code's fields, or a function that makes what it needs first (staff) and returns them. */
export type CodeFields = object | ((post: Post) => Promise<object>);

export interface Cluster {
  name: string;
  /** Every instance's URL for the bench code's scan. */
  urls: string[];
  servers: ChildServer[];
  token: string;
  code: { id: string; slug: string };
  /** Another code on the same cluster. */
  create(fields: CodeFields): Promise<{ id: string; slug: string }>;
  /** Stops the instances; what the database held (a SQLite one is then deleted). */
  stop(): Promise<string>;
}

export interface ClusterOptions {
  name: string;
  /** `--data <dir>` for SQLite, `--database-url <url>` for PostgreSQL. */
  storageArgs: string[];
  instances: number;
  env?: Record<string, string>;
  /** The bench code's fields (merged over a URL code with two rules), or a function that makes them. */
  code?: CodeFields;
}

/** A realistic code: the scan walks two rules to the default URL. */
const BENCH_CODE = {
  name: 'bench',
  url: 'https://shop.example/bench',
  rules: [
    { when: { timeOfDay: { from: '03:00', to: '03:01' } }, url: 'https://shop.example/night' },
    { when: { os: ['harmonyos'], inWeChat: false }, url: 'https://shop.example/harmony' },
  ],
};

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { storageArgs } = options;
  const token = (await runCli(['token', 'create', '--role', 'owner', '--name', 'bench', ...storageArgs])).stdout.trim().split('\n').at(-1)!;
  // BENCH_CPU_PROF=<dir>: each server writes a CPU profile there when it stops.
  const profile: Record<string, string> = process.env.BENCH_CPU_PROF ? { NODE_OPTIONS: `--import ${join(import.meta.dirname, 'cpu-profile.mjs')}` } : {};
  const env = { HUOMA_LOG_LEVEL: 'warn', ...profile, ...options.env };
  const servers = await Promise.all(Array.from({ length: options.instances }, () => startChildServer(storageArgs, env)));
  const post: Post = async (path, body) => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await fetch(`${servers[0]!.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return res.json();
  };
  const create = async (fields: CodeFields): Promise<{ id: string; slug: string }> =>
    post('/api/v1/codes', typeof fields === 'function' ? await fields(post) : fields);
  const code = await create(typeof options.code === 'function' ? options.code : { ...BENCH_CODE, ...options.code });
  return {
    name: options.name,
    urls: servers.map((s) => `${s.url}/s/${code.slug}`),
    servers,
    token,
    code,
    create,
    async stop() {
      for (const s of servers) s.process.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
      const [flag, value] = storageArgs;
      const storage = openStorage({ dataDir: flag === '--data' ? value! : tmpdir(), databaseUrl: flag === '--database-url' ? value : undefined });
      const row = await storage.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await storage.close();
      if (flag === '--data') rmSync(value!, { recursive: true, force: true });
      return `${row.n} scans recorded`;
    },
  };
}

export const sqliteArgs = () => ['--data', mkdtempSync(join(tmpdir(), 'huoma-bench-'))];

/** A cluster on a PostgreSQL server of its own, so no target pays for another's autovacuum or checkpoints. */
export async function startOnPostgres(pgBin: string, options: Omit<ClusterOptions, 'storageArgs'>): Promise<Cluster> {
  // Durable like production: fsync and synchronous_commit stay on.
  const postgres = await startPostgres(pgBin, { durable: true });
  const cluster = await startCluster({ ...options, storageArgs: ['--database-url', await createDatabase(postgres.url)] });
  return {
    ...cluster,
    async stop() {
      const notes = await cluster.stop();
      await postgres.stop();
      return notes;
    },
  };
}

// Huoma servers for the bench: one or several `huoma serve` processes on one database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../src/storage/db.ts';
import { runCli, startChildServer, type ChildServer } from '../test/support/server.ts';

export interface Cluster {
  name: string;
  /** Every instance's URL for the bench code's scan. */
  urls: string[];
  servers: ChildServer[];
  token: string;
  code: { id: string; slug: string };
  /** Stops the instances; what the database held (a SQLite one is then deleted). */
  stop(): Promise<string>;
}

export interface ClusterOptions {
  name: string;
  /** `--data <dir>` for SQLite, `--database-url <url>` for PostgreSQL. */
  storageArgs: string[];
  instances: number;
  env?: Record<string, string>;
  /** The bench code's fields, or a function that makes what it needs first (staff) and returns them. */
  code?: object | ((post: (path: string, body: object) => Promise<any>) => Promise<object>);
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
  const env = { HUOMA_LOG_LEVEL: 'warn', ...options.env };
  const servers = await Promise.all(Array.from({ length: options.instances }, () => startChildServer(storageArgs, env)));
  const post = async (path: string, body: object) => {
    const res = await fetch(`${servers[0]!.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  };
  const fields = typeof options.code === 'function' ? await options.code(post) : { ...BENCH_CODE, ...options.code };
  const code = (await post('/api/v1/codes', fields)) as { id: string; slug: string };
  return {
    name: options.name,
    urls: servers.map((s) => `${s.url}/s/${code.slug}`),
    servers,
    token,
    code,
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

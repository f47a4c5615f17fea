import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterTasks, type ClusterTask } from '../src/ops/cluster-tasks.ts';
import { openStorage, type Storage } from '../src/storage/db.ts';
import { describeEngines } from './support/engines.ts';

describeEngines('background work runs once per cluster', (engine) => {
  let first: Storage;
  let second: Storage;
  let now = 1_000_000;
  const clock = { now: () => now };
  const runs: string[] = [];
  let hang: Promise<void> | null = null;
  let fail = false;

  const task: ClusterTask = {
    name: 'sweep',
    everyMs: 60_000,
    leaseMs: 10_000,
    async run() {
      runs.push('sweep');
      if (hang) await hang;
      if (fail) throw new Error('disk full');
    },
  };

  beforeAll(async () => {
    first = await engine.open();
    // A second instance: its own connections to the same PostgreSQL database; SQLite is one process.
    second = engine.name === 'postgres' && first.connectionString ? openStorage({ dataDir: tmpdir(), databaseUrl: first.connectionString }) : first;
  });
  afterAll(async () => {
    if (second !== first) await second.close();
    await first.close();
  });

  it('runs a due task on exactly one instance, and again only when the next period begins', async () => {
    const a = new ClusterTasks(first.db, clock, 'a', [task]);
    const b = new ClusterTasks(second.db, clock, 'b', [task]);
    const both = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    expect(both.flat()).toEqual(['sweep']);
    expect(runs).toHaveLength(1);
    now += 59_999;
    expect([...(await a.tick()), ...(await b.tick())]).toEqual([]);
    now += 1;
    expect((await Promise.all([b.tick(), a.tick()])).flat()).toEqual(['sweep']);
    expect(runs).toHaveLength(2);
  });

  it('lets another instance take over once the lease of one that stopped answering ends', async () => {
    const a = new ClusterTasks(first.db, clock, 'a', [task]);
    const b = new ClusterTasks(second.db, clock, 'b', [task]);
    now += 60_000;
    let unblock = () => {};
    hang = new Promise((r) => (unblock = r));
    const stuck = a.tick();
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.tick()).toEqual([]);
    now += 10_001;
    hang = null;
    expect(await b.tick()).toEqual(['sweep']);
    unblock();
    await stuck;
    expect(runs).toHaveLength(4);
    const row = await first.db.selectFrom('cluster_tasks').selectAll().where('name', '=', 'sweep').executeTakeFirstOrThrow();
    expect(row.last_run_by).toBe('b');
    expect(row.locked_by).toBeNull();
  });

  it('keeps the error of a failed run and tries again next period', async () => {
    const a = new ClusterTasks(first.db, clock, 'a', [task]);
    const seen: string[] = [];
    const b = new ClusterTasks(second.db, clock, 'b', [task], (name, result) => seen.push(`${name}:${result}`));
    now += 60_000;
    fail = true;
    expect(await b.tick()).toEqual(['sweep']);
    expect(seen).toEqual(['sweep:failed']);
    const row = await first.db.selectFrom('cluster_tasks').selectAll().where('name', '=', 'sweep').executeTakeFirstOrThrow();
    expect(row.last_error).toBe('disk full');
    fail = false;
    expect(await a.tick()).toEqual([]);
    now += 60_000;
    expect(await a.tick()).toEqual(['sweep']);
    const after = await first.db.selectFrom('cluster_tasks').selectAll().where('name', '=', 'sweep').executeTakeFirstOrThrow();
    expect(after.last_error).toBeNull();
  });
});

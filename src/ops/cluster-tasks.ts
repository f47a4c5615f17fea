import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { Poller } from '../shared/poller.ts';
import type { Database } from '../storage/schema.ts';

/** Background work that must happen once per cluster per period, whichever instance does it. */
export interface ClusterTask {
  name: string;
  everyMs: number;
  /** How long one run may take before another instance may decide it died and take over. */
  leaseMs: number;
  run(now: number): Promise<void>;
}

export type TaskResult = 'ok' | 'failed';

/**
 * Each instance polls; a due task is claimed by one conditional UPDATE on its row, so exactly
 * one instance runs it (PostgreSQL re-checks the condition after a concurrent claim commits;
 * SQLite has one writer). The claim is a lease: if its holder dies mid-run, the task is claimed
 * again once the lease ends. Works the same on both engines.
 */
export class ClusterTasks {
  private readonly poller = new Poller(() => this.tick());
  private registered = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly instanceId: string,
    private readonly tasks: readonly ClusterTask[],
    private readonly onRun: (task: string, result: TaskResult, error?: unknown) => void = () => {},
  ) {}

  start(pollMs: number, onError: (error: unknown) => void): void {
    if (this.tasks.length > 0) this.poller.start(pollMs, onError);
  }

  /** Waits for a run under way, so shutdown never cuts one off halfway. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Runs every task that is due and not held by another instance; the names this instance ran. */
  async tick(): Promise<string[]> {
    await this.register();
    const ran: string[] = [];
    for (const task of this.tasks) {
      const now = this.clock.now();
      const claimed = await this.db
        .updateTable('cluster_tasks')
        .set({ locked_by: this.instanceId, locked_until: now + task.leaseMs })
        .where('name', '=', task.name)
        .where('next_run_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .returning('name')
        .executeTakeFirst();
      if (!claimed) continue;
      let error: string | null = null;
      try {
        await task.run(now);
        this.onRun(task.name, 'ok');
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        this.onRun(task.name, 'failed', err);
      }
      await this.db
        .updateTable('cluster_tasks')
        .set({ next_run_at: now + task.everyMs, locked_by: null, locked_until: null, last_run_at: now, last_run_by: this.instanceId, last_error: error })
        .where('name', '=', task.name)
        .where('locked_by', '=', this.instanceId)
        .execute();
      ran.push(task.name);
    }
    return ran;
  }

  private async register(): Promise<void> {
    if (this.registered) return;
    for (const task of this.tasks) {
      await this.db.insertInto('cluster_tasks').values({ name: task.name, next_run_at: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    }
    this.registered = true;
  }
}

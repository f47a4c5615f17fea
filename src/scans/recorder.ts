interface Pending<E> {
  event: E;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: scans that arrive while a write is under way are written together in the next
 * transaction, and each caller's promise settles only when its own scan is durable. Under load
 * one transaction carries hundreds of scans; when idle a scan is written at once.
 *
 * Commit and sync are pipelined: the next batch commits while the disk syncs the previous one,
 * and a batch settles after a sync that began after its commit.
 */
export class ScanRecorder<E> {
  private queue: Pending<E>[] = [];
  private writing = 0;
  private syncing = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly commit: (events: E[]) => Promise<void>,
    private readonly sync: () => Promise<void> = async () => {},
    private readonly maxBatch = 500,
    /** Batches committing at once: 1 for SQLite's one connection; more where the database has a pool. */
    private readonly concurrency = 1,
  ) {}

  record(event: E): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything recorded so far is durable (or has failed). */
  flush(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private idle(): boolean {
    return this.writing === 0 && this.syncing === 0 && this.queue.length === 0;
  }

  private schedule(): void {
    if (this.writing >= this.concurrency || this.scheduled) return;
    this.scheduled = true;
    // Wait for the rest of this turn of the event loop: requests parsed together commit together.
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.idle()) {
      for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    while (this.writing < this.concurrency && this.queue.length > 0) this.write();
  }

  private write(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    const settle = (error?: unknown) => {
      for (const p of batch) {
        if (error === undefined) p.resolve();
        else p.reject(error);
      }
    };
    this.writing++;
    this.commit(batch.map((p) => p.event)).then(
      () => {
        this.syncing++;
        this.sync()
          .then(() => settle(), settle)
          .finally(() => {
            this.syncing--;
            this.drain();
          });
      },
      (error: unknown) => settle(error ?? new Error('commit failed')),
    ).finally(() => {
      this.writing--;
      this.drain();
    });
  }
}

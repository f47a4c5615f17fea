interface Pending<E> {
  event: E;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: scans that arrive while a write is under way are written together in the next
 * transaction, and each caller's promise settles only when its own scan is durable (`commit`
 * resolves once its transaction is on disk). Under load one transaction carries hundreds of
 * scans; when idle a scan is written at once.
 *
 * One scan never fails another: `commit` may leave events out (they settle `false`: not stored),
 * and a batch that fails all the same is committed again one event at a time, so only the events
 * that fail alone are refused.
 */
export class ScanRecorder<E> {
  private queue: Pending<E>[] = [];
  private writing = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** Writes the events in one transaction; resolves with those it left out, if any. */
    private readonly commit: (events: E[]) => Promise<readonly E[] | void>,
    private readonly maxBatch = 500,
    /** Batches committing at once: 1 for SQLite's one connection; more where the database has a pool. */
    private readonly concurrency = 1,
  ) {}

  /** Resolves `true` once the event is stored, `false` if the commit left it out. */
  record(event: E): Promise<boolean> {
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
    return this.writing === 0 && this.queue.length === 0;
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
    this.writing++;
    this.commitBatch(batch)
      .then((committed) => {
        for (const p of committed) p.resolve(true);
      })
      .finally(() => {
        this.writing--;
        this.drain();
      });
  }

  /** Commits a batch, settling what was left out or failed; resolves with what was committed. */
  private async commitBatch(batch: Pending<E>[]): Promise<Pending<E>[]> {
    let leftOut: readonly E[] | void;
    try {
      leftOut = await this.commit(batch.map((p) => p.event));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error ?? new Error('commit failed'));
        return [];
      }
      const committed: Pending<E>[] = [];
      for (const p of batch) committed.push(...(await this.commitBatch([p])));
      return committed;
    }
    if (!leftOut || leftOut.length === 0) return batch;
    const out = new Set(leftOut);
    for (const p of batch) if (out.has(p.event)) p.resolve(false);
    return batch.filter((p) => !out.has(p.event));
  }
}

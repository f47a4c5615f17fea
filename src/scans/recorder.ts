interface Pending<E> {
  event: E;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: scans that arrive while a write is under way are written together in the next
 * transaction, and each caller's promise settles only when its own scan is committed. Under load
 * one transaction carries hundreds of scans; when idle a scan is written at once.
 */
export class ScanRecorder<E> {
  private queue: Pending<E>[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (events: E[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  record(event: E): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything recorded so far is committed (or has failed). */
  flush(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    // Wait for the rest of this turn of the event loop: requests parsed together commit together.
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.writing) return;
    if (this.queue.length === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    const batch = this.queue.splice(0, this.maxBatch);
    this.writing = this.write(batch.map((p) => p.event)).then(
      () => {
        for (const p of batch) p.resolve();
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
    void this.writing.then(() => {
      this.writing = null;
      this.drain();
    });
  }
}

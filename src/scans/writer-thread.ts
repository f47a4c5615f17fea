import { Worker } from 'node:worker_threads';
import type { StorageOptions } from '../storage/db.ts';
import type { NewScan } from '../storage/schema.ts';

/** A committed batch: the scans it left out (their codes were deleted meanwhile) and how long the commit took. */
export interface WrittenBatch {
  leftOut: string[];
  seconds: number;
  /** Why the disk sync after the commit failed, if it did (the batch is stored all the same). */
  syncError?: unknown;
}

interface Waiting {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

/**
 * The thread scan batches are written in, with its own connection to the server's database. The
 * event loop only hands a batch over and hears back once it is on disk; the SQL, the commit and
 * the disk sync run beside it, so a scan costs the loop a share of one message instead of a transaction. A thread
 * that dies fails what it held (those scans are answered 503, as a failed commit is) and the next
 * batch starts a new one.
 */
export class ScanWriterThread {
  private thread: { worker: Worker; waiting: Map<number, Waiting> } | null = null;
  private nextId = 0;

  constructor(
    /** The module the thread runs (the writer's composition root), as a URL. */
    private readonly jobs: string,
    private readonly storage: StorageOptions,
  ) {}

  /** Starts the thread and opens its connection (the server waits for it before it listens). */
  open(): Promise<void> {
    return this.call('open', []);
  }

  /** Commits the batch and syncs it to disk (where the database needs that): one round trip. */
  write(batch: NewScan[], now: number): Promise<WrittenBatch> {
    // As one string: copying it to the thread costs a fraction of cloning two dozen fields per scan.
    return this.call('write', [JSON.stringify(batch), now]);
  }

  async close(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    await this.call('close', []);
    this.thread = null;
    await thread.worker.terminate();
  }

  private call<T>(job: string, args: unknown[]): Promise<T> {
    const { worker, waiting } = (this.thread ??= this.start());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.postMessage({ id, job, args });
    });
  }

  private start() {
    const worker = new Worker(new URL('../workers/entry.js', import.meta.url), { workerData: { jobs: this.jobs, storage: this.storage, messages: true } });
    // Pending scans hold their requests open; the thread itself keeps no process alive.
    worker.unref();
    const thread = { worker, waiting: new Map<number, Waiting>() };
    worker.on('message', (message: { id: number; result?: never; error?: unknown }) => {
      const waiting = thread.waiting.get(message.id);
      thread.waiting.delete(message.id);
      if ('error' in message) waiting?.reject(message.error);
      else waiting?.resolve(message.result as never);
    });
    const fail = (error: unknown) => {
      if (this.thread === thread) this.thread = null;
      for (const w of thread.waiting.values()) w.reject(error);
      thread.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the scan writer thread stopped (exit code ${code})`)));
    return thread;
  }
}

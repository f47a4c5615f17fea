import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { RateLimited } from '../shared/errors.ts';
import type { Jobs } from './jobs.ts';

export interface PoolLimits {
  /** Heavy jobs running at once. */
  threads: number;
  /** Jobs admitted (running or waiting) on this instance; beyond it 503. */
  admitted: number;
  /** Jobs one caller may have admitted at once; beyond it 429. */
  perCaller: number;
}

/**
 * One of two cores stays with the event loop; never more than two renders or parses at once, as
 * each holds tens of MB and shares libuv's pool (where durable scan writes wait) with sharp.
 */
const DEFAULT_LIMITS: PoolLimits = { threads: Math.max(1, Math.min(2, availableParallelism() - 1)), admitted: 8, perCaller: 2 };
/** Seconds a refused caller is told to wait: about one 4096 px image. */
const RETRY_AFTER = 2;

type Result<K extends keyof Jobs> = Awaited<ReturnType<Jobs[K]>>;

/** Worker threads for the jobs in jobs.ts, with admission so no caller can queue unbounded work. */
export class WorkerPool {
  private readonly pool: Piscina;
  private readonly byCaller = new Map<string, number>();
  private admittedNow = 0;

  constructor(private readonly limits: PoolLimits = DEFAULT_LIMITS) {
    this.pool = new Piscina({
      filename: new URL('./entry.js', import.meta.url).href,
      workerData: { jobs: new URL('./jobs.ts', import.meta.url).href },
      minThreads: 0,
      maxThreads: limits.threads,
      idleTimeout: 30_000,
      // Below the event loop's priority: a busy core still answers scans first.
      niceIncrement: 10,
    });
  }

  /**
   * Admits one heavy job of `caller` or refuses it (429 over the caller's share, 503 when the
   * instance is full); the returned function releases it and may be called more than once.
   */
  admit(caller: string): () => void {
    const mine = this.byCaller.get(caller) ?? 0;
    if (mine >= this.limits.perCaller) {
      throw new RateLimited(`at most ${this.limits.perCaller} image or import jobs per caller at once; retry when one finishes`, RETRY_AFTER);
    }
    if (this.admittedNow >= this.limits.admitted) {
      throw new RateLimited('the server is busy with image and import jobs; retry shortly', RETRY_AFTER, 'unavailable');
    }
    this.byCaller.set(caller, mine + 1);
    this.admittedNow++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.admittedNow--;
      const left = this.byCaller.get(caller)! - 1;
      if (left === 0) this.byCaller.delete(caller);
      else this.byCaller.set(caller, left);
    };
  }

  run<K extends keyof Jobs>(job: K, ...args: Parameters<Jobs[K]>): Promise<Result<K>> {
    return this.pool.run({ job, args });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

import type { ScanMetrics } from '../ops/metrics.ts';
import type { Engine } from '../storage/engine.ts';
import type { NewScan } from '../storage/schema.ts';
import { ScanRecorder } from './recorder.ts';
import type { ScanWriterThread } from './writer-thread.ts';

// PostgreSQL flushes the WAL of concurrent commits together, so several batches in flight share each flush.
const RECORDER_CONCURRENCY_PG = 4;

/**
 * Records scans in batches, written by the writer thread: each batch with its webhook events in one
 * transaction, made durable before any scan in it is answered, its size and time counted.
 */
export function scanRecording(
  writer: Pick<ScanWriterThread, 'write'>,
  metrics: Pick<ScanMetrics, 'committed'>,
  engine: Engine,
  now: () => number,
  /** Told when a committed batch could not be synced: its scans are stored and answered all the same. */
  syncFailed: (err: unknown) => void,
): ScanRecorder<NewScan> {
  return new ScanRecorder<NewScan>(
    async (scans) => {
      const { leftOut, seconds, syncError } = await writer.write(scans, now());
      if (syncError !== undefined) syncFailed(syncError);
      metrics.committed(scans.length - leftOut.length, seconds);
      if (leftOut.length === 0) return;
      const out = new Set(leftOut);
      return scans.filter((s) => out.has(s.id));
    },
    500,
    engine === 'postgres' ? RECORDER_CONCURRENCY_PG : 1,
  );
}

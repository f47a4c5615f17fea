import type { ScanMetrics } from '../ops/metrics.ts';
import type { EventSink } from '../shared/events.ts';
import type { Engine } from '../storage/engine.ts';
import type { NewScan } from '../storage/schema.ts';
import { scanBatchWriter } from './batch-writer.ts';
import { ScanRecorder } from './recorder.ts';
import { scanEvents } from './service.ts';
import type { ScanRepo } from './repo.ts';

// PostgreSQL flushes the WAL of concurrent commits together, so several batches in flight share each flush.
const RECORDER_CONCURRENCY_PG = 4;

/**
 * Records scans in batches: each batch with its webhook events in one transaction, made durable
 * before any scan in it is answered, its size and time counted.
 */
export function scanRecording(
  repo: ScanRepo,
  events: EventSink,
  metrics: Pick<ScanMetrics, 'committed'>,
  engine: Engine,
  durable: () => Promise<void>,
  syncFailed: (err: unknown) => void,
): ScanRecorder<NewScan> {
  const writeScans = scanBatchWriter(repo, (trx, scans) => events.record(trx, () => scanEvents(scans)));
  return new ScanRecorder<NewScan>(
    async (scans) => {
      const started = performance.now();
      const leftOut = await writeScans(scans);
      metrics.committed(scans.length - leftOut.length, (performance.now() - started) / 1000);
      return leftOut;
    },
    durable,
    500,
    engine === 'postgres' ? RECORDER_CONCURRENCY_PG : 1,
    syncFailed,
  );
}

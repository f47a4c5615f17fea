// The scan writer thread's composition root. It opens its own connection to the database the
// server uses and runs the one batch writer there (the scans, their codes' counts and the webhook
// outbox rows in one transaction; then the disk sync), so neither the SQL nor the disk sync takes
// time from the event loop that answers scans. Loaded by workers/entry.js in a worker thread.
import { workerData } from 'node:worker_threads';
import { CodeSchemas } from './codes/code-schemas.ts';
import { CodeRepo } from './codes/repo.ts';
import { scanBatchWriter } from './scans/batch-writer.ts';
import { ScanRepo } from './scans/repo.ts';
import { scanEvents } from './scans/service.ts';
import type { WrittenBatch } from './scans/writer-thread.ts';
import { openStorage, type Storage, type StorageOptions } from './storage/db.ts';
import type { NewScan } from './storage/schema.ts';
import { WebhookOutbox } from './webhooks/outbox.ts';
import { WebhookRepo } from './webhooks/repo.ts';

function build(storage: Storage) {
  const scans = new ScanRepo(storage.db);
  const webhooks = new WebhookRepo(storage.db, storage.engine);
  // This thread reads no code's configuration, only which department a scanned code belongs to, so
  // it needs no code type (nor loads any).
  const codes = new CodeRepo(storage.db, new CodeSchemas([]), () => {});
  /** The batch's writer; `now` is the server's clock when the batch left the event loop (tests may set that clock). */
  return (now: number) => {
    const outbox = new WebhookOutbox(webhooks, { now: () => now }, (trx, ids) => codes.departmentsOf(trx, ids));
    return scanBatchWriter(scans, (trx, batch) => outbox.record(trx, () => scanEvents(batch)));
  };
}

/**
 * The thread's jobs. `durable` makes the commits so far durable (a test makes it fail); after a
 * batch commits, the thread syncs the disk itself before it answers, so a batch costs one round
 * trip between the threads.
 */
export function scanWriterJobs(durable: (storage: Storage) => Promise<void> = (storage) => storage.durable()) {
  let opened: { storage: Storage; writer: ReturnType<typeof build> } | null = null;
  const open = () => {
    if (!opened) {
      const storage = openStorage(workerData.storage as StorageOptions);
      opened = { storage, writer: build(storage) };
    }
    return opened;
  };
  return {
    /** Opens the database now, so the first scans do not wait for the thread to start. */
    open: async (): Promise<void> => void open(),
    /**
     * Commits a batch and syncs it to disk. What it left out (scans of codes deleted meanwhile) is
     * named by scan id. A sync that fails does not undo the commit: the scans are stored and
     * counted, so the batch still succeeds and names the failure.
     */
    async write(json: string, now: number): Promise<WrittenBatch> {
      const batch = JSON.parse(json) as NewScan[];
      const started = performance.now();
      const { storage, writer } = open();
      const leftOut = await writer(now)(batch);
      const seconds = (performance.now() - started) / 1000;
      let syncError: unknown;
      if (storage.syncs) await durable(storage).catch((error: unknown) => (syncError = error));
      return { leftOut: leftOut.map((s) => s.id), seconds, ...(syncError === undefined ? {} : { syncError }) };
    },
    async close(): Promise<void> {
      await opened?.storage.close();
      opened = null;
    },
  };
}

export const jobs = scanWriterJobs();

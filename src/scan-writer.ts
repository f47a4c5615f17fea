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

let opened: { storage: Storage; writer: ReturnType<typeof build> } | null = null;
const open = () => {
  if (!opened) {
    const storage = openStorage(workerData.storage as StorageOptions);
    opened = { storage, writer: build(storage) };
  }
  return opened;
};

export const jobs = {
  /** Opens the database now, so the first scans do not wait for the thread to start. */
  open: async (): Promise<void> => void open(),
  /** Commits a batch; what it left out (scans of codes deleted meanwhile) is named by scan id. */
  async write(json: string, now: number): Promise<WrittenBatch> {
    const batch = JSON.parse(json) as NewScan[];
    const started = performance.now();
    const leftOut = await open().writer(now)(batch);
    return { leftOut: leftOut.map((s) => s.id), seconds: (performance.now() - started) / 1000 };
  },
  /** Makes every batch committed so far durable. */
  sync: (): Promise<void> => open().storage.durable(),
  async close(): Promise<void> {
    await opened?.storage.close();
    opened = null;
  },
};

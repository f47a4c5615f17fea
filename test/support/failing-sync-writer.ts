// The scan writer thread's jobs, except that the disk sync fails (as an EIO would) while a flag file
// named FAIL_SYNC exists in the database's directory: a test drives the thread from outside.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workerData } from 'node:worker_threads';
import { scanWriterJobs } from '../../src/scan-writer.ts';

export const FAIL_SYNC = 'fail-sync';

export const jobs = scanWriterJobs(async (storage) => {
  if (existsSync(join(workerData.storage.dataDir, FAIL_SYNC))) throw new Error('EIO: fdatasync failed');
  await storage.durable();
});

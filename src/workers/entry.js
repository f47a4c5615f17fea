// A worker thread starts without the loader the main thread runs under (tsx, or vitest's), so it
// registers tsx itself before importing the TypeScript jobs module named in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { jobs } = await import(workerData.jobs);

// A thread of its own (the scan writer) hears its jobs as messages; a piscina pool calls the default export.
if (workerData.messages) {
  parentPort.on('message', async ({ id, job, args }) => {
    try {
      parentPort.postMessage({ id, result: await jobs[job](...args) });
    } catch (error) {
      parentPort.postMessage({ id, error });
    }
  });
}

export default ({ job, args }) => jobs[job](...args);

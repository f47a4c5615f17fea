// A worker thread starts without the loader the main thread runs under (tsx, or vitest's), so it
// registers tsx itself before importing the TypeScript jobs module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { jobs } = await import(workerData.jobs);

export default ({ job, args }) => jobs[job](...args);

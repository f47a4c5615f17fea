// A process that ends the way `huoma serve` does, for tests of how it ends: argv[2] says how.
import pino from 'pino';
import { runUntilStopped } from '../../src/ops/process-lifecycle.ts';

const how = process.argv[2];
// As `huoma serve` logs: synchronously.
const logger = pino({ level: 'info' }, pino.destination({ dest: 1, sync: true }));
const keepAlive = setInterval(() => {}, 1_000);
runUntilStopped({
  logger,
  followLauncher: false,
  deadlineMs: 2_000,
  drain: async () => {
    clearInterval(keepAlive);
    if (how === 'failing-drain') throw new Error('the database would not close');
    if (how === 'stuck-drain') await new Promise(() => setInterval(() => {}, 1_000));
    logger.info('drained');
  },
});
if (how === 'rejection') void Promise.reject(new Error('a background task failed'));
if (how === 'exception') setTimeout(() => { throw new Error('boom in a timer'); }, 10);
console.log('ready');

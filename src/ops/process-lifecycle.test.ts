import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = join(import.meta.dirname, '../../test/support/lifecycle-child.ts');

/** Runs the child until it exits; `signal` is sent once it is ready. */
function run(how: string, signal?: NodeJS.Signals): Promise<{ code: number | null; lines: { msg: string; err?: { message: string }; reason?: string }[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, how]);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (signal && out.includes('ready\n')) child.kill(signal);
    });
    child.stderr.on('data', (d) => (out += d));
    // 'close', not 'exit': the child's last lines may still be in the pipe when it exits.
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)) }));
  });
}

describe('how the server process ends', () => {
  it('logs an uncaught exception, drains and exits non-zero', async () => {
    const { code, lines } = await run('exception');
    expect(code).toBe(1);
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ msg: 'uncaught exception', err: expect.objectContaining({ message: 'boom in a timer' }) }),
      expect.objectContaining({ msg: 'drained' }),
    ]));
  });

  it('logs an unhandled rejection and keeps running until told to stop, then exits 0', async () => {
    const { code, lines } = await run('rejection', 'SIGTERM');
    expect(code).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual(['unhandled promise rejection', 'shutting down: finishing in-flight scans', 'drained']);
    expect(lines[0]!.err!.message).toBe('a background task failed');
  });

  it('exits non-zero with the reason when the shutdown fails or does not finish', async () => {
    const failed = await run('failing-drain', 'SIGINT');
    expect(failed.code).toBe(1);
    expect(failed.lines.at(-1)).toMatchObject({ msg: 'shutdown failed', reason: 'SIGINT', err: { message: 'the database would not close' } });
    const stuck = await run('stuck-drain', 'SIGTERM');
    expect(stuck.code).toBe(1);
    expect(stuck.lines.at(-1)).toMatchObject({ msg: 'shutdown did not finish in time: exiting', reason: 'SIGTERM' });
  });
});

import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../support/server.ts';

const FILES = ['huoma.db', 'huoma.db-wal', 'huoma.db-shm', 'secret'];
const modes = (dir: string) => Object.fromEntries(FILES.map((f) => [f, (statSync(join(dir, f)).mode & 0o777).toString(8)]));
const ownerOnly = Object.fromEntries(FILES.map((f) => [f, '600']));

/** The data directory holds sessions, password hashes and sealed secrets: no other user of the machine reads it. */
describe('files in the data directory', () => {
  const started: ChildServer[] = [];
  afterAll(() => {
    for (const s of started) if (s.process.exitCode === null) s.process.kill('SIGKILL');
  });

  async function serve(dir: string) {
    const server = await startChildServer(['--data', dir]);
    started.push(server);
    return server;
  }

  it('are readable and writable by the server\'s user only, from the first start, whatever the umask', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huoma-files-'));
    // The server inherits the widest umask there is.
    const umask = process.umask(0);
    const server = await serve(dir).finally(() => process.umask(umask));
    expect(modes(dir)).toEqual(ownerOnly);
    server.process.kill('SIGTERM');
    await server.exited;
  });

  it('are made so at start when an older version left them readable by others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huoma-files-'));
    const first = await serve(dir);
    first.process.kill('SIGKILL');
    await first.exited;
    for (const f of FILES) chmodSync(join(dir, f), 0o644);
    await serve(dir);
    expect(modes(dir)).toEqual(ownerOnly);
  });
});

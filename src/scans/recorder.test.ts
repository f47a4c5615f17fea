import { describe, expect, it } from 'vitest';
import { ScanRecorder } from './recorder.ts';

function slowRepo() {
  const batches: number[][] = [];
  let release: (() => void) | null = null;
  const write = (events: number[]) =>
    new Promise<void>((resolve) => {
      batches.push(events);
      release = resolve;
    });
  return { batches, write, release: () => release?.() };
}

describe('group commit', () => {
  it('writes scans that arrive together in one transaction', async () => {
    const writes: number[][] = [];
    const recorder = new ScanRecorder<number>(async (events) => void writes.push(events));
    await Promise.all(Array.from({ length: 100 }, (_, i) => recorder.record(i)));
    expect(writes).toEqual([Array.from({ length: 100 }, (_, i) => i)]);
  });

  it('keeps up to `concurrency` batches committing at once, each settling on its own, and flush waits for all', async () => {
    const pending: { events: number[]; done: () => void }[] = [];
    const recorder = new ScanRecorder<number>((events) => new Promise((done) => pending.push({ events, done })), 500, 2);
    const settled: number[] = [];
    const track = (n: number) => recorder.record(n).then(() => settled.push(n));
    const first = track(1);
    await new Promise((r) => setImmediate(r));
    const second = track(2);
    await new Promise((r) => setImmediate(r));
    const rest = [3, 4].map(track);
    await new Promise((r) => setImmediate(r));
    expect(pending.map((p) => p.events)).toEqual([[1], [2]]);
    let flushed = false;
    const flushing = recorder.flush().then(() => (flushed = true));
    pending[1]!.done();
    await second;
    await new Promise((r) => setImmediate(r));
    expect(settled).toEqual([2]);
    expect(flushed).toBe(false);
    expect(pending.map((p) => p.events)).toEqual([[1], [2], [3, 4]]);
    pending[0]!.done();
    pending[2]!.done();
    await Promise.all([first, ...rest, flushing]);
    expect(settled.sort()).toEqual([1, 2, 3, 4]);
    expect(flushed).toBe(true);
  });

  it('settles a scan only after its own batch is committed, and batches what came meanwhile', async () => {
    const repo = slowRepo();
    const recorder = new ScanRecorder<number>(repo.write);
    const settled: number[] = [];
    const first = recorder.record(1).then(() => settled.push(1));
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((n) => recorder.record(n).then(() => settled.push(n)));
    await new Promise((r) => setImmediate(r));
    expect(repo.batches).toEqual([[1]]);
    expect(settled).toEqual([]);
    repo.release();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(repo.batches).toEqual([[1], [2, 3, 4]]);
    expect(settled).toEqual([1]);
    repo.release();
    await Promise.all(later);
    expect(settled).toEqual([1, 2, 3, 4]);
  });

  it('fails the scans of a failed batch and keeps serving the next ones', async () => {
    let fail = true;
    const recorder = new ScanRecorder<number>(async () => {
      if (fail) throw new Error('disk full');
    });
    await expect(recorder.record(1)).rejects.toThrow('disk full');
    fail = false;
    await expect(recorder.record(2)).resolves.toBe(true);
  });

  it('fails only the scan whose row fails, when its batch fails', async () => {
    const stored: number[] = [];
    const recorder = new ScanRecorder<number>(async (events) => {
      if (events.includes(13)) throw new Error('bad row');
      stored.push(...events);
    });
    const results = await Promise.allSettled([11, 12, 13, 14].map((n) => recorder.record(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(stored).toEqual([11, 12, 14]);
  });

  it('settles `false` the scans a commit left out, and the others `true`', async () => {
    const recorder = new ScanRecorder<number>(async (events) => events.filter((n) => n % 2 === 0));
    expect(await Promise.all([1, 2, 3, 4].map((n) => recorder.record(n)))).toEqual([true, false, true, false]);
  });

  it('caps a batch and flush waits for everything', async () => {
    const writes: number[] = [];
    const recorder = new ScanRecorder<number>(async (events) => void writes.push(events.length), 10);
    for (let i = 0; i < 35; i++) void recorder.record(i);
    await recorder.flush();
    expect(writes).toEqual([10, 10, 10, 5]);
  });
});

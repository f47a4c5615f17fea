import { describe, expect, it } from 'vitest';
import type { NewScan } from '../storage/schema.ts';
import { scanRecording } from './recording.ts';
import type { WrittenBatch } from './writer-thread.ts';

const scan = (id: string) => ({ id, code_id: 'c1' }) as NewScan;

function recordingWith(answer: (batch: NewScan[]) => WrittenBatch) {
  const committed: number[] = [];
  const failures: unknown[] = [];
  const recorder = scanRecording(
    { write: async (batch) => answer(batch) },
    { committed: (n) => void committed.push(n) },
    'sqlite',
    () => 0,
    (error) => void failures.push(error),
  );
  return { recorder, committed, failures };
}

describe('scan recording through the writer thread', () => {
  it('answers committed scans as stored when the sync after the commit failed, and reports the failure once', async () => {
    const { recorder, committed, failures } = recordingWith(() => ({ leftOut: [], seconds: 0.001, syncError: new Error('EIO') }));
    await expect(Promise.all([recorder.record(scan('a')), recorder.record(scan('b'))])).resolves.toEqual([true, true]);
    expect(committed).toEqual([2]);
    expect(failures).toEqual([new Error('EIO')]);
  });

  it('settles the scans the writer left out as not stored, and counts only the others', async () => {
    const { recorder, committed, failures } = recordingWith(() => ({ leftOut: ['b'], seconds: 0.001 }));
    await expect(Promise.all(['a', 'b', 'c'].map((id) => recorder.record(scan(id))))).resolves.toEqual([true, false, true]);
    expect(committed).toEqual([2]);
    expect(failures).toEqual([]);
  });
});

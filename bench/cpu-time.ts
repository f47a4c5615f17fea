// CPU time servers spent, read from /proc (Linux): robust where req/s swings with the machine's
// load, and it tells the event loop's share from the whole process's (the scan writer thread's too).
import { readFileSync } from 'node:fs';

export interface CpuTime {
  /** The main thread: the event loop that answers the scans. */
  loopUs: number;
  /** Every thread of the process. */
  processUs: number;
}

/** utime + stime in µs from a /proc stat line (fields 14 and 15; the name in parentheses may hold spaces). */
function ticks(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The CPU time so far of these processes, summed; null where /proc cannot be read. */
export function cpuTime(pids: number[]): CpuTime | null {
  try {
    let loopUs = 0;
    let processUs = 0;
    for (const pid of pids) {
      loopUs += ticks(`/proc/${pid}/task/${pid}/stat`);
      processUs += ticks(`/proc/${pid}/stat`);
    }
    return { loopUs, processUs };
  } catch {
    return null;
  }
}

/**
 * Turns at SQLite's write lock between the threads that write one database file (the event loop's
 * connection and the scan writer thread's), first come first served. SQLite's own busy handler
 * only polls with growing sleeps, so one that writes transaction after transaction (edits one after
 * another) could keep the other waiting for as long as it goes on; a ticket each keeps them fair.
 * The counters live in shared memory, so both threads hold the same turns.
 */
// In every Node we run on (16+); TypeScript describes it only from lib ES2024, past our target.
const { waitAsync } = Atomics as unknown as {
  waitAsync(cells: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
};

export class WriteTurns {
  private readonly cells: Int32Array;

  constructor(readonly shared: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.cells = new Int32Array(shared);
  }

  /** Waits for this caller's turn without blocking its thread; the function returned ends the turn. */
  async take(): Promise<() => void> {
    // [0]: the next ticket, [1]: the ticket being served. Both wrap around together past 2^31.
    const ticket = Atomics.add(this.cells, 0, 1);
    for (;;) {
      const serving = Atomics.load(this.cells, 1);
      if (serving === ticket) break;
      const wait = waitAsync(this.cells, 1, serving);
      if (wait.async) await wait.value;
    }
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      Atomics.add(this.cells, 1, 1);
      Atomics.notify(this.cells, 1);
    };
  }
}

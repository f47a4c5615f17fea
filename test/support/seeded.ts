/** A small seeded generator (mulberry32): a run of random draws that repeats for the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls per second of `step`, run for `seconds` (in batches, so the clock is read rarely). */
export function rate(seconds: number, step: () => void, batch = 100): number {
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < batch; i++) step();
    n += batch;
  }
  return n / seconds;
}

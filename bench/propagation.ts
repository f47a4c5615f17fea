// How soon an edit on one instance is obeyed by another: from the edit's 200 to the first scan
// on the other instance that follows it, polled back to back.
import type { Cluster } from './huoma-cluster.ts';

export async function propagation(cluster: Cluster, edits: number): Promise<number[]> {
  const [a, b] = cluster.servers;
  if (!a || !b) throw new Error('propagation needs two instances');
  const delays: number[] = [];
  for (let i = 0; i < edits; i++) {
    const target = `https://shop.example/edit-${i}`;
    const res = await fetch(`${a.url}/api/v1/codes/${cluster.code.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${cluster.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: target, rules: [] }),
    });
    if (res.status !== 200) throw new Error(`edit failed: ${res.status}`);
    const edited = performance.now();
    // HEAD is answered like a scan but not recorded.
    while ((await fetch(`${b.url}/s/${cluster.code.slug}`, { method: 'HEAD', redirect: 'manual' })).headers.get('location') !== target) {
      if (performance.now() - edited > 5_000) throw new Error('edit not seen within 5 s');
    }
    delays.push(performance.now() - edited);
  }
  return delays.sort((x, y) => x - y);
}

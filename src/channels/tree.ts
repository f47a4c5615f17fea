/** A channel as the tree needs it. */
export interface ChannelNode {
  id: string;
  parentId: string | null;
}

/**
 * The channel and every channel above it, nearest first: what a scan or a customer counts toward
 * when reports roll up (11.11爆发期 → 抖音信息流 → 双十一主会场).
 */
export function lineage(id: string, byId: ReadonlyMap<string, ChannelNode>): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let node = byId.get(id); node && !seen.has(node.id); node = node.parentId === null ? undefined : byId.get(node.parentId)) {
    seen.add(node.id);
    chain.push(node.id);
  }
  return chain;
}

/** Whether putting `id` under `parentId` would make a channel its own ancestor. */
export const wouldCycle = (id: string, parentId: string | null, byId: ReadonlyMap<string, ChannelNode>) =>
  parentId !== null && lineage(parentId, byId).includes(id);

/** Per channel, the sum of its own count and all its descendants' counts. */
export function rollUp(counts: ReadonlyMap<string, number>, byId: ReadonlyMap<string, ChannelNode>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [id, n] of counts) for (const ancestor of lineage(id, byId)) totals.set(ancestor, (totals.get(ancestor) ?? 0) + n);
  return totals;
}

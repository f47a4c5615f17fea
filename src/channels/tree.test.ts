import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineage, rollUp, wouldCycle, type ChannelNode } from './tree.ts';

const tree = (...nodes: [string, string | null][]) => new Map(nodes.map(([id, parentId]) => [id, { id, parentId } satisfies ChannelNode]));
const double11 = tree(['main', null], ['douyin', 'main'], ['burst', 'douyin'], ['wechat', 'main'], ['other', null]);

describe('channel tree', () => {
  it('lists a channel and its ancestors nearest first', () => {
    expect(lineage('burst', double11)).toEqual(['burst', 'douyin', 'main']);
    expect(lineage('other', double11)).toEqual(['other']);
    expect(lineage('nope', double11)).toEqual([]);
  });

  it('refuses to put a channel under itself or under one of its descendants', () => {
    expect(wouldCycle('main', 'burst', double11)).toBe(true);
    expect(wouldCycle('douyin', 'douyin', double11)).toBe(true);
    expect(wouldCycle('burst', 'wechat', double11)).toBe(false);
    expect(wouldCycle('burst', null, double11)).toBe(false);
  });

  it('rolls counts up the tree: every root total is the sum of its subtree, nothing counted twice', () => {
    expect(Object.fromEntries(rollUp(new Map([['burst', 5], ['douyin', 2], ['wechat', 1], ['other', 4]]), double11))).toEqual({
      burst: 5, douyin: 7, main: 8, wechat: 1, other: 4,
    });
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 30 }), fc.array(fc.nat(100), { maxLength: 30 }), (parents, raw) => {
        // Node i hangs under an earlier node (or is a root): always a forest.
        const nodes = new Map(parents.map((p, i) => [`c${i}`, { id: `c${i}`, parentId: i === 0 || p % (i + 1) === i ? null : `c${p % i}` }]));
        const counts = new Map(raw.map((n, i) => [`c${i % parents.length}`, n]));
        const totals = rollUp(counts, nodes);
        const roots = [...nodes.values()].filter((n) => n.parentId === null);
        const sumRoots = roots.reduce((s, r) => s + (totals.get(r.id) ?? 0), 0);
        expect(sumRoots).toBe([...counts.values()].reduce((s, n) => s + n, 0));
      }),
    );
  });
});

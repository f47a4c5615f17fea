import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ChannelRepo } from './repo.ts';
import { lineage, rollUp, wouldCycle, type ChannelNode } from './tree.ts';

const channelCode = z.string().regex(/^[A-Z0-9_]{1,32}$/, 'must be 1–32 capital letters, digits or _, e.g. BJ_TT_AD');
export const createChannelSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  code: channelCode,
  parentId: z.string().min(1).max(40).nullable().default(null),
});
export const updateChannelSchema = z.strictObject({ name: z.string().trim().min(1).max(40), parentId: z.string().min(1).max(40).nullable() }).partial();

export interface ChannelView {
  id: string;
  name: string;
  code: string;
  parentId: string | null;
  children: ChannelView[];
}

/** Channels form a tree of any depth (双十一主会场 > 抖音信息流 > 11.11爆发期); a code belongs to one. */
export class ChannelService {
  constructor(
    private readonly repo: ChannelRepo,
    private readonly clock: Clock,
  ) {}

  async create(input: z.output<typeof createChannelSchema>): Promise<ChannelView> {
    if (input.parentId !== null) await this.check(input.parentId, 'parentId');
    if (await this.repo.codeTaken(input.code)) {
      throw new AppError('conflict', `the channel code ${input.code} is taken`, 'code');
    }
    const now = this.clock.now();
    const id = `chn_${newId(now)}`;
    await this.repo.insert({ id, name: input.name, code: input.code, parent_id: input.parentId, created_at: now, updated_at: now });
    return this.get(id);
  }

  async update(id: string, patch: z.output<typeof updateChannelSchema>): Promise<ChannelView> {
    await this.get(id);
    if (patch.parentId !== undefined && patch.parentId !== null) {
      await this.check(patch.parentId, 'parentId');
      if (wouldCycle(id, patch.parentId, await this.nodes())) throw invalid('parentId', 'a channel cannot go under itself or one of its own sub-channels');
    }
    const changes = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}) };
    await this.repo.update(id, changes, this.clock.now());
    return this.get(id);
  }

  /**
   * Deletes a channel nothing points at: one with sub-channels or codes is refused, so no code is
   * left naming a channel that is gone (customers keep the id in their touch history).
   */
  async remove(id: string): Promise<void> {
    await this.get(id);
    const { children, codes } = await this.repo.dependants(id);
    if (children > 0) throw new AppError('conflict', `the channel has ${children} sub-channel(s): delete or move them first`);
    if (codes > 0) throw new AppError('conflict', `${codes} code(s) belong to the channel: move them to another channel first`);
    await this.repo.remove(id);
  }

  /** The whole tree, roots first, each with its sub-channels. */
  async tree(): Promise<ChannelView[]> {
    const rows = await this.repo.all();
    const views = new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, code: r.code, parentId: r.parent_id, children: [] as ChannelView[] }]));
    const roots: ChannelView[] = [];
    for (const v of views.values()) (v.parentId !== null && views.get(v.parentId)?.children ? views.get(v.parentId)!.children : roots).push(v);
    return roots;
  }

  async get(id: string): Promise<ChannelView> {
    const found = findIn(await this.tree(), id);
    if (!found) throw notFound('channel');
    return found;
  }

  /** Refuses, naming `field`, an id that is not a channel. */
  async check(id: string, field: string): Promise<void> {
    if (!(await this.repo.exists(id))) throw invalid(field, `no channel ${id}`);
  }

  /**
   * Each channel's own figures and its total with every channel below it (11.11爆发期 counts toward
   * 抖音信息流 and 双十一主会场), from counts per channel.
   */
  async report(figures: Record<string, ReadonlyMap<string, number>>) {
    const nodes = await this.nodes();
    const totals = Object.fromEntries(Object.entries(figures).map(([k, counts]) => [k, rollUp(counts, nodes)]));
    const tree = await this.tree();
    const shape = (c: ChannelView): object => ({
      id: c.id, name: c.name, code: c.code, parentId: c.parentId,
      ...Object.fromEntries(Object.keys(figures).map((k) => [k, { own: figures[k]!.get(c.id) ?? 0, total: totals[k]!.get(c.id) ?? 0 }])),
      children: c.children.map(shape),
    });
    return tree.map(shape);
  }

  /** The channel and every channel above it, nearest first. */
  async lineageOf(id: string): Promise<string[]> {
    return lineage(id, await this.nodes());
  }

  /** The channel and every channel below it: what a filter on a channel covers. */
  async subtreeOf(id: string): Promise<string[]> {
    const nodes = await this.nodes();
    return [...nodes.keys()].filter((n) => lineage(n, nodes).includes(id));
  }

  private async nodes(): Promise<Map<string, ChannelNode>> {
    const rows = await this.repo.links();
    return new Map(rows.map((r) => [r.id, { id: r.id, parentId: r.parent_id }]));
  }
}

function findIn(list: ChannelView[], id: string): ChannelView | null {
  for (const c of list) {
    if (c.id === id) return c;
    const inner = findIn(c.children, id);
    if (inner) return inner;
  }
  return null;
}

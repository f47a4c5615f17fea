import type { Channels } from '../api/types.ts';

type Channel = Channels['items'][number];

export interface ChannelNode {
  title: string;
  value: string;
  children: ChannelNode[];
}

/** The channel tree as a picker shows it: name and code (BJ_TT_AD), sub-channels below. */
export const channelTree = (channels: Channel[]): ChannelNode[] =>
  channels.map((c) => ({ title: `${c.name} (${c.code})`, value: c.id, children: channelTree(c.children) }));

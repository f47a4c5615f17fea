import { z } from 'zod';
import { idParams } from '../http/route-helpers.ts';
import type { Api } from '../http/api.ts';
import { channelReportSchema, channelSchema } from './model.ts';
import { rangeQuery, resolveRange } from '../scans/stats.ts';
import { createChannelSchema, updateChannelSchema, type ChannelService } from './service.ts';

/** The figures of a report; `departments` (a limited caller's) narrows them to those departments' codes and members. */
export interface ChannelFigures {
  scans(range: { from: number; to: number }, departments: ReadonlySet<string> | null): Promise<Map<string, number>>;
  customers(from: number, to: number, departments: ReadonlySet<string> | null): Promise<{ adds: Map<string, number>; customers: Map<string, number> }>;
}

export function channelRoutes(api: Api, channels: ChannelService, figures: ChannelFigures, now: () => number): void {
  const tag = 'channels';
  const audit = (action: string) => ({ action, object: 'channel', load: (id: string) => channels.get(id) });
  api.route({
    method: 'POST', url: '/api/v1/channels', scope: 'workspace', tag, permission: 'codes.write', status: 201,
    audit: audit('channel.create'), body: createChannelSchema,
    summary: 'Add a channel (optionally under another): a name and a code such as BJ_TT_AD',
    responses: { 201: { description: 'Created', schema: channelSchema } },
    handler: ({ body }) => channels.create(body),
  });
  api.route({
    method: 'GET', url: '/api/v1/channels', scope: 'workspace', tag, permission: 'codes.read',
    summary: 'The channel tree',
    responses: { 200: { description: 'Root channels with their sub-channels', schema: z.object({ items: z.array(channelSchema) }) } },
    handler: async () => ({ items: await channels.tree() }),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/channels/:id', scope: 'workspace', tag, permission: 'codes.write', params: idParams,
    audit: audit('channel.update'), body: updateChannelSchema,
    summary: 'Rename a channel or move it under another (never under itself or its own sub-channels)',
    responses: { 200: { description: 'The channel', schema: channelSchema } },
    handler: ({ params, body }) => channels.update(params.id, body),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/channels/:id', scope: 'workspace', tag, permission: 'codes.write', params: idParams, audit: audit('channel.delete'),
    summary: 'Delete a channel that has no sub-channels and no codes (409 otherwise)',
    responses: { 204: { description: 'Deleted' } },
    handler: ({ params }) => channels.remove(params.id),
  });
  api.route({
    method: 'GET', url: '/api/v1/channels/report', tag, permission: 'scans.read', query: rangeQuery,
    summary:
      'Per channel (figures of your departments only, when you are limited to some), its own figures and the total with every channel below it: ' +
      "served scans, adds, and new customers credited to it by the workspace's attribution model (default: the last 30 days, Asia/Shanghai days)",
    responses: {
      200: { description: 'The channel tree with figures', schema: z.object({ from: z.string(), to: z.string(), items: z.array(channelReportSchema) }) },
    },
    handler: async ({ query, actor }) => {
      const range = resolveRange(query, 'Asia/Shanghai', now());
      const [scans, { adds, customers }] = await Promise.all([
        figures.scans(range, actor.departments),
        figures.customers(range.from, range.to, actor.departments),
      ]);
      return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), items: await channels.report({ scans, adds, customers }) };
    },
  });
}

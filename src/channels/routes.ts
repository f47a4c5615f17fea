import { z } from 'zod';
import { idParams } from '../codes/routes.ts';
import type { Api } from '../http/api.ts';
import { createChannelSchema, updateChannelSchema, type ChannelService } from './service.ts';

export function channelRoutes(api: Api, channels: ChannelService): void {
  const tag = 'channels';
  const audit = (action: string) => ({ action, object: 'channel', load: (id: string) => channels.get(id) });
  api.route({
    method: 'POST', url: '/api/v1/channels', tag, permission: 'codes.write', status: 201, audit: audit('channel.create'), body: createChannelSchema,
    summary: 'Add a channel (optionally under another): a name and a code such as BJ_TT_AD',
    responses: { 201: { description: 'Created' } },
    handler: ({ body }) => channels.create(body),
  });
  api.route({
    method: 'GET', url: '/api/v1/channels', tag, permission: 'codes.read',
    summary: 'The channel tree', responses: { 200: { description: 'Root channels with their sub-channels', schema: z.object({ items: z.array(z.unknown()) }) } },
    handler: async () => ({ items: await channels.tree() }),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/channels/:id', tag, permission: 'codes.write', params: idParams, audit: audit('channel.update'), body: updateChannelSchema,
    summary: 'Rename a channel or move it under another (never under itself or its own sub-channels)',
    responses: { 200: { description: 'The channel' } },
    handler: ({ params, body }) => channels.update(params.id, body),
  });
}

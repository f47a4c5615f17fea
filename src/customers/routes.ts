import { z } from 'zod';
import type { ChannelService } from '../channels/service.ts';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import type { CodeService } from '../codes/service.ts';
import type { Api } from '../http/api.ts';
import { ATTRIBUTION_MODELS } from './attribution.ts';
import { attributionSchema, customerSchema, welcomeStatsSchema } from './model.ts';
import type { StaffService } from '../routing/staff.ts';
import type { CustomerService } from './service.ts';

const listQuery = z.strictObject({
  codeId: z.string().max(40).optional(),
  channelId: z.string().max(40).optional(),
  staffId: z.string().max(40).optional(),
  tag: z.string().trim().min(1).max(30).optional(),
  q: z.string().trim().min(1).max(60).optional().describe('Part of the name, any case'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(40).optional(),
});

export function customerRoutes(
  api: Api,
  customers: CustomerService,
  codes: CodeService,
  channels: ChannelService,
  /** A caller limited to some departments sees the customers of their members only. */
  staff: Pick<StaffService, 'list' | 'departmentOf'>,
): void {
  const tag = 'customers';
  api.route({
    method: 'GET', url: '/api/v1/customers', tag, permission: 'customers.read', query: listQuery,
    summary:
      "Customers who added a member through a code, newest first, each with its touch history; filter by code or channel (by the workspace's " +
      'attribution, sub-channels included), member, tag or part of the name (q)',
    responses: { 200: { description: 'A page of customers', schema: z.object({ items: z.array(customerSchema), nextCursor: z.string().nullable() }) } },
    handler: async ({ query, actor }) => {
      const visible = actor.departments === null ? null : (await staff.list({ departments: actor.departments })).map((m) => m.id);
      if (visible !== null && query.staffId !== undefined && !visible.includes(query.staffId)) return { items: [], nextCursor: null };
      const page = await customers.list({ ...query, channelIds: query.channelId === undefined ? undefined : await channels.subtreeOf(query.channelId) });
      return visible === null ? page : { ...page, items: page.items.filter((c) => c.staffId !== null && visible.includes(c.staffId)) };
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/customers/:id', tag, permission: 'customers.read', params: idParams,
    scope: async (id) => {
      const c = await customers.get(id).catch(() => null);
      if (c === null) return undefined;
      return c.staffId === null ? null : ((await staff.departmentOf(c.staffId)) ?? null);
    },
    summary: 'A customer with every touch: each add with its code, channel, member, scan and welcome message',
    responses: { 200: { description: 'The customer', schema: customerSchema } },
    handler: ({ params }) => customers.get(params.id),
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/:id/welcome-stats', tag, permission: 'scans.read', params: idParams, scope: scopeOf(codes),
    summary: "A staff or region code's welcome variants side by side: adds that got each, and how sending went (sent, already greeted, failed, expired)",
    responses: { 200: { description: 'Per welcome variant, its adds and how sending went', schema: welcomeStatsSchema } },
    handler: async ({ params }) => {
      const { config } = await codes.load(params.id);
      const outcomes = await customers.welcomeOutcomes(config.id);
      const variants = (('staff' in config ? config.staff : 'region' in config ? config.region : null)?.welcomeMessages ?? []).map((v, index) => {
        const mine = outcomes.filter((o) => o.variant === index);
        const count = (test: (status: string) => boolean) => mine.filter((o) => o.status !== null && test(o.status)).reduce((n, o) => n + o.adds, 0);
        return {
          index, name: v.name ?? null, text: v.text, adds: mine.reduce((n, o) => n + o.adds, 0),
          sent: count((st) => st === 'sent'), alreadyGreeted: count((st) => st === 'already_greeted'),
          failed: count((st) => st.startsWith('failed')), expired: count((st) => st === 'expired'),
        };
      });
      return { variants, withoutWelcome: outcomes.filter((o) => o.variant === null).reduce((n, o) => n + o.adds, 0) };
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/settings/attribution', scope: 'workspace', tag, permission: 'customers.read',
    summary: 'How customers are credited to codes and channels: first_touch or last_touch (以最后一次扫码渠道为准)',
    responses: { 200: { description: 'The model', schema: attributionSchema } },
    handler: async () => ({ model: await customers.model() }),
  });
  api.route({
    method: 'PUT', url: '/api/v1/settings/attribution', scope: 'workspace', tag, permission: 'settings.manage',
    body: z.strictObject({ model: z.enum(ATTRIBUTION_MODELS) }),
    audit: { action: 'settings.attribution', object: 'settings', current: async () => ({ model: await customers.model() }) },
    summary: 'Credit customers to their first or their latest touch; the full touch history is kept either way',
    responses: { 200: { description: 'The model', schema: attributionSchema } },
    handler: ({ body }) => customers.setModel(body.model),
  });
}

import { z } from 'zod';
import { ATTRIBUTION_MODELS } from './attribution.ts';

// What the customers domain answers with, field by field: the OpenAPI document (and the console's types) come from these.

const touchSource = z.object({ codeId: z.string().nullable(), channelId: z.string().nullable() });

const touchSchema = z.object({
  kind: z.enum(['add', 'lost']).describe('add: they added a member; lost: they deleted the member'),
  at: z.string(),
  codeId: z.string().nullable(),
  channelId: z.string().nullable(),
  staffId: z.string().nullable(),
  scanId: z.string().nullable().describe('The scan the add is matched to, where one is'),
  welcome: z
    .object({
      variant: z.number().int().nullable().describe("Which of the code's welcome messages"),
      status: z.string().describe('sent, already_greeted, expired, or failed… with the reason'),
    })
    .nullable()
    .describe('null: no welcome message was due'),
});

/** A customer with every touch, credited as the workspace's attribution model says. */
export const customerSchema = z.object({
  id: z.string(),
  externalUserId: z.string().describe("WeCom's external user id"),
  name: z.string().nullable(),
  avatar: z.string().nullable(),
  staffId: z.string().nullable().describe('The member who holds them'),
  status: z.enum(['active', 'lost']),
  tags: z.array(z.string()),
  attribution: touchSource.extend({ model: z.enum(ATTRIBUTION_MODELS) }).describe('The touch they are credited to'),
  firstTouch: touchSource,
  lastTouch: touchSource,
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  touches: z.array(touchSchema).describe('Oldest first'),
});

export const attributionSchema = z.object({ model: z.enum(ATTRIBUTION_MODELS) });

/** How a code's welcome variants did side by side. */
export const welcomeStatsSchema = z.object({
  variants: z.array(
    z.object({
      index: z.number().int(),
      name: z.string().nullable(),
      text: z.string(),
      adds: z.number().int(),
      sent: z.number().int(),
      alreadyGreeted: z.number().int(),
      failed: z.number().int(),
      expired: z.number().int(),
    }),
  ),
  withoutWelcome: z.number().int().describe('Adds that got no welcome message'),
});

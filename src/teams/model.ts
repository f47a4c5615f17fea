import { z } from 'zod';
import { jsonValue } from '../shared/json.ts';

// What the teams domain answers with, field by field: the OpenAPI document (and the console's types) come from these.

/** A person who signs in to the console. */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  departments: z.array(z.string()).nullable().describe('null: every department'),
  totp: z.boolean().describe('Whether a second factor is on'),
  disabled: z.boolean(),
  createdAt: z.string(),
});

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  ip: z.string().nullable(),
  action: z.string().describe('What was done or tried: code.update, token.create, staff.hand_over, or for a refusal without a name `METHOD /url`'),
  object: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  outcome: z.enum(['ok', 'denied']),
  detail: z
    .record(z.string(), jsonValue)
    .nullable()
    .describe(
      'Arbitrary JSON per action. A change: {changes: [{field, from, to}]}; proposal.create: {proposal, changes}; staff.hand_over: ' +
        '{to: {id, name}, codes, heldForApproval, stores, customers}; a refusal: {needs, role}, {workspace, allowed}, ' +
        '{department, allowed} or {reason}; a sign-in: null',
    ),
});

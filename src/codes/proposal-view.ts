import { z } from 'zod';
import { fieldChangeSchema, jsonValue } from '../shared/json.ts';

// What a change held for approval answers with (PATCH /api/v1/codes/{id} answers 202 with it; the
// approvals of the teams domain list and decide it): defined beside the gate that holds changes.

const decisionSchema = z.object({
  level: z.string(),
  by: z.object({ id: z.string(), name: z.string() }),
  verdict: z.enum(['approve', 'reject']),
  comment: z.string().nullable(),
  at: z.string(),
});

export const PROPOSAL_STATUSES = ['pending', 'applied', 'rejected', 'conflict'] as const;

/** A change held for approval: its patch and diff, its levels each with its decision so far. */
export const proposalSchema = z.object({
  id: z.string(),
  codeId: z.string(),
  baseVersion: z.number().int().describe('The version of the code the change was made against'),
  patch: z.record(z.string(), jsonValue).describe('The change, as PATCH /api/v1/codes/{id} received it (fields of its body)'),
  changes: z.array(fieldChangeSchema),
  proposer: z.object({ id: z.string(), name: z.string() }),
  levels: z.array(
    z.object({
      name: z.string(),
      roles: z.array(z.string()),
      users: z.array(z.string()),
      decision: decisionSchema.nullable().describe('null while the level has not decided'),
    }),
  ),
  nextLevel: z.string().nullable().describe('The level that decides next; null once the proposal is decided'),
  status: z.enum(PROPOSAL_STATUSES),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

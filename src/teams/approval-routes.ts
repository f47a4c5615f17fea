import { z } from 'zod';
import { idParams } from '../http/route-helpers.ts';
import { PROPOSAL_STATUSES, proposalSchema } from '../codes/proposal-view.ts';
import type { CodeService } from '../codes/service.ts';
import type { Api } from '../http/api.ts';
import { approvalPolicySchema } from './approval-policy.ts';
import type { ApprovalService } from './approvals.ts';

const verdictBody = z.strictObject({ comment: z.string().trim().max(500).nullable().default(null) });

export function approvalRoutes(api: Api, approvals: ApprovalService, codes: CodeService): void {
  const tag = 'approvals';
  const audit = (action: string) => ({ action, object: 'proposal', load: (id: string) => approvals.get(id) });
  const apply = codes.applyApproved.bind(codes);
  // A proposal belongs to its code's department: a limited caller neither reads nor decides another's.
  const departmentOfCode = async (codeId: string) => (await codes.departmentOf(codeId)) ?? null;
  const scope = async (id: string) => {
    const proposal = await approvals.get(id).catch(() => null);
    return proposal ? departmentOfCode(proposal.codeId) : undefined;
  };
  api.route({
    method: 'GET', url: '/api/v1/settings/approvals', scope: 'workspace', tag, permission: 'settings.manage',
    summary: 'Which code changes need approval, and by whom, level after level',
    responses: { 200: { description: 'The policy', schema: approvalPolicySchema } },
    handler: () => approvals.policy(),
  });
  api.route({
    method: 'PUT', url: '/api/v1/settings/approvals', tag, permission: 'settings.manage', body: approvalPolicySchema, scope: 'workspace',
    audit: { action: 'settings.approvals', object: 'settings', current: () => approvals.policy() },
    summary: 'Set the approval policy: rules of `fields` (and `onlyPrinted`) with ordered `levels`, each naming `roles` or `users` who may approve',
    responses: { 200: { description: 'The policy', schema: approvalPolicySchema } },
    handler: ({ body }) => approvals.setPolicy(body),
  });
  api.route({
    method: 'GET', url: '/api/v1/proposals', tag, permission: 'codes.read',
    summary: 'Changes held for approval (and decided ones), newest first; a caller limited to departments sees those on its codes only',
    query: z.strictObject({
      status: z.enum(PROPOSAL_STATUSES).optional(),
      codeId: z.string().max(40).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
    responses: { 200: { description: 'Proposals', schema: z.object({ items: z.array(proposalSchema) }) } },
    handler: async ({ query, actor }) => ({ items: await approvals.list({ ...query, departments: actor.departments }) }),
  });
  api.route({
    method: 'GET', url: '/api/v1/proposals/:id', tag, permission: 'codes.read', params: idParams, scope,
    summary: 'A proposal: its diff, its levels and who decided what',
    responses: { 200: { description: 'The proposal', schema: proposalSchema } },
    handler: ({ params }) => approvals.get(params.id),
  });
  api.route({
    method: 'POST', url: '/api/v1/proposals/:id/approve', tag, permission: 'codes.read', params: idParams, scope, body: verdictBody,
    audit: audit('proposal.approve'),
    summary:
      'Approve at the current level (you must be named there or hold one of its roles, and not be the proposer); the last approval applies ' +
      'the change, or answers 409 if the code changed meanwhile',
    responses: { 200: { description: 'The proposal', schema: proposalSchema }, 409: { description: 'The code changed since the proposal; nothing applied' } },
    handler: ({ params, body, actor }) => approvals.decide(params.id, actor, 'approve', body.comment, apply),
  });
  api.route({
    method: 'POST', url: '/api/v1/proposals/:id/reject', tag, permission: 'codes.read', params: idParams, scope, body: verdictBody,
    audit: audit('proposal.reject'),
    summary: 'Reject at the current level: the change is not applied',
    responses: { 200: { description: 'The proposal', schema: proposalSchema } },
    handler: ({ params, body, actor }) => approvals.decide(params.id, actor, 'reject', body.comment, apply),
  });
}

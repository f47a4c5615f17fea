import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { idParams, scopeOf } from '../http/route-helpers.ts';
import { parsePart } from '../http/validation.ts';
import { AppError } from '../shared/errors.ts';
import type { ChangeLog } from '../shared/audit-entry.ts';
import { CODE_STATUSES, ruleSchema, type CodeType, type UpdateCodeInput } from './model.ts';
import type { CodeTypes } from './code-type.ts';
import { decisionSchema } from './decision-schema.ts';
import type { ChannelService } from '../channels/service.ts';
import { assertPlaceable, soleDepartment, type Actor } from '../shared/actor.ts';
import type { CodeService } from './service.ts';
import { proposalSchema } from './proposal-view.ts';
import { fieldChangeSchema, jsonValue } from '../shared/json.ts';
import { simulateSchema } from './simulate.ts';

const versionSchema = z.object({
  version: z.number(),
  actor: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  createdAt: z.string(),
  changes: z.array(fieldChangeSchema),
  snapshot: z.record(z.string(), jsonValue).describe('The whole code as this version left it, as stored (times in ms since the epoch)'),
});

export const listQuery = z.strictObject({
  q: z.string().trim().max(30).optional(),
  tag: z.string().trim().max(20).optional(),
  status: z.enum(CODE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(40).optional(),
});

/** A code as answered: what it was created with, and what the service adds. */
const codeViewOf = (schemas: CodeTypes['schemas']) => schemas.shape.extend({
  id: z.string(),
  slug: z.string(),
  shortUrl: z.string(),
  status: z.enum(CODE_STATUSES),
  scanCount: z.number().int(),
  version: z.number().int(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rules: z.array(ruleSchema),
});

const IF_MATCH = /^"?(\d+)"?$/;

const versionParams = idParams.extend({ version: z.coerce.number().int().min(1).max(2_000_000_000) });

/** What an edit needs of its request besides the code and the change. */
interface EditContext {
  actor: Actor;
  req: FastifyRequest;
  reply: FastifyReply;
  logChange: ChangeLog;
}

/** Refuses departments that do not exist (the teams domain's). */
export interface DepartmentCheck {
  check(ids: readonly string[], field: string): Promise<void>;
}

export function codeRoutes(api: Api, codes: CodeService, types: CodeTypes, departments: DepartmentCheck, channels: ChannelService): void {
  const { schemas } = types;
  const codeView = codeViewOf(schemas);
  const traces = types.plugins.map((t) => t.traceSchema);
  const tag = 'codes';
  // Logged by the code service inside each change's transaction (through `logChange`).
  const audit = (action: string) => ({ action, object: 'code', load: (id: string) => codes.get(id), derived: ['status'], transactional: true });
  /** A code may be put only in a department that exists and that the caller may work in. */
  const placeIn = async (actor: Actor, department: string | null) => {
    assertPlaceable(actor, department, 'departmentId');
    if (department !== null) await departments.check([department], 'departmentId');
  };
  /** An edit as PATCH makes it: placement and channel checked, a stale If-Match refused, a change an approval rule guards held (202). */
  const applyEdit = async (id: string, body: UpdateCodeInput, { actor, req, reply, logChange }: EditContext) => {
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && !IF_MATCH.test(ifMatch)) throw new AppError('validation_failed', 'If-Match: must be a version number', 'If-Match');
    const expected = ifMatch === undefined ? undefined : Number(IF_MATCH.exec(ifMatch)![1]);
    if (body.departmentId !== undefined) await placeIn(actor, body.departmentId);
    if (body.channelId) await channels.check(body.channelId, 'channelId');
    const result = await codes.update(id, body, actor, expected, logChange);
    if ('proposal' in result) reply.code(202);
    return result;
  };
  api.route({
    method: 'POST', url: '/api/v1/codes', tag, permission: 'codes.write', status: 201, audit: audit('code.create'),
    summary: 'Create a live code',
    body: schemas.create,
    responses: { 201: { description: 'Created', schema: codeView } },
    handler: async ({ body, actor, logChange }) => {
      const departmentId = body.departmentId ?? soleDepartment(actor);
      await placeIn(actor, departmentId);
      if (body.channelId !== null) await channels.check(body.channelId, 'channelId');
      return codes.create({ ...body, departmentId }, actor, logChange);
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/codes', tag, permission: 'codes.read',
    summary: 'List codes, newest first (search by name, filter by tag, status, type, channel or department; cursor pagination)',
    query: listQuery.extend({
      type: z.enum(types.plugins.map((p) => p.type) as [CodeType, ...CodeType[]]).optional(),
      channelId: z.string().min(1).max(40).optional().describe('Only codes attributed to this channel (not its sub-channels)'),
      departmentId: z.string().min(1).max(40).optional().describe('Only codes of this department (within the caller’s scope)'),
    }),
    responses: { 200: { description: 'A page of codes', schema: z.object({ items: z.array(codeView), nextCursor: z.string().nullable() }) } },
    handler: ({ query, actor }) => codes.list({ ...query, departments: actor.departments }),
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/:id', scope: scopeOf(codes), tag, permission: 'codes.read',
    summary: 'Get a code', params: idParams,
    responses: { 200: { description: 'The code', schema: codeView } },
    handler: ({ params }) => codes.get(params.id),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/codes/:id', scope: scopeOf(codes), tag, permission: 'codes.write', audit: audit('code.update'),
    summary:
      'Change a code; takes effect on the next scan. Send If-Match: <version> to refuse a stale edit (409). ' +
      'A change an approval rule guards is held instead: 202 with the proposal.',
    params: idParams, body: schemas.update,
    responses: {
      200: { description: 'The changed code', schema: codeView },
      202: { description: 'Held for approval', schema: z.object({ proposal: proposalSchema }) },
    },
    handler: ({ params, body, ...edit }) => applyEdit(params.id, body, edit),
  });
  api.route({
    method: 'POST', url: '/api/v1/codes/:id/archive', scope: scopeOf(codes), tag, permission: 'codes.write', audit: audit('code.archive'),
    summary: 'Archive a code: scans show the ended page; history and statistics stay', params: idParams,
    responses: { 200: { description: 'The archived code', schema: codeView } },
    handler: ({ params, actor, logChange }) => codes.archive(params.id, actor, logChange),
  });
  api.route({
    method: 'POST', url: '/api/v1/codes/:id/restore', scope: scopeOf(codes), tag, permission: 'codes.write', audit: audit('code.restore'),
    summary: 'Bring an archived code back', params: idParams,
    responses: { 200: { description: 'The restored code', schema: codeView } },
    handler: ({ params, actor, logChange }) => codes.restore(params.id, actor, logChange),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/codes/:id', scope: scopeOf(codes), tag, permission: 'codes.write', audit: audit('code.delete'),
    summary: 'Delete a code with its versions and scans; its short URL answers 404 from then on', params: idParams,
    responses: { 204: { description: 'Deleted' } },
    handler: ({ params, actor, logChange }) => codes.remove(params.id, actor, logChange),
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/:id/versions', scope: scopeOf(codes), tag, permission: 'codes.read',
    summary: 'Every change to a code: who, when, what changed, newest first', params: idParams,
    responses: { 200: { description: 'Versions', schema: z.object({ items: z.array(versionSchema) }) } },
    handler: async ({ params }) => ({
      items: (await codes.versions(params.id)).map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
    }),
  });
  api.route({
    method: 'GET', url: '/api/v1/codes/:id/versions/:version/restore', scope: scopeOf(codes), tag, permission: 'codes.read',
    summary: 'What restoring this version would change, field by field, from the code today to the version (nothing is changed)',
    params: versionParams,
    responses: { 200: { description: 'The changes a restore would make', schema: z.object({ changes: z.array(fieldChangeSchema) }) } },
    handler: async ({ params }) => ({ changes: await codes.restoringChanges(params.id, params.version) }),
  });
  api.route({
    method: 'POST', url: '/api/v1/codes/:id/versions/:version/restore', scope: scopeOf(codes), tag, permission: 'codes.write',
    audit: audit('code.restore_version'),
    summary:
      'Bring the code back to how a version left it, as a new version (history is never rewritten): the same checks, ' +
      'approvals (202 with the proposal) and If-Match as PATCH; what is no longer valid (a member who left, a deleted material) is refused, ' +
      'naming the field. Whether the code is printed, and fields the version predates, stay as they are.',
    params: versionParams,
    responses: {
      200: { description: 'The code as restored (unchanged when it already matches the version)', schema: codeView },
      202: { description: 'Held for approval', schema: z.object({ proposal: proposalSchema }) },
    },
    handler: async ({ params, ...edit }) => {
      const changes = await codes.restoringChanges(params.id, params.version);
      const body = parsePart(schemas.update, Object.fromEntries(changes.map((c) => [c.field, c.to])), 'body');
      return applyEdit(params.id, body, edit);
    },
  });
  api.route({
    method: 'POST', url: '/api/v1/codes/:id/simulate', scope: scopeOf(codes), tag, permission: 'codes.read',
    summary: 'Decide a scan without recording it, with the reasoning for each rule',
    params: idParams, body: simulateSchema,
    responses: { 200: { description: 'Decision and trace', schema: z.object({ decision: decisionSchema, trace: z.union(traces) }) } },
    handler: ({ params, body }) => codes.simulate(params.id, body),
  });
}

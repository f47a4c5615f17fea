import { z } from 'zod';
import { idParams } from '../http/route-helpers.ts';
import type { Api } from '../http/api.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { assertPlaceable, inScope, soleDepartment } from '../shared/actor.ts';
import {
  createStaffSchema, handOverSchema, openConversationsBatchSchema, openConversationsSchema, STAFF_STATUSES, staffViewSchema, updateStaffSchema,
} from './model.ts';
import type { HandOver } from './hand-over.ts';
import type { StaffService } from './staff.ts';

/** `servedToday`: scans sent to each member today, shown beside their daily limit. */
export function staffRoutes(api: Api, staff: StaffService, handOver: HandOver, servedToday: () => Promise<Map<string, number>>): void {
  const tag = 'staff';
  const scope = (id: string) => staff.departmentOf(id);
  const audit = (action: string) => ({ action, object: 'staff', load: (id: string) => staff.get(id) });
  api.route({
    method: 'POST', url: '/api/v1/staff', tag, permission: 'staff.manage', status: 201, audit: audit('staff.create'), body: createStaffSchema,
    summary: 'Add a member scans can be routed to: WeCom userid or contact QR, department, weight, daily limit, schedule, skills, efficiency',
    responses: { 201: { description: 'Created', schema: staffViewSchema } },
    handler: ({ body, actor }) => {
      const departmentId = body.departmentId ?? soleDepartment(actor);
      assertPlaceable(actor, departmentId, 'departmentId');
      return staff.create({ ...body, departmentId });
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/staff', tag, permission: 'codes.read',
    summary: "List members (of your departments, when you are limited to some), each with today's served scans (Asia/Shanghai day)",
    query: z.strictObject({ status: z.enum(STAFF_STATUSES).optional() }),
    responses: { 200: { description: 'Members', schema: z.object({ items: z.array(staffViewSchema.extend({ scansToday: z.number().int() })) }) } },
    handler: async ({ query, actor }) => {
      const [members, today] = await Promise.all([staff.list({ departments: actor.departments, status: query.status }), servedToday()]);
      return { items: members.map((m) => ({ ...m, scansToday: today.get(m.id) ?? 0 })) };
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/staff/:id', tag, permission: 'codes.read', params: idParams, scope,
    summary: 'A member', responses: { 200: { description: 'The member', schema: staffViewSchema } },
    handler: ({ params }) => staff.get(params.id),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/staff/:id', tag, permission: 'staff.manage', params: idParams, scope, audit: audit('staff.update'), body: updateStaffSchema,
    summary: 'Change a member: status (active, away, left), weight, limits, schedule, department…',
    responses: { 200: { description: 'The member', schema: staffViewSchema } },
    handler: ({ params, body, actor }) => {
      if (body.departmentId !== undefined) assertPlaceable(actor, body.departmentId, 'departmentId');
      return staff.update(params.id, body);
    },
  });
  api.route({
    method: 'PUT', url: '/api/v1/staff/:id/open-conversations', tag, permission: 'staff.manage', params: idParams, scope, body: openConversationsSchema,
    summary: "The customer-service system reports a member's open conversations: at maxOpen they are passed over; a report older than 10 minutes is ignored",
    responses: { 200: { description: 'The member, with openConversations', schema: staffViewSchema } },
    handler: async ({ params, body }) => {
      if ((await staff.departmentOf(params.id)) === undefined) throw notFound('staff member');
      await staff.reportOpen([{ staffId: params.id, count: body.count }]);
      return staff.get(params.id);
    },
  });
  api.route({
    method: 'PUT', url: '/api/v1/staff/open-conversations', tag, permission: 'staff.manage', body: openConversationsBatchSchema,
    summary: "The customer-service system reports many members' open conversations at once ({counts: [{staffId, count}]}); all or nothing",
    responses: { 200: { description: 'How many members were reported', schema: z.object({ reported: z.number().int() }) } },
    handler: async ({ body, actor }) => {
      const departments = await staff.departmentsOf(body.counts.map((c) => c.staffId));
      body.counts.forEach(({ staffId }, i) => {
        const department = departments.get(staffId);
        if (department === undefined) throw invalid(`counts.${i}.staffId`, `no staff member ${staffId}`);
        if (!inScope(actor, department)) throw new AppError('forbidden', `${staffId} belongs to a department outside your scope`, `counts.${i}.staffId`);
      });
      await staff.reportOpen(body.counts);
      return { reported: departments.size };
    },
  });
  api.route({
    method: 'POST', url: '/api/v1/staff/:id/leave', tag, permission: 'staff.manage', params: idParams, scope, audit: audit('staff.leave'),
    body: z.strictObject({ handoverTo: z.string().min(1).max(40) }),
    summary: 'A member leaves: their places on staff codes go to a colleague, their WeCom customers are handed over (transfer_customer), they are marked left',
    responses: { 200: { description: 'What was handed over: codes changed or held for approval, customers transferred or not', schema: handOverSchema } },
    handler: ({ params, body, actor, req }) => handOver.leave(params.id, body.handoverTo, actor, req.ip),
  });
}

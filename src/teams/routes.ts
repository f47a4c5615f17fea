import { z } from 'zod';
import { idParams } from '../http/route-helpers.ts';
import type { Api } from '../http/api.ts';
import { PERMISSIONS } from '../shared/actor.ts';
import { createRoleSchema, roleName, type RoleService } from './roles.ts';
import type { AuditLog } from './audit.ts';
import type { TokenService } from './tokens.ts';
import type { DepartmentService } from './departments.ts';
import { auditEntrySchema, userSchema } from './model.ts';
import { createUserSchema, updateUserSchema, type UserService } from './users.ts';

const future = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time such as 2027-01-01T00:00:00+08:00' }).transform((s) => Date.parse(s));

const createKey = z.strictObject({
  name: z.string().trim().min(1).max(60),
  role: roleName,
  scopes: z.array(z.enum(PERMISSIONS)).min(1).nullable().default(null),
  expiresAt: future.nullable().default(null),
  departments: z.array(z.string().min(1).max(40)).min(1).nullable().default(null),
});

const keyView = z.object({
  id: z.string(),
  name: z.string(),
  role: roleName,
  scopes: z.array(z.enum(PERMISSIONS)).nullable(),
  departments: z.array(z.string()).nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe('when the key was last used, to the minute; null if never'),
  revokedAt: z.string().nullable(),
});

const departmentName = z.string().trim().min(1).max(30);

const auditQuery = z.strictObject({
  actor: z.string().max(40).optional(),
  objectType: z.string().max(40).optional(),
  objectId: z.string().max(40).optional(),
  action: z.string().max(60).optional(),
  outcome: z.enum(['ok', 'denied']).optional(),
  from: future.optional(),
  to: future.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(40).optional(),
});

export function teamRoutes(api: Api, tokens: TokenService, users: UserService, departments: DepartmentService, roles: RoleService, audit: AuditLog): void {
  const tag = 'teams';
  const userAudit = (action: string) => ({ action, object: 'user', load: (id: string) => users.get(id) });
  // Logged by the user service inside the change's transaction (through `logChange`).
  const userUpdateAudit = { ...userAudit('user.update'), transactional: true };
  // A limited caller manages only the people and keys whose departments lie within its own.
  const userScope = (id: string) => users.departmentsOf(id);
  const tokenScope = async (id: string) => (await tokens.get(id))?.departments;
  api.route({
    method: 'POST', url: '/api/v1/users', tag, permission: 'users.manage', status: 201, audit: userAudit('user.create'),
    summary: 'Add a person who signs in to the console (never with a role above your own)',
    body: createUserSchema,
    responses: { 201: { description: 'Created', schema: userSchema } },
    handler: ({ body, actor }) => users.create(body, actor),
  });
  api.route({
    method: 'GET', url: '/api/v1/users', tag, permission: 'users.manage',
    summary: 'List the people who sign in',
    responses: { 200: { description: 'Users', schema: z.object({ items: z.array(userSchema) }) } },
    handler: async ({ actor }) => ({ items: await users.list(actor) }),
  });
  api.route({
    method: 'PATCH', url: '/api/v1/users/:id', tag, permission: 'users.manage', params: idParams, body: updateUserSchema,
    audit: userUpdateAudit, scope: userScope,
    summary: 'Change a person’s name or role, or disable them (signed out everywhere at once)',
    responses: { 200: { description: 'The user', schema: userSchema } },
    handler: ({ params, body, actor, logChange }) => users.update(params.id, body, actor, logChange),
  });
  api.route({
    method: 'POST', url: '/api/v1/tokens', tag, permission: 'tokens.manage', status: 201,
    audit: { action: 'token.create', object: 'token', load: (id) => tokens.get(id) },
    summary: 'Create an API key (a role, optionally narrowed to scopes, optionally expiring); the key is in this answer only',
    body: createKey,
    responses: { 201: { description: 'Created', schema: keyView.extend({ token: z.string() }) } },
    handler: async ({ body, actor }) => {
      if (body.departments) await departments.check(body.departments, 'departments');
      return tokens.grant(actor, body.name, body.role, { scopes: body.scopes, expiresAt: body.expiresAt, departments: body.departments });
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/tokens', tag, permission: 'tokens.manage',
    summary: 'List API keys (never the keys themselves)',
    responses: { 200: { description: 'Keys', schema: z.object({ items: z.array(keyView) }) } },
    handler: async ({ actor }) => ({ items: await tokens.list(actor) }),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/tokens/:id', tag, permission: 'tokens.manage', params: idParams, scope: tokenScope,
    audit: { action: 'token.revoke', object: 'token', load: (id) => tokens.get(id) },
    summary: 'Revoke an API key: it is refused from the next request on',
    responses: { 200: { description: 'The revoked key', schema: keyView } },
    handler: ({ params, actor }) => tokens.revoke(actor, params.id),
  });
  const roleView = z.object({ name: z.string(), builtin: z.boolean(), permissions: z.array(z.enum(PERMISSIONS)) });
  api.route({
    method: 'POST', url: '/api/v1/roles', tag, permission: 'settings.manage', status: 201, audit: { action: 'role.create', object: 'role' }, scope: 'workspace',
    summary: 'Add a custom role: a name and the permissions it grants',
    body: createRoleSchema,
    responses: { 201: { description: 'Created', schema: roleView } },
    handler: ({ body }) => roles.create(body),
  });
  api.route({
    method: 'GET', url: '/api/v1/roles', scope: 'workspace', tag, permission: 'codes.read',
    summary: 'The built-in and custom roles with their permissions',
    responses: { 200: { description: 'Roles', schema: z.object({ items: z.array(roleView) }) } },
    handler: async () => ({ items: await roles.list() }),
  });
  const department = z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), createdAt: z.string() });
  api.route({
    method: 'POST', url: '/api/v1/departments', tag, permission: 'settings.manage', status: 201,
    audit: { action: 'department.create', object: 'department' }, scope: 'workspace',
    summary: 'Add a department (华东, 华南, …; `parentId` nests it): codes and staff belong to one, keys and people can be limited to some',
    body: z.strictObject({ name: departmentName, parentId: z.string().min(1).max(40).nullable().default(null) }),
    responses: { 201: { description: 'Created', schema: department } },
    handler: ({ body }) => departments.create(body.name, body.parentId),
  });
  const departmentAudit = (action: string) => ({ action, object: 'department', load: (id: string) => departments.get(id) });
  api.route({
    method: 'PATCH', url: '/api/v1/departments/:id', tag, permission: 'settings.manage', params: idParams, scope: 'workspace',
    audit: departmentAudit('department.update'),
    summary: 'Rename a department',
    body: z.strictObject({ name: departmentName }),
    responses: { 200: { description: 'The department', schema: department } },
    handler: ({ params, body }) => departments.rename(params.id, body.name),
  });
  api.route({
    method: 'DELETE', url: '/api/v1/departments/:id', tag, permission: 'settings.manage', params: idParams, scope: 'workspace',
    audit: departmentAudit('department.delete'),
    summary: 'Delete a department that nothing names any more',
    responses: {
      200: { description: 'The deleted department', schema: department },
      409: { description: 'Sub-departments, codes, staff, materials, people, API keys or webhooks still name it (the message counts them)' },
    },
    handler: ({ params }) => departments.remove(params.id),
  });
  api.route({
    method: 'GET', url: '/api/v1/departments', scope: 'workspace', tag, permission: 'codes.read',
    summary: 'List departments',
    responses: { 200: { description: 'Departments', schema: z.object({ items: z.array(department) }) } },
    handler: async () => ({ items: await departments.list() }),
  });
  api.route({
    method: 'GET', url: '/api/v1/audit', tag, permission: 'audit.read',
    summary:
      'The operation log, newest first: every change (who, when, from which address, before/after) and every refused attempt; ' +
      'a caller limited to departments reads only the entries about their objects',
    query: auditQuery,
    responses: { 200: { description: 'A page of entries', schema: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() }) } },
    handler: ({ query, actor }) => audit.list({ ...query, actorId: query.actor, departments: actor.departments }),
  });
}

import { AppError } from './errors.ts';

/** The built-in roles; a workspace adds its own (custom roles) from the list of permissions. */
export const ROLES = ['owner', 'admin', 'operator', 'analyst', 'viewer'] as const;
export type BuiltinRole = (typeof ROLES)[number];
/** A built-in role or a custom one. */
export type Role = string;
export const isBuiltinRole = (role: string): role is BuiltinRole => (ROLES as readonly string[]).includes(role);

/** What an API call may need; a role is a set of these, and a key may be scoped to fewer. */
export const PERMISSIONS = [
  'codes.read', 'codes.write', 'scans.read', 'customers.read', 'webhooks.manage',
  'staff.manage', 'tokens.manage', 'users.manage', 'settings.manage', 'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<BuiltinRole, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  operator: ['codes.read', 'codes.write', 'scans.read', 'customers.read'],
  analyst: ['codes.read', 'scans.read'],
  viewer: ['codes.read'],
};

/** Nobody hands out more than they hold; only an owner makes owners. */
export const mayGrant = (granter: Pick<Actor, 'role' | 'permissions'>, role: Role, rolePermissions: readonly Permission[]) =>
  role === 'owner' ? granter.role === 'owner' : rolePermissions.every((p) => granter.permissions.has(p));

/** Who is making a request: recorded on every change they make. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** The departments whose codes this caller sees and changes; null: every department. */
  departments: ReadonlySet<string> | null;
}

export const inScope = (actor: Pick<Actor, 'departments'>, department: string | null) =>
  actor.departments === null || (department !== null && actor.departments.has(department));

/**
 * What an object belongs to: one department, a set of them (a key's or a person's limit, a
 * webhook's creator's), or null for the whole workspace.
 */
export type Belonging = string | readonly string[] | null;

/** The caller's departments hold everything the object belongs to: a limited caller never reaches past its own. */
export const covers = (actor: Pick<Actor, 'departments'>, belonging: Belonging) =>
  typeof belonging === 'string' || belonging === null ? inScope(actor, belonging) : belonging.every((d) => inScope(actor, d));

/** Something is put in a department (a code, a member): only one the caller works in. */
export function assertPlaceable(actor: Pick<Actor, 'departments'>, department: string | null, field: string): void {
  if (!inScope(actor, department)) throw new AppError('forbidden', 'put it in one of your own departments', field);
}

/**
 * A code sends scans to someone (or a department) of `department`: a limited caller only to its
 * own. Callers skip what the code named before: what someone else set stays.
 */
export function assertNamable(actor: Pick<Actor, 'departments'>, department: string | null, what: string, field: string): void {
  if (!inScope(actor, department)) throw new AppError('forbidden', `${what} belongs to a department outside your scope`, field);
}

/** Someone who works in one department only need not say so. */
export const soleDepartment = (actor: Pick<Actor, 'departments'>) => (actor.departments?.size === 1 ? [...actor.departments][0]! : null);

/** A key's permissions: its role's, narrowed to its scopes when it has any. */
export function permissionsOf(granted: readonly Permission[], scopes: readonly Permission[] | null): ReadonlySet<Permission> {
  return new Set(scopes === null ? granted : granted.filter((p) => scopes.includes(p)));
}

/**
 * The departments a new key or user gets: what was asked for, which must lie within the granter's
 * own; a scoped granter who asks for nothing passes on its own scope. Null: every department.
 */
export function grantedDepartments(granter: Pick<Actor, 'departments'>, requested: readonly string[] | null | undefined): string[] | null {
  if (granter.departments === null) return requested ? [...new Set(requested)] : null;
  if (!requested) return [...granter.departments];
  const outside = requested.find((d) => !granter.departments!.has(d));
  if (outside !== undefined) throw new AppError('forbidden', `you may not grant department ${outside}, which is outside your own`, 'departments');
  return [...new Set(requested)];
}

import { z } from 'zod';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid } from '../shared/errors.ts';
import { isBuiltinRole, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission } from '../shared/actor.ts';
import type { RoleRepo } from './role-repo.ts';

export const roleName = z.string().trim().min(1, 'name a role').max(30);
export const createRoleSchema = z.strictObject({ name: roleName, permissions: z.array(z.enum(PERMISSIONS)).min(1).transform((p) => [...new Set(p)]) });

export interface RoleView {
  name: string;
  builtin: boolean;
  permissions: Permission[];
}

/** Built-in roles and the workspace's own, each a named list of permissions. */
export class RoleService {
  constructor(
    private readonly repo: RoleRepo,
    private readonly clock: Clock,
  ) {}

  /** A role's permissions, or null when there is no such role (a custom role since deleted grants nothing). */
  async permissionsOf(role: string): Promise<Permission[] | null> {
    if (isBuiltinRole(role)) return [...ROLE_PERMISSIONS[role]];
    return (await this.repo.permissionsOf(role)) ?? null;
  }

  /** Refuses, naming `field`, a role that does not exist. */
  async resolve(role: string, field = 'role'): Promise<Permission[]> {
    const permissions = await this.permissionsOf(role);
    if (permissions === null) throw invalid(field, `no role "${role}": use one of ${ROLES.join(', ')} or a custom role`);
    return permissions;
  }

  async create(input: z.output<typeof createRoleSchema>): Promise<RoleView> {
    if (isBuiltinRole(input.name) || (await this.permissionsOf(input.name)) !== null) {
      throw new AppError('conflict', `a role named "${input.name}" exists already`, 'name');
    }
    await this.repo.insert(input.name, input.permissions, this.clock.now());
    return { name: input.name, builtin: false, permissions: input.permissions };
  }

  async list(): Promise<RoleView[]> {
    const custom = await this.repo.all();
    return [
      ...ROLES.map((name) => ({ name, builtin: true, permissions: [...ROLE_PERMISSIONS[name]] })),
      ...custom.map((r) => ({ name: r.name, builtin: false, permissions: r.permissions })),
    ];
  }
}

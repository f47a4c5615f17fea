export const ROLES = ['owner', 'admin', 'operator', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request: recorded on every change they make. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** Roles that may change codes; the others only read. */
export const canWrite = (role: Role) => role === 'owner' || role === 'admin' || role === 'operator';

/** Roles that manage integrations (webhooks) and other people's access. */
export const canAdminister = (role: Role) => role === 'owner' || role === 'admin';

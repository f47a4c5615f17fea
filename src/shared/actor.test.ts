import { describe, expect, it } from 'vitest';
import { grantedDepartments, mayGrant, permissionsOf, ROLES, ROLE_PERMISSIONS } from './actor.ts';

const holder = (role: (typeof ROLES)[number]) => ({ role, permissions: new Set(ROLE_PERMISSIONS[role]) });

describe('roles and scopes', () => {
  it('narrows a key to its scopes but never widens it past its role', () => {
    expect([...permissionsOf(ROLE_PERMISSIONS.operator, null)]).toEqual(['codes.read', 'codes.write', 'scans.read', 'customers.read']);
    expect([...permissionsOf(ROLE_PERMISSIONS.operator, ['scans.read'])]).toEqual(['scans.read']);
    expect([...permissionsOf(ROLE_PERMISSIONS.viewer, ['codes.write', 'audit.read'])]).toEqual([]);
  });

  it('lets a role grant only what it holds, and only an owner make owners', () => {
    for (const granter of ROLES) {
      for (const role of ROLES) {
        const wider = ROLE_PERMISSIONS[role].some((p) => !ROLE_PERMISSIONS[granter].includes(p));
        if (wider) expect(mayGrant(holder(granter), role, ROLE_PERMISSIONS[role]), `${granter} → ${role}`).toBe(false);
      }
    }
    expect(mayGrant(holder('admin'), 'owner', ROLE_PERMISSIONS.owner)).toBe(false);
    expect(mayGrant(holder('owner'), 'owner', ROLE_PERMISSIONS.owner)).toBe(true);
    expect(mayGrant(holder('admin'), 'admin', ROLE_PERMISSIONS.admin)).toBe(true);
    // A custom role is judged by what it grants.
    expect(mayGrant(holder('operator'), '内容审核', ['codes.read', 'scans.read'])).toBe(true);
    expect(mayGrant(holder('operator'), '审计', ['audit.read'])).toBe(false);
  });

  it('keeps what a scoped granter hands out inside its own departments', () => {
    expect(grantedDepartments({ departments: null }, null)).toBeNull();
    expect(grantedDepartments({ departments: new Set(['east']) }, null)).toEqual(['east']);
    expect(grantedDepartments({ departments: new Set(['east', 'north']) }, ['north'])).toEqual(['north']);
    expect(() => grantedDepartments({ departments: new Set(['east']) }, ['south'])).toThrow('outside your own');
  });
});

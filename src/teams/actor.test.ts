import { describe, expect, it } from 'vitest';
import { mayGrant, permissionsOf, ROLES, ROLE_PERMISSIONS } from './actor.ts';

describe('roles and scopes', () => {
  it('narrows a key to its scopes but never widens it past its role', () => {
    expect([...permissionsOf('operator', null)]).toEqual(['codes.read', 'codes.write', 'scans.read']);
    expect([...permissionsOf('operator', ['scans.read'])]).toEqual(['scans.read']);
    expect([...permissionsOf('viewer', ['codes.write', 'audit.read'])]).toEqual([]);
  });

  it('lets a role grant only roles at or below it, and only an owner make owners', () => {
    for (const granter of ROLES) {
      for (const role of ROLES) {
        const wider = ROLE_PERMISSIONS[role].some((p) => !ROLE_PERMISSIONS[granter].includes(p));
        if (wider) expect(mayGrant(granter, role), `${granter} → ${role}`).toBe(false);
      }
    }
    expect(mayGrant('admin', 'owner')).toBe(false);
    expect(mayGrant('owner', 'owner')).toBe(true);
    expect(mayGrant('admin', 'admin')).toBe(true);
  });
});

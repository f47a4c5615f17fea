import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GUARDED_FIELDS, mayDecide, requiredLevels, type ApprovalPolicy } from './approval-policy.ts';

const lead = { name: '组长', roles: ['admin' as const], users: [] };
const legal = { name: '法务', roles: [], users: ['usr_legal'] };
const policy: ApprovalPolicy = {
  rules: [
    { fields: ['url', 'rules'], onlyPrinted: true, levels: [lead, legal] },
    { fields: ['tags'], onlyPrinted: false, levels: [lead] },
  ],
};

describe('approval policy', () => {
  it('holds a printed code’s destination for the lead then legal, and tags for the lead only', () => {
    expect(requiredLevels(policy, true, ['url']).map((l) => l.name)).toEqual(['组长', '法务']);
    expect(requiredLevels(policy, false, ['url'])).toEqual([]);
    expect(requiredLevels(policy, false, ['tags']).map((l) => l.name)).toEqual(['组长']);
    expect(requiredLevels(policy, true, ['tags', 'rules']).map((l) => l.name)).toEqual(['组长', '法务']);
    expect(requiredLevels(policy, true, ['note'])).toEqual([]);
  });

  it('never asks for a level twice, and asks for nothing when no guarded field changed', () => {
    fc.assert(
      fc.property(fc.subarray([...GUARDED_FIELDS]), fc.boolean(), (fields, printed) => {
        const levels = requiredLevels(policy, printed, fields);
        expect(new Set(levels.map((l) => l.name)).size).toBe(levels.length);
        const guarded = policy.rules.some((r) => (printed || !r.onlyPrinted) && r.fields.some((f) => fields.includes(f)));
        expect(levels.length > 0).toBe(guarded);
      }),
    );
  });

  it('lets decide those named at a level or holding one of its roles', () => {
    expect(mayDecide(lead, { id: 'x', role: 'admin' })).toBe(true);
    expect(mayDecide(lead, { id: 'x', role: 'operator' })).toBe(false);
    expect(mayDecide(legal, { id: 'usr_legal', role: 'viewer' })).toBe(true);
  });
});

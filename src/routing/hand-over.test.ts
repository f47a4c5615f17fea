import { describe, expect, it } from 'vitest';
import { withStaffDefaults } from './staff-setup.ts';
import { replaceMember } from './hand-over.ts';

describe('handing a leaver\'s places to a colleague', () => {
  it('swaps them everywhere, merging weights where the colleague is listed already', () => {
    const setup = withStaffDefaults({
      members: [{ staffId: 'leaver', weight: 3 }, { staffId: 'mate', weight: 2 }, { departmentId: 'd', weight: 5 }],
      memberRules: [{ when: { weekdays: [6, 7] }, members: [{ staffId: 'leaver', weight: 1 }], enabled: true }],
      backupStaffIds: ['leaver', 'mate', 'other'],
    });
    expect(replaceMember(setup, 'leaver', 'mate')).toEqual({
      members: [{ staffId: 'mate', weight: 5 }, { departmentId: 'd', weight: 5 }],
      memberRules: [{ when: { weekdays: [6, 7] }, members: [{ staffId: 'mate', weight: 1 }], enabled: true }],
      backupStaffIds: ['mate', 'other'],
    });
  });

  it('leaves a setup that does not name them as it was', () => {
    const setup = withStaffDefaults({ members: [{ staffId: 'a', weight: 1 }], backupStaffIds: ['b'] });
    expect(replaceMember(setup, 'leaver', 'mate')).toEqual({ members: setup.members, memberRules: [], backupStaffIds: ['b'] });
  });
});

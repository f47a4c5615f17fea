import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { SomeCodeTypeSchema } from './code-type.ts';
import { urlCodeSchema } from './url-code-type.ts';
import { restoringChanges } from './version-edit.ts';

/** A type with its own part, as staff codes have: stored under `team`, flattened into the edit. */
const teamType = {
  ...urlCodeSchema, type: 'team', fields: { members: z.array(z.string()) }, stored: { key: 'team', schema: z.unknown() },
} as SomeCodeTypeSchema;

const code = {
  id: 'c1', slug: 's', type: 'url', name: '海报', url: 'https://shop.example/b', rules: [], tags: ['大促'], timeZone: 'Asia/Shanghai',
  validFrom: null, validUntil: Date.parse('2026-12-31T16:00:00.000Z'), maxScans: null, deviceLimit: null, paused: false, printed: true,
  departmentId: null, channelId: null, expiredUrl: null, note: null, page: null, archivedAt: null, version: 3, createdAt: 1, updatedAt: 3,
};

describe('restoring a version, as an edit of today’s code', () => {
  it('names only what differs, times as ISO strings, and leaves printed and what the version predates', () => {
    const from = Date.parse('2026-11-11T00:00:00.000Z');
    const snapshot = { ...code, url: 'https://shop.example/a', tags: [], validUntil: null, validFrom: from, printed: false };
    delete (snapshot as Partial<typeof snapshot>).page;
    const changes = restoringChanges(snapshot, { ...code, page: { guideText: 'x' } }, urlCodeSchema);
    expect(changes.sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'tags', from: ['大促'], to: [] },
      { field: 'url', from: 'https://shop.example/b', to: 'https://shop.example/a' },
      { field: 'validFrom', from: null, to: '2026-11-11T00:00:00.000Z' },
      { field: 'validUntil', from: '2026-12-31T16:00:00.000Z', to: null },
    ]);
  });

  it('is empty when the code already is the version', () => {
    expect(restoringChanges({ ...code, version: 1, updatedAt: 1, archivedAt: 5 }, code, urlCodeSchema)).toEqual([]);
  });

  it('takes a type’s own fields out of its stored part, as PATCH names them', () => {
    const team = { ...code, type: 'team', team: { members: ['b'] } };
    expect(restoringChanges({ ...team, team: { members: ['a'] }, region: null }, team, teamType)).toEqual([{ field: 'members', from: ['b'], to: ['a'] }]);
  });
});

import { describe, expect, it } from 'vitest';
import { freshOpen, OPEN_REPORT_MAX_AGE_MS } from './open-conversations.ts';

describe('open conversation reports', () => {
  const now = Date.parse('2026-11-24T02:00:00Z');
  const reports = new Map([
    ['fresh', { count: 12, reportedAt: now - 60_000 }],
    ['edge', { count: 3, reportedAt: now - OPEN_REPORT_MAX_AGE_MS }],
    ['stale', { count: 40, reportedAt: now - OPEN_REPORT_MAX_AGE_MS - 1 }],
  ]);

  it('relies on reports up to the age limit and ignores older ones, for the members asked about only', () => {
    expect(freshOpen(reports, ['fresh', 'edge', 'stale', 'never'], now)).toEqual(new Map([['fresh', 12], ['edge', 3]]));
    expect(freshOpen(reports, ['edge'], now)).toEqual(new Map([['edge', 3]]));
  });
});

import type { CodeOf, Rule } from '../../src/codes/model.ts';
import type { ScanContext } from '../../src/codes/rules.ts';

/** A URL code with sensible defaults; tests override what they are about. */
export function newCode(overrides: Partial<CodeOf<'url'>> = {}): CodeOf<'url'> {
  return {
    id: 'code-1',
    slug: 'AbCd2345',
    type: 'url',
    name: 'poster',
    url: 'https://example.com/default',
    rules: [],
    tags: [],
    timeZone: 'Asia/Shanghai',
    validFrom: null,
    validUntil: null,
    maxScans: null,
    deviceLimit: null,
    paused: false,
    printed: false,
    departmentId: null,
    channelId: null,
    expiredUrl: null,
    note: null,
    page: null,
    archivedAt: null,
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

export function newRule(when: Rule['when'], url = 'https://example.com/rule', name?: string): Rule {
  return { when, url, enabled: true, ...(name ? { name } : {}) };
}

export function newContext(overrides: Partial<ScanContext> = {}): ScanContext {
  return {
    now: Date.parse('2026-11-22T10:00:00+08:00'),
    os: 'ios',
    inWeChat: true,
    province: null,
    city: null,
    ip: null,
    visitorId: 'visitor-1',
    returning: false,
    location: null,
    ...overrides,
  };
}

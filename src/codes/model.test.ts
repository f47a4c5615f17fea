import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parsePart } from '../http/validation.ts';
import { AppError } from '../shared/errors.ts';
import { codeSchemas } from '../code-types.ts';

const { create: createCodeSchema, update: updateCodeSchema } = codeSchemas;

function refusal(body: unknown, schema: z.ZodType = createCodeSchema) {
  try {
    parsePart(schema, body, 'body');
  } catch (error) {
    if (error instanceof AppError) return { field: error.field, message: error.message, status: error.status };
    throw error;
  }
  return null;
}

const ok = { name: '双十一 海报', type: 'url', url: 'https://shop.example/a' };

describe('creating a code', () => {
  it('accepts Chinese names, digits, spaces, - and _, and fills defaults', () => {
    const parsed = parsePart(createCodeSchema, { ...ok, name: '门店_01 - 上海' }, 'body');
    expect(parsed).toMatchObject({ name: '门店_01 - 上海', type: 'url', timeZone: 'Asia/Shanghai', rules: [], paused: false, maxScans: null });
  });

  it.each([
    [{ ...ok, name: '' }, 'name'],
    [{ ...ok, name: 'a'.repeat(31) }, 'name'],
    [{ ...ok, name: 'hello!' }, 'name'],
    [{ ...ok, name: '<script>' }, 'name'],
    [{ ...ok, url: 'javascript:alert(1)' }, 'url'],
    [{ ...ok, url: 'data:text/html,hi' }, 'url'],
    [{ ...ok, url: 'ftp://example.com/x' }, 'url'],
    [{ ...ok, url: 'example.com' }, 'url'],
    [{ name: 'x', type: 'url' }, 'url'],
    [{ ...ok, type: 'coupon' }, 'type'],
    [{ ...ok, type: 'staff' }, 'members'],
    [{ ...ok, timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ ...ok, maxScans: 0 }, 'maxScans'],
    [{ ...ok, maxScans: 1.5 }, 'maxScans'],
    [{ ...ok, validFrom: '2026-11-11 10:00' }, 'validFrom'],
    [{ ...ok, rule: [] }, 'rule'],
    [{ ...ok, rules: [{ when: {}, url: 'https://a.example' }] }, 'rules.0.when'],
    [{ ...ok, rules: [{ when: { timeOfDay: { from: '25:00', to: '10:00' } }, url: 'https://a.example' }] }, 'rules.0.when.timeOfDay.from'],
    [{ ...ok, rules: [{ when: { timeOfDay: { from: '10:00', to: '10:00' } }, url: 'https://a.example' }] }, 'rules.0.when.timeOfDay.to'],
    [{ ...ok, rules: [{ when: { weekdays: [0] }, url: 'https://a.example' }] }, 'rules.0.when.weekdays.0'],
    [{ ...ok, rules: [{ when: { ipCidrs: ['10.0.0.0/33'] }, url: 'https://a.example' }] }, 'rules.0.when.ipCidrs.0'],
    [{ ...ok, rules: [{ when: { dateRange: { from: '2026-12-01', to: '2026-11-01' } }, url: 'https://a.example' }] }, 'rules.0.when.dateRange.to'],
    [{ ...ok, rules: [{ when: { percent: 120 } }, 'x'] }, 'rules.0.when.percent'],
    [{ ...ok, rules: [{ when: { os: ['symbian'] }, url: 'https://a.example' }] }, 'rules.0.when.os.0'],
    [{ ...ok, rules: [{ when: { city: ['上海'] }, url: 'https://a.example' }] }, 'rules.0.when.city'],
  ])('refuses %j naming %s', (body, field) => {
    expect(refusal(body)).toMatchObject({ status: 400, field });
  });

  it('says a missing field is required', () => {
    expect(refusal({ type: 'url', url: 'https://a.example' })).toMatchObject({ field: 'name', message: 'name: is required' });
  });
});

describe('updating a code', () => {
  it('takes any subset of fields but never the type or the slug', () => {
    expect(parsePart(updateCodeSchema, { paused: true }, 'body')).toEqual({ paused: true });
    expect(refusal({ slug: 'mine' }, updateCodeSchema)).toMatchObject({ field: 'slug' });
    expect(refusal({ type: 'url' }, updateCodeSchema)).toMatchObject({ field: 'type' });
  });
});

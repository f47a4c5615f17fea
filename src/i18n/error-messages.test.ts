import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chineseMessage, ruleText, ZH_BY_CODE } from './error-messages.ts';

const SRC = join(import.meta.dirname, '..');
const CJK = /[\u4e00-\u9fff]/;

/** Every error code the server can answer with: thrown as AppError, through its helpers, or sent as JSON by hand. */
function codesUsedInSrc(): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(join(SRC, file), 'utf8');
    for (const m of text.matchAll(/new AppError\(\s*'(\w+)'/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/error: \{ code: '(\w+)'/g)) codes.add(m[1]!);
    if (/\binvalid\(/.test(text)) codes.add('validation_failed');
    if (/\bnotFound\(/.test(text)) codes.add('not_found');
    if (/new RateLimited\(/.test(text)) codes.add('rate_limited');
  }
  return codes;
}

// As src/http/validation.ts parses: with the input on each issue.
const issueOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value, { reportInput: true }).error!.issues[0]!;

describe('Chinese error messages', () => {
  it('has a Chinese text for every error code used in src', () => {
    const used = codesUsedInSrc();
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter((code) => !CJK.test((ZH_BY_CODE as Record<string, string>)[code] ?? ''));
    expect(missing, `codes without a Chinese text in src/i18n/error-messages.ts`).toEqual([]);
  });

  it('says which rule a field broke, by the kind of the issue and its limits', () => {
    expect(ruleText(issueOf(z.object({ name: z.string() }), {}))).toBe('必填');
    expect(ruleText(issueOf(z.string(), 5))).toBe('应为文本');
    expect(ruleText(issueOf(z.number().int(), 1.5))).toBe('应为整数');
    expect(ruleText(issueOf(z.string().min(1), ''))).toBe('至少 1 个字符');
    expect(ruleText(issueOf(z.string().max(30), 'x'.repeat(31)))).toBe('最多 30 个字符');
    expect(ruleText(issueOf(z.array(z.string()).min(1), []))).toBe('至少 1 项');
    expect(ruleText(issueOf(z.number().min(64), 10))).toBe('不能小于 64');
    expect(ruleText(issueOf(z.number().max(4096), 5000))).toBe('不能大于 4096');
    expect(ruleText(issueOf(z.number().positive(), 0))).toBe('必须大于 0');
    expect(ruleText(issueOf(z.email(), 'nope'))).toBe('应为电子邮件地址');
    expect(ruleText(issueOf(z.string().regex(/^\d{6}$/, 'must be the 6 digits the app shows'), 'abc'))).toBe('格式不正确');
    expect(ruleText(issueOf(z.enum(['ios', 'android']), 'symbian'))).toBe('应为以下之一：ios、android');
    expect(ruleText(issueOf(z.strictObject({}), { extra: 1 }))).toBe('未知字段');
    expect(ruleText(issueOf(z.string().refine(() => false, 'custom rule'), 'x'))).toBe('取值不符合要求');
  });

  it('names the field, and the wait of a rate limit', () => {
    expect(chineseMessage({ code: 'validation_failed', field: 'name', issue: issueOf(z.string().min(1), '') })).toBe('name：至少 1 个字符');
    expect(chineseMessage({ code: 'conflict', field: 'email' })).toBe('与当前数据冲突，请刷新后重试（字段：email）');
    expect(chineseMessage({ code: 'rate_limited', retryAfter: 12 })).toBe('请求过于频繁，请 12 秒后重试');
  });
});

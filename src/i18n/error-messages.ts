import type { z } from 'zod';
import type { ErrorCode } from '../shared/errors.ts';

/**
 * The Chinese `message` of an API error. The English one is the specific text the code that
 * refused wrote; a Chinese reader gets the catalogue's sentence for its `code` (a validation error:
 * for the rule its field broke), so every refusal has one whatever its origin. `code` and `field`
 * are the same in both languages: a client keys on those.
 */
export const ZH_BY_CODE: Record<ErrorCode | 'internal', string> = {
  validation_failed: '请求参数不符合要求',
  unauthorized: '身份验证失败：请检查账号、密码、一次性验证码或 API 密钥（可能已撤销或过期）',
  forbidden: '没有执行此操作的权限',
  not_found: '找不到要访问的对象',
  conflict: '与当前数据冲突，请刷新后重试',
  payload_too_large: '请求内容过大',
  unsupported_media_type: '不支持此请求内容类型',
  rate_limited: '请求过于频繁，请稍后重试',
  unavailable: '服务暂时不可用，请稍后重试',
  internal: '服务器内部错误',
};

export interface ErrorFacts {
  code: ErrorCode | 'internal';
  field?: string | undefined;
  /** The zod issue behind a validation error, when it came from a schema. */
  issue?: z.core.$ZodIssue | undefined;
  /** Seconds to wait, for rate_limited. */
  retryAfter?: number | undefined;
}

export function chineseMessage({ code, field, issue, retryAfter }: ErrorFacts): string {
  if (issue && field) return `${field}：${ruleText(issue)}`;
  if (code === 'rate_limited' && retryAfter !== undefined) return `请求过于频繁，请 ${retryAfter} 秒后重试`;
  return field ? `${ZH_BY_CODE[code]}（字段：${field}）` : ZH_BY_CODE[code];
}

const TYPES: Record<string, string> = {
  string: '文本', number: '数字', int: '整数', boolean: '布尔值（true 或 false）', object: '对象', array: '数组',
  date: '日期', bigint: '整数', null: 'null',
};

const FORMATS: Record<string, string> = {
  email: '应为电子邮件地址',
  url: '应为网址',
  datetime: '应为 ISO 8601 时间，如 2027-01-01T00:00:00+08:00',
  date: '应为日期，如 2026-11-11',
  time: '应为时间，如 09:30',
  ipv4: '应为 IPv4 地址',
  ipv6: '应为 IPv6 地址',
  cidrv4: '应为 IPv4 网段',
  cidrv6: '应为 IPv6 网段',
};

const bound = (issue: { origin: string; inclusive?: boolean }, limit: string, small: boolean): string => {
  switch (issue.origin) {
    case 'string':
      return small ? `至少 ${limit} 个字符` : `最多 ${limit} 个字符`;
    case 'array':
    case 'set':
      return small ? `至少 ${limit} 项` : `最多 ${limit} 项`;
    case 'date':
      return small ? `不能早于 ${limit}` : `不能晚于 ${limit}`;
    default:
      if (small) return issue.inclusive ? `不能小于 ${limit}` : `必须大于 ${limit}`;
      return issue.inclusive ? `不能大于 ${limit}` : `必须小于 ${limit}`;
  }
};

const limitText = (value: number | bigint, origin: string) => (origin === 'date' ? new Date(Number(value)).toISOString() : String(value));

/** The rule a value broke, by the issue's kind and parameters. */
export function ruleText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : `应为${TYPES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return bound(issue, limitText(issue.minimum, issue.origin), true);
    case 'too_big':
      return bound(issue, limitText(issue.maximum, issue.origin), false);
    case 'invalid_format':
      if (issue.format === 'starts_with') return `应以“${(issue as z.core.$ZodIssueStringStartsWith).prefix}”开头`;
      if (issue.format === 'ends_with') return `应以“${(issue as z.core.$ZodIssueStringEndsWith).suffix}”结尾`;
      return FORMATS[issue.format] ?? '格式不正确';
    case 'invalid_value':
      return issue.values.length === 1 ? `应为 ${String(issue.values[0])}` : `应为以下之一：${issue.values.map(String).join('、')}`;
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的倍数`;
    case 'unrecognized_keys':
      return '未知字段';
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return '取值不符合要求';
    default:
      void (issue satisfies never);
      return '取值不符合要求';
  }
}

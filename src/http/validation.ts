import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';

type Part = 'body' | 'query' | 'params';

/** Parses one part of a request; the first problem becomes a 400 naming the field and the rule. */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: Part): z.output<S> {
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    throw new AppError('validation_failed', `${field}: unknown field`, field);
  }
  const field = path.length ? path.join('.') : part;
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new AppError('validation_failed', `${field}: ${message}`, field);
}

import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';

type Part = 'body' | 'query' | 'params';

/** A 400 from a schema: keeps the zod issue, so the message can be given in the client's language. */
export class InvalidInput extends AppError {
  constructor(
    field: string,
    message: string,
    readonly issue: z.core.$ZodIssue,
  ) {
    super('validation_failed', message, field);
  }
}

/** Parses one part of a request; the first problem becomes a 400 naming the field and the rule. */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: Part): z.output<S> {
  // With the input on each issue, a value of the wrong type is told apart from a missing one.
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}), { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    throw new InvalidInput(field, `${field}: unknown field`, issue);
  }
  const field = path.length ? path.join('.') : part;
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  throw new InvalidInput(field, `${field}: ${message}`, issue);
}

import { z } from 'zod';
import type { FieldChange } from './diff.ts';

/**
 * Any JSON value, for what is arbitrary by nature (a field's value before and after a change, the
 * detail of a log entry). Registered under one id, so the OpenAPI document names it once as
 * `JsonValue`, a schema a generator can still type, instead of an empty `{}`.
 */
export const jsonValue = z.json().register(z.globalRegistry, {
  id: 'JsonValue',
  description: 'Any JSON value: a string, number, boolean, null, array or object of JSON values',
});

/** One field a change touched, with its value before and after (null where it was or is absent). */
export const fieldChangeSchema = z.object({
  field: z.string(),
  from: jsonValue,
  to: jsonValue,
}) satisfies z.ZodType<FieldChange, unknown>;

import type { ComponentType } from 'react';
import type { Code } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';

/**
 * What one code type adds to the code form: its own fields, how a saved code fills them and how
 * they become the type's part of the API body. The form page holds what every type shares.
 */
export interface CodeTypePart<F extends object> {
  /** The top-level API fields these inputs show, so a refusal naming one lands on it. */
  fields: readonly string[];
  /** A new code's values. */
  initial: Partial<F>;
  toForm(code: Code): F;
  toBody(values: F): Record<string, unknown>;
  Fields: ComponentType<{ t: Messages; lang: string }>;
}

/** The API's named items (staff, departments, stores) as a Select's options. */
export const optionsOf = <T extends { id: string; name: string }>(items: readonly T[] | undefined) =>
  (items ?? []).map((item) => ({ value: item.id, label: item.name }));

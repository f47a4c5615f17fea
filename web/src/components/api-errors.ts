import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.ts';

/** `rules.0.url` as a form field path: ['rules', 0, 'url']. */
const path = (field: string) => field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/**
 * Puts the API's message under the field it names, in the language the console asked for; a
 * refusal that names no field of this form is shown by `notify`.
 */
export function showApiError(form: FormInstance, err: unknown, fields: readonly string[], notify: (text: string) => void): void {
  if (err instanceof ApiError && err.field && fields.includes(err.field.split('.')[0]!)) {
    form.setFields([{ name: path(err.field), errors: [err.message] }]);
    form.scrollToField(path(err.field));
    return;
  }
  notify(err instanceof Error ? err.message : String(err));
}

import { Form, Input, Typography } from 'antd';
import type { Code } from '../../api/types.ts';
import type { Messages } from '../../i18n/messages.ts';
import type { CodeTypePart } from './code-type-part.ts';
import { fromFields, RulesEditor, toFields, type RuleFields } from './RulesEditor.tsx';

interface UrlFields {
  url: string;
  rules: RuleFields[];
}

function UrlSetupFields({ t, lang }: { t: Messages; lang: string }) {
  return (
    <>
      <Form.Item name="url" label={t.destination} rules={[{ required: true }]}>
        <Input placeholder="https://" inputMode="url" />
      </Form.Item>
      <Typography.Title level={5}>{t.rules}</Typography.Title>
      <RulesEditor t={t} lang={lang} />
    </>
  );
}

/** A live URL code: a destination and the rules that may send a scan elsewhere. */
export const urlPart: CodeTypePart<UrlFields> = {
  fields: ['url', 'rules'],
  initial: { rules: [] },
  toForm: (code: Code) => ({ url: code.url ?? '', rules: code.rules.map((rule) => toFields(rule as never)) }),
  toBody: (values) => ({ url: values.url, rules: (values.rules ?? []).map(fromFields) }),
  Fields: UrlSetupFields,
};

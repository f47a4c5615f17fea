import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Spin, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ok } from '../../api/client.ts';
import type { Code, CodeInput } from '../../api/types.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { fromFields, RulesEditor, toFields, type RuleFields } from './RulesEditor.tsx';

interface Fields {
  name: string;
  url: string;
  tags: string[];
  note?: string | null;
  paused: boolean;
  maxScans?: number | null;
  rules: RuleFields[];
}

const FIELDS = ['name', 'url', 'tags', 'note', 'paused', 'maxScans', 'rules'];

const toForm = (code: Code): Fields => ({
  name: code.name, url: code.url ?? '', tags: code.tags, note: code.note, paused: code.paused, maxScans: code.maxScans,
  rules: code.rules.map((rule) => toFields(rule as never)),
});

/** Create a URL code, or edit one: every refusal from the API is shown under the field it names. */
export default function CodeFormPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const code = useQuery({
    queryKey: ['code', id],
    enabled: id !== undefined,
    queryFn: () => ok(api.GET('/api/v1/codes/{id}', { params: { path: { id: id! } } })),
  });
  useEffect(() => {
    if (code.data) form.setFieldsValue(toForm(code.data));
  }, [code.data, form]);

  if (id && code.isPending) return <Spin />;
  if (code.data && code.data.type !== 'url') return <Alert type="info" title={t.onlyUrlEditable} />;

  const submit = async () => {
    const values = form.getFieldsValue(true) as Fields;
    const body = {
      name: values.name, url: values.url, tags: values.tags ?? [], note: values.note || null, paused: values.paused ?? false,
      maxScans: values.maxScans ?? null, rules: (values.rules ?? []).map(fromFields),
    };
    setBusy(true);
    try {
      if (id) {
        await ok(api.PATCH('/api/v1/codes/{id}', { params: { path: { id } }, body, headers: { 'if-match': String(code.data!.version) } }));
        message.success(t.saved);
      } else {
        const { maxScans, note, ...rest } = body;
        const created = await ok(
          api.POST('/api/v1/codes', {
            body: { ...rest, type: 'url', ...(maxScans ? { maxScans } : {}), ...(note ? { note } : {}) } as CodeInput,
          }),
        );
        message.success(t.created);
        navigate(`/codes/${created.id}`, { replace: true });
      }
      await client.invalidateQueries({ queryKey: ['codes'] });
      await client.invalidateQueries({ queryKey: ['code', id] });
      if (id) navigate(`/codes/${id}`);
    } catch (err) {
      showApiError(form, err, FIELDS, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={<Typography.Text strong>{id ? `${t.edit} · ${code.data?.name ?? ''}` : t.newCode}</Typography.Text>}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ tags: [], paused: false, rules: [] }} style={{ maxWidth: 720 }}>
        <Form.Item name="name" label={t.codeName} rules={[{ required: true }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="url" label={t.destination} rules={[{ required: true }]}>
          <Input placeholder="https://" inputMode="url" />
        </Form.Item>
        <Form.Item name="tags" label={t.tags}>
          <Select mode="tags" open={false} />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="paused" label={t.paused} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="maxScans" label={t.maxScans}>
            <InputNumber min={1} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t.note}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Typography.Title level={5}>{t.rules}</Typography.Title>
        <RulesEditor t={t} lang={lang} />
        <Space style={{ marginTop: 24 }}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="save-code">
            {t.save}
          </Button>
          <Button onClick={() => navigate(-1)}>{t.cancel}</Button>
        </Space>
      </Form>
    </Card>
  );
}

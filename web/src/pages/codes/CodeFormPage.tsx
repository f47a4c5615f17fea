import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Spin, Switch, TreeSelect, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client.ts';
import type { Code, CodeInput, CodeType } from '../../api/types.ts';
import { showApiError } from '../../components/api-errors.ts';
import { CODE_TYPES, typeText } from '../../components/labels.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { channelTree } from '../../components/channel-tree.ts';
import type { CodeTypePart } from './code-type-part.ts';
import { PageDesignFields } from './PageDesignFields.tsx';
import { regionPart } from './RegionSetupFields.tsx';
import { staffPart } from './StaffSetupFields.tsx';
import { urlPart } from './UrlSetupFields.tsx';

/** What every type shares; each type's own fields come from its part. */
interface Common {
  type: CodeType;
  name: string;
  tags: string[];
  channelId?: string | null;
  note?: string | null;
  paused: boolean;
  maxScans?: number | null;
  page?: Code['page'];
}

const COMMON = ['name', 'tags', 'channelId', 'note', 'paused', 'maxScans', 'page'];
const PARTS: Record<CodeType, CodeTypePart<object>> = { url: urlPart, staff: staffPart, region: regionPart };

const toForm = (code: Code) => ({
  type: code.type, name: code.name, tags: code.tags, channelId: code.channelId, note: code.note, paused: code.paused, maxScans: code.maxScans,
  page: code.page,
  ...PARTS[code.type].toForm(code),
});

/** A design with nothing set is no design: the pages keep their default look. */
const designOf = (page: Common['page']) => {
  const given = Object.fromEntries(Object.entries(page ?? {}).filter(([, value]) => value !== null && value !== undefined && value !== ''));
  return Object.keys(given).length > 0 ? given : null;
};

/** Create a code of any type, or edit one: every refusal from the API is shown under the field it names. */
export default function CodeFormPage() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Common>();
  const [busy, setBusy] = useState(false);
  const asked = search.get('type') as CodeType | null;
  const [newType, setNewType] = useState<CodeType>(asked && asked in PARTS ? asked : 'url');
  const code = useQuery({
    queryKey: ['code', id],
    enabled: id !== undefined,
    queryFn: () => ok(api.GET('/api/v1/codes/{id}', { params: { path: { id: id! } } })),
  });
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => ok(api.GET('/api/v1/channels')) });
  useEffect(() => {
    if (code.data) form.setFieldsValue(toForm(code.data) as never);
  }, [code.data, form]);

  if (id && code.isPending) return <Spin />;
  if (code.isError) return <Alert type="error" title={code.error.message} />;
  const type = code.data?.type ?? newType;
  const part = PARTS[type];

  const submit = async () => {
    const values = form.getFieldsValue(true) as Common;
    const common = {
      name: values.name, tags: values.tags ?? [], channelId: values.channelId ?? null, note: values.note || null, paused: values.paused ?? false,
      maxScans: values.maxScans ?? null, page: designOf(values.page),
    };
    const body = { ...common, ...part.toBody(values) };
    setBusy(true);
    try {
      if (id) {
        const result = await ok(api.PATCH('/api/v1/codes/{id}', { params: { path: { id } }, body, headers: { 'if-match': String(code.data!.version) } }));
        // An approval rule may hold the change: it is not saved yet, and the person must know.
        if ('proposal' in result) message.info(t.editHeld);
        else message.success(t.saved);
      } else {
        // A new code leaves out what is unset rather than sending nulls.
        const given = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
        const created = await ok(api.POST('/api/v1/codes', { body: { ...given, type } as CodeInput }));
        message.success(t.created);
        navigate(`/codes/${created.id}`, { replace: true });
      }
      await client.invalidateQueries({ queryKey: ['codes'] });
      await client.invalidateQueries({ queryKey: ['code', id] });
      if (id) navigate(`/codes/${id}`);
    } catch (err) {
      showApiError(form, err, [...COMMON, ...part.fields], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={<Typography.Text strong>{id ? `${t.edit} · ${code.data?.name ?? ''}` : t.newCode}</Typography.Text>}>
      <Form
        key={type}
        form={form}
        layout="vertical"
        onFinish={submit}
        // The API's refusal of a field holds until that field changes.
        onValuesChange={(changed: object) =>
          form.setFields(
            form
              .getFieldsError()
              .filter((f) => f.errors.length > 0 && String(f.name[0]) in changed)
              .map((f) => ({ name: f.name as never, errors: [] })),
          )
        }
        initialValues={{ tags: [], paused: false, ...part.initial }}
        style={{ maxWidth: 720 }}
      >
        <Form.Item label={t.type}>
          <Select
            value={type}
            disabled={id !== undefined}
            onChange={(next: CodeType) => {
              form.setFieldsValue(PARTS[next].initial as never);
              setNewType(next);
            }}
            options={CODE_TYPES.map((x) => ({ value: x, label: typeText(t, x) }))}
            style={{ width: 200 }}
            data-testid="code-type"
          />
        </Form.Item>
        <Form.Item name="name" label={t.codeName} rules={[{ required: true }]}>
          <Input maxLength={30} />
        </Form.Item>
        <part.Fields t={t} lang={lang} />
        <Typography.Title level={5}>{t.codeSettings}</Typography.Title>
        <Form.Item name="tags" label={t.tags}>
          <Select mode="tags" open={false} />
        </Form.Item>
        <Form.Item name="channelId" label={t.channel}>
          <TreeSelect allowClear showSearch treeNodeFilterProp="title" treeData={channelTree(channels.data?.items ?? [])} style={{ maxWidth: 360 }} />
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
        <PageDesignFields t={t} />
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

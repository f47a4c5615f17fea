import { SyncOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { fill, LoadError, useCan, when } from './common.tsx';

interface Fields {
  corpId: string;
  secret: string;
  token: string;
  encodingAESKey: string;
  apiBase: string;
}
const FIELDS = ['corpId', 'secret', 'token', 'encodingAESKey', 'apiBase'];
const WECOM_API = 'https://qyapi.weixin.qq.com';

/** The WeCom connection (its secrets written, never read back), a reconcile on demand, and the attribution model. */
export default function WecomSettingsPage() {
  const { t } = useI18n();
  const can = useCan();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t.menuWecomSettings}
      </Typography.Title>
      {can('settings.manage') && <Connection />}
      {can('customers.read') && <Attribution />}
    </Space>
  );
}

function Connection() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);
  const [reconciling, setReconciling] = useState(false);
  const [found, setFound] = useState<number | null>(null);
  const settings = useQuery({ queryKey: ['wecom-settings'], queryFn: () => ok(api.GET('/api/v1/wecom/settings')) });

  if (settings.isPending) return <Spin />;
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => void settings.refetch()} />;
  const current = 'secretSet' in settings.data ? settings.data : null; // not set up: { corpId: null }
  const setText = (set: boolean) => (set ? <Tag color="green">{t.secretSet}</Tag> : <Tag>{t.secretNotSet}</Tag>);

  const submit = async (values: Fields) => {
    setBusy(true);
    try {
      const saved = await ok(api.PUT('/api/v1/wecom/settings', { body: { ...values, apiBase: values.apiBase || WECOM_API } }));
      client.setQueryData(['wecom-settings'], saved);
      // The secrets are not kept in the page either: the next save asks for them again.
      form.setFieldsValue({ secret: '', token: '', encodingAESKey: '' });
      message.success(t.saved);
    } catch (err) {
      showApiError(form, err, FIELDS, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };
  const reconcile = async () => {
    setReconciling(true);
    try {
      setFound((await ok(api.POST('/api/v1/wecom/reconcile'))).found);
      await client.invalidateQueries({ queryKey: ['customers'] });
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setReconciling(false);
    }
  };

  const placeholder = (set: boolean) => (set ? t.secretPlaceholder : undefined);
  return (
    <Card title={t.wecomSettings}>
      {current ? (
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }} data-testid="wecom-current">
          <Descriptions.Item label={t.corpId}>{current.corpId}</Descriptions.Item>
          <Descriptions.Item label={t.apiBase}>{current.apiBase}</Descriptions.Item>
          <Descriptions.Item label={t.secret}>{setText(current.secretSet)}</Descriptions.Item>
          <Descriptions.Item label={`${t.callbackToken} / ${t.encodingAESKey}`}>{setText(current.callbackSet)}</Descriptions.Item>
          <Descriptions.Item label={t.updatedAt}>{when(current.updatedAt, lang)}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Alert type="info" showIcon title={t.wecomNotSet} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        style={{ maxWidth: 560 }}
        initialValues={{ corpId: current?.corpId ?? '', apiBase: current?.apiBase ?? WECOM_API, secret: '', token: '', encodingAESKey: '' }}
      >
        <Form.Item name="corpId" label={t.corpId} rules={[{ required: true }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="secret" label={t.secret} rules={[{ required: true }]} extra={t.secretsHint}>
          <Input.Password autoComplete="new-password" placeholder={placeholder(current?.secretSet ?? false)} />
        </Form.Item>
        <Form.Item name="token" label={t.callbackToken} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" placeholder={placeholder(current?.callbackSet ?? false)} />
        </Form.Item>
        <Form.Item name="encodingAESKey" label={t.encodingAESKey} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" placeholder={placeholder(current?.callbackSet ?? false)} />
        </Form.Item>
        <Form.Item name="apiBase" label={t.apiBase}>
          <Input inputMode="url" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="save-wecom">
          {t.save}
        </Button>
      </Form>
      {current && (
        <Space orientation="vertical" style={{ marginTop: 24 }}>
          <Typography.Text type="secondary">{t.reconcileHint}</Typography.Text>
          <Button icon={<SyncOutlined />} onClick={() => void reconcile()} loading={reconciling} data-testid="reconcile">
            {t.reconcile}
          </Button>
          {found !== null && <Alert type="success" showIcon title={fill(t.reconcileDone, { found })} data-testid="reconcile-result" />}
        </Space>
      )}
    </Card>
  );
}

function Attribution() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const manage = useCan()('settings.manage');
  const setting = useQuery({ queryKey: ['attribution'], queryFn: () => ok(api.GET('/api/v1/settings/attribution')) });

  const change = async (model: 'first_touch' | 'last_touch') => {
    try {
      client.setQueryData(['attribution'], await ok(api.PUT('/api/v1/settings/attribution', { body: { model } })));
      await client.invalidateQueries({ queryKey: ['channel-report'] });
      message.success(t.saved);
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  let body;
  if (setting.isPending) body = <Spin />;
  else if (setting.isError) body = <LoadError error={setting.error} onRetry={() => void setting.refetch()} />;
  else {
    body = (
      <Radio.Group
        value={setting.data.model}
        disabled={!manage}
        onChange={(e) => void change(e.target.value as 'first_touch' | 'last_touch')}
        options={[
          { value: 'first_touch', label: t.firstTouchModel },
          { value: 'last_touch', label: t.lastTouchModel },
        ]}
        style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
      />
    );
  }
  return <Card title={t.attributionModel}>{body}</Card>;
}

import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { emptyText, LoadError, when } from './common.tsx';
import { DeliveriesDrawer } from './DeliveriesDrawer.tsx';

type Webhook = paths['/api/v1/webhooks/{id}']['get']['responses'][200]['content']['application/json'];
type WebhookEvent = Webhook['events'][number];
/** Every event the API sends: one added to the API's enum and missing here is a type error. */
const EVENTS = Object.keys({ 'code.created': 0, 'code.changed': 0, 'code.deleted': 0, 'scan.created': 0 } satisfies Record<WebhookEvent, 0>) as WebhookEvent[];

interface Fields {
  url: string;
  events: WebhookEvent[];
  description?: string;
  enabled?: boolean;
}

/** Subscriptions to the API's events: add (its signing secret shown once), change events, delete, and each one's delivery log. */
export default function WebhooksPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => ok(api.GET('/api/v1/webhooks')) });
  const [editing, setEditing] = useState<Webhook | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [deliveriesOf, setDeliveriesOf] = useState<Webhook | null>(null);

  const remove = async (hook: Webhook) => {
    try {
      await ok(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: hook.id } } }));
      message.success(t.deleted);
      await client.invalidateQueries({ queryKey: ['webhooks'] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.webhooks}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t.addWebhook}
        </Button>
      </Flex>
      {hooks.isError ? (
        <LoadError error={hooks.error} onRetry={() => void hooks.refetch()} />
      ) : (
        <Table<Webhook>
          rowKey="id"
          loading={hooks.isPending}
          dataSource={hooks.data?.items ?? []}
          pagination={false}
          size="middle"
          locale={{ emptyText: emptyText(t.webhooksEmpty) }}
          data-testid="webhooks-table"
          columns={[
            {
              title: t.webhookUrl, dataIndex: 'url',
              render: (url: string, h) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text style={{ wordBreak: 'break-all' }}>{url}</Typography.Text>
                  {h.description && <Typography.Text type="secondary">{h.description}</Typography.Text>}
                </Space>
              ),
            },
            { title: t.events, dataIndex: 'events', responsive: ['md'], render: (events: string[]) => events.map((e) => <Tag key={e}>{e}</Tag>) },
            {
              title: t.status, key: 'status',
              render: (_: unknown, h) => (h.enabled ? <Tag color="green">{t.enabled}</Tag> : <Tag title={h.disabledReason ?? undefined}>{t.disabled}</Tag>),
            },
            { title: t.createdAt, dataIndex: 'createdAt', responsive: ['lg'], render: (at: string) => when(at, lang) },
            {
              title: t.actions, key: 'actions',
              render: (_: unknown, h) => (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => setDeliveriesOf(h)}>
                    {t.deliveries}
                  </Button>
                  <Button type="link" size="small" onClick={() => setEditing(h)}>
                    {t.editWebhook}
                  </Button>
                  <Popconfirm title={t.webhookDeleteConfirm} onConfirm={() => remove(h)}>
                    <Button type="link" size="small" danger>
                      {t.delete}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing && (
        <WebhookForm
          hook={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async (created) => {
            setEditing(null);
            if (created) setSecret(created);
            else message.success(t.saved);
            await client.invalidateQueries({ queryKey: ['webhooks'] });
          }}
        />
      )}
      <Modal
        open={secret !== null}
        title={t.signingSecret}
        onCancel={() => setSecret(null)}
        footer={<Button onClick={() => setSecret(null)}>{t.close}</Button>}
      >
        <Alert type="warning" showIcon title={t.secretOnce} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable code data-testid="webhook-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
      {deliveriesOf && <DeliveriesDrawer hook={deliveriesOf} onClose={() => setDeliveriesOf(null)} />}
    </Space>
  );
}

/** Create a subscription (answers with its secret, once) or change one's events, description and whether it is on. */
function WebhookForm({ hook, onClose, onSaved }: { hook: Webhook | null; onClose: () => void; onSaved: (secret: string | null) => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: Fields) => {
    setBusy(true);
    try {
      const description = values.description || null;
      if (hook) {
        const body = { url: values.url, events: values.events, description, enabled: values.enabled ?? true };
        await ok(api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: hook.id } }, body }));
        await onSaved(null);
      } else {
        const created = await ok(api.POST('/api/v1/webhooks', { body: { url: values.url, events: values.events, description } }));
        await onSaved(created.secret);
      }
    } catch (err) {
      showApiError(form, err, ['url', 'events', 'description', 'enabled'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={hook ? t.editWebhook : t.addWebhook}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t.save}
      cancelText={t.cancel}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'save-webhook' }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={hook ? { url: hook.url, events: hook.events, description: hook.description ?? '', enabled: hook.enabled } : { events: [] }}
      >
        <Form.Item name="url" label={t.webhookUrl} rules={[{ required: true }]}>
          <Input placeholder="https://" inputMode="url" />
        </Form.Item>
        <Form.Item name="events" label={t.events} rules={[{ required: true }]}>
          <Checkbox.Group options={EVENTS.map((e) => ({ value: e, label: e }))} />
        </Form.Item>
        <Form.Item name="description" label={t.description}>
          <Input maxLength={200} />
        </Form.Item>
        {hook && (
          <Form.Item name="enabled" label={t.enabled} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

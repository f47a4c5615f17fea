import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { departmentNames, emptyText, PageHeader, QueryError, useDepartments, useRoles } from './shared.tsx';
import type { ApiKey, NewKey } from './types.ts';

interface Fields {
  name: string;
  role: string;
  departments?: string[];
  expiresAt?: { toISOString(): string } | null;
}

/** API keys: listed without the key itself; a new key is shown once, right after it is made. */
export default function KeysPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<NewKey | null>(null);
  const keys = useQuery({ queryKey: ['tokens'], queryFn: () => ok(api.GET('/api/v1/tokens')) });
  const roles = useRoles();
  const departments = useDepartments();
  const names = new Map((departments.data?.items ?? []).map((d) => [d.id, d.name]));
  const time = (at: string | null, none: string) => (at ? new Date(at).toLocaleString(lang) : none);

  const submit = async (values: Fields) => {
    setBusy(true);
    try {
      const body = {
        name: values.name, role: values.role, departments: values.departments?.length ? values.departments : null,
        expiresAt: values.expiresAt ? values.expiresAt.toISOString() : null,
      };
      // Held in this page's state only: the key is never written anywhere the next visit could read it.
      setFresh(await ok(api.POST('/api/v1/tokens', { body })));
      setCreating(false);
      await client.invalidateQueries({ queryKey: ['tokens'] });
    } catch (err) {
      showApiError(form, err, ['name', 'role', 'departments', 'expiresAt'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (key: ApiKey) => {
    try {
      await ok(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: key.id } } }));
      await client.invalidateQueries({ queryKey: ['tokens'] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t.menuKeys}>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields();
            setCreating(true);
          }}
        >
          {t.newKey}
        </Button>
      </PageHeader>
      {keys.error && <QueryError error={keys.error} retry={() => void keys.refetch()} />}
      <Table<ApiKey>
        rowKey="id"
        loading={keys.isPending && !keys.error}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        locale={emptyText(t.noKeys)}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t.keyName, dataIndex: 'name' },
          { title: t.role, dataIndex: 'role' },
          {
            title: t.departments, dataIndex: 'departments', responsive: ['md'],
            render: (ids: string[] | null) => departmentNames(ids, names, t.allDepartmentsScope),
          },
          { title: t.expiresAt, dataIndex: 'expiresAt', responsive: ['lg'], render: (at: string | null) => time(at, t.never) },
          { title: t.lastUsedAt, dataIndex: 'lastUsedAt', responsive: ['md'], render: (at: string | null) => time(at, t.neverUsed) },
          {
            title: t.status, key: 'status',
            render: (_: unknown, key) => (key.revokedAt ? <Tag>{t.revoked}</Tag> : <Tag color="green">{t.enabled}</Tag>),
          },
          {
            title: t.actions, key: 'actions',
            render: (_: unknown, key) =>
              key.revokedAt ? null : (
                <Popconfirm title={t.revokeConfirm} onConfirm={() => revoke(key)} okButtonProps={{ danger: true }}>
                  <Button type="link" size="small" danger>
                    {t.revoke}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t.newKey}
        okText={t.save}
        cancelText={t.cancel}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="name" label={t.keyName} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="role" label={t.role} rules={[{ required: true }]}>
            <Select options={(roles.data?.items ?? []).map((r) => ({ value: r.name, label: r.name }))} />
          </Form.Item>
          <Form.Item name="departments" label={t.departments} extra={t.departmentsScopeHint}>
            <Select mode="multiple" allowClear options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="expiresAt" label={t.expiresAt}>
            <DatePicker showTime placeholder={t.never} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={fresh !== null}
        title={t.keyCreated}
        closable={false}
        maskClosable={false}
        // Once closed, the key leaves the page too.
        destroyOnHidden
        footer={<Button type="primary" onClick={() => setFresh(null)}>{t.done}</Button>}
      >
        <Alert type="warning" showIcon title={t.keyOnce} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          code
          copyable={{ text: fresh?.token ?? '', tooltips: [t.copy, t.copied] }}
          style={{ wordBreak: 'break-all' }}
          data-testid="new-key"
        >
          {fresh?.token}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}

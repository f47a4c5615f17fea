import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { departmentNames, emptyText, PageHeader, QueryError, useDepartments, useRoles, useSignedIn } from './shared.tsx';
import type { User } from './types.ts';

interface Fields {
  email: string;
  name: string;
  password: string;
  role: string;
  departments?: string[];
}

const FIELDS = ['email', 'name', 'password', 'role', 'departments'];

/** The people who sign in: add them, change their role and departments, disable and enable them. */
export default function UsersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useSignedIn();
  const client = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/v1/users')) });
  const roles = useRoles();
  const departments = useDepartments();
  const names = new Map((departments.data?.items ?? []).map((d) => [d.id, d.name]));

  const open = (user: User | 'new') => {
    form.resetFields();
    if (user !== 'new') form.setFieldsValue({ name: user.name, role: user.role, departments: user.departments ?? [] });
    setEditing(user);
  };
  const submit = async (values: Fields) => {
    const scope = values.departments?.length ? values.departments : null;
    setBusy(true);
    try {
      if (editing === 'new') {
        await ok(api.POST('/api/v1/users', { body: { ...values, departments: scope } }));
        message.success(t.created);
      } else if (editing) {
        const body = { name: values.name, role: values.role, departments: scope };
        await ok(api.PATCH('/api/v1/users/{id}', { params: { path: { id: editing.id } }, body }));
        message.success(t.saved);
      }
      setEditing(null);
      await client.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      showApiError(form, err, FIELDS, (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };
  const setDisabled = async (user: User, disabled: boolean) => {
    try {
      await ok(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { disabled } }));
      await client.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t.menuUsers}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t.newUser}
        </Button>
      </PageHeader>
      {users.error && <QueryError error={users.error} retry={() => void users.refetch()} />}
      <Table<User>
        rowKey="id"
        loading={users.isPending && !users.error}
        dataSource={users.data?.items ?? []}
        pagination={false}
        locale={emptyText(t.noUsers)}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t.name, dataIndex: 'name' },
          { title: t.email, dataIndex: 'email', responsive: ['md'] },
          { title: t.role, dataIndex: 'role' },
          {
            title: t.departments, dataIndex: 'departments', responsive: ['md'],
            render: (ids: string[] | null) => departmentNames(ids, names, t.allDepartmentsScope),
          },
          {
            title: t.status, key: 'status',
            render: (_: unknown, user) => (
              <Space size={4} wrap>
                {user.disabled ? <Tag>{t.disabled}</Tag> : <Tag color="green">{t.enabled}</Tag>}
                {user.totp && <Tag color="blue">{t.twoFactorOn}</Tag>}
              </Space>
            ),
          },
          {
            title: t.actions, key: 'actions',
            render: (_: unknown, user) =>
              user.id === me.id ? null : (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => open(user)}>
                    {t.edit}
                  </Button>
                  {user.disabled ? (
                    <Button type="link" size="small" onClick={() => void setDisabled(user, false)}>
                      {t.enable}
                    </Button>
                  ) : (
                    <Popconfirm title={t.disableConfirm} onConfirm={() => setDisabled(user, true)}>
                      <Button type="link" size="small" danger>
                        {t.disable}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t.newUser : t.editUser}
        okText={t.save}
        cancelText={t.cancel}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          {editing === 'new' && (
            <Form.Item name="email" label={t.email} rules={[{ required: true }]}>
              <Input autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item name="name" label={t.name} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="password" label={t.password} extra={t.passwordHint} rules={[{ required: true }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          <Form.Item name="role" label={t.role} rules={[{ required: true }]}>
            <Select options={(roles.data?.items ?? []).map((r) => ({ value: r.name, label: r.name }))} />
          </Form.Item>
          <Form.Item name="departments" label={t.departments} extra={t.departmentsScopeHint}>
            <Select mode="multiple" allowClear options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

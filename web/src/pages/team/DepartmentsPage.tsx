import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Table, TreeSelect } from 'antd';
import { useState } from 'react';
import { api, ApiError, ok } from '../../api/client.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { can, emptyText, PageHeader, QueryError, useDepartments, useSignedIn } from './shared.tsx';
import type { Department } from './types.ts';

interface Node extends Department {
  children?: Node[];
}

/** The flat list as a tree: each department under its parent (one whose parent is gone stays at the top). */
export function departmentTree(list: readonly Department[]): Node[] {
  const nodes = new Map(list.map((d) => [d.id, { ...d } as Node]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

interface Choice {
  title: string;
  value: string;
  children: Choice[];
}

const pickerTree = (nodes: Node[]): Choice[] =>
  nodes.map((n) => ({ title: n.name, value: n.id, children: pickerTree(n.children ?? []) }));

interface Fields {
  name: string;
  parentId?: string;
}

/** The department tree: add, rename and delete (the API refuses deleting one still in use, and says why). */
export default function DepartmentsPage() {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const me = useSignedIn();
  const manage = can(me, 'settings.manage');
  const client = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const departments = useDepartments();
  const tree = departmentTree(departments.data?.items ?? []);
  const refresh = () => client.invalidateQueries({ queryKey: ['departments'] });

  const open = (department: Department | 'new') => {
    form.resetFields();
    if (department !== 'new') form.setFieldsValue({ name: department.name });
    setEditing(department);
  };
  const submit = async (values: Fields) => {
    setBusy(true);
    try {
      if (editing === 'new') {
        await ok(api.POST('/api/v1/departments', { body: { name: values.name, parentId: values.parentId ?? null } }));
        message.success(t.created);
      } else if (editing) {
        await ok(api.PATCH('/api/v1/departments/{id}', { params: { path: { id: editing.id } }, body: { name: values.name } }));
        message.success(t.saved);
      }
      setEditing(null);
      await refresh();
    } catch (err) {
      showApiError(form, err, ['name', 'parentId'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (department: Department) => {
    try {
      await ok(api.DELETE('/api/v1/departments/{id}', { params: { path: { id: department.id } } }));
      await refresh();
    } catch (err) {
      const inUse = err instanceof ApiError && err.status === 409;
      modal.error({
        title: inUse ? t.departmentInUse : (err as Error).message,
        // The English refusal counts what names the department; the Chinese one is the catalogue's generic sentence.
        content: inUse ? (lang === 'en' ? `${t.departmentInUseHint} (${err.message})` : t.departmentInUseHint) : undefined,
      });
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t.menuDepartments}>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t.newDepartment}
          </Button>
        )}
      </PageHeader>
      {departments.error && <QueryError error={departments.error} retry={() => void departments.refetch()} />}
      <Table<Node>
        rowKey="id"
        loading={departments.isPending && !departments.error}
        dataSource={tree}
        pagination={false}
        // Open unless closed by hand, so a department just added shows under its parent.
        expandable={{
          expandedRowKeys: (departments.data?.items ?? []).map((d) => d.id).filter((id) => !collapsed.has(id)),
          onExpand: (open, department) =>
            setCollapsed((before) => {
              const after = new Set(before);
              if (open) after.delete(department.id);
              else after.add(department.id);
              return after;
            }),
        }}
        locale={emptyText(t.noDepartments)}
        columns={[
          { title: t.departmentName, dataIndex: 'name' },
          { title: t.createdAt, dataIndex: 'createdAt', responsive: ['md'], render: (at: string) => new Date(at).toLocaleDateString(lang) },
          ...(manage
            ? [
                {
                  title: t.actions, key: 'actions',
                  render: (_: unknown, department: Node) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => open(department)}>
                        {t.rename}
                      </Button>
                      <Popconfirm title={t.deleteDepartmentConfirm} onConfirm={() => remove(department)}>
                        <Button type="link" size="small" danger>
                          {t.delete}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t.newDepartment : t.rename}
        okText={t.save}
        cancelText={t.cancel}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="name" label={t.departmentName} rules={[{ required: true }]}>
            <Input maxLength={30} />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="parentId" label={t.parentDepartment}>
              <TreeSelect allowClear placeholder={t.noParent} treeDefaultExpandAll treeData={pickerTree(tree)} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

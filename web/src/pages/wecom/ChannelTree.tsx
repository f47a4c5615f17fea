import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Spin, Tree, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { Channels } from '../../api/types.ts';
import { showApiError } from '../../components/api-errors.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { emptyText, fill, LoadError, useCan } from './common.tsx';

type Channel = Channels['items'][number];
type Editing = { kind: 'create'; parent: Channel | null } | { kind: 'rename'; channel: Channel };

interface Node {
  key: string;
  title: string;
  channel: Channel;
  children: Node[];
}

const keysOf = (list: Node[]): string[] => list.flatMap((n) => [n.key, ...keysOf(n.children)]);
const nodes = (channels: Channel[]): Node[] => channels.map((c) => ({ key: c.id, title: c.name, channel: c, children: nodes(c.children) }));

/** The channel tree of any depth: add a channel at the top or under another, rename, delete one nothing points at. */
export function ChannelTree() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const write = useCan()('codes.write');
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => ok(api.GET('/api/v1/channels')) });
  const [editing, setEditing] = useState<Editing | null>(null);
  // Every channel shows open, a newly added one too, unless the person closed it.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const changed = async () => {
    await client.invalidateQueries({ queryKey: ['channels'] });
    await client.invalidateQueries({ queryKey: ['channel-report'] });
  };
  const remove = async (channel: Channel) => {
    try {
      await ok(api.DELETE('/api/v1/channels/{id}', { params: { path: { id: channel.id } } }));
      message.success(t.deleted);
      await changed();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  const tree = nodes(channels.data?.items ?? []);
  let body;
  if (channels.isPending) body = <Spin />;
  else if (channels.isError) body = <LoadError error={channels.error} onRetry={() => void channels.refetch()} />;
  else if (tree.length === 0) body = emptyText(t.channelsEmpty);
  else {
    body = (
      <Tree<Node>
        treeData={tree}
        expandedKeys={keysOf(tree).filter((key) => !collapsed.has(key))}
        onExpand={(open) => setCollapsed(new Set(keysOf(tree).filter((key) => !open.includes(key))))}
        selectable={false}
        blockNode
        data-testid="channel-tree"
        titleRender={(node) => (
          <Space wrap size={4}>
            <span>{node.channel.name}</span>
            <Typography.Text type="secondary" code>
              {node.channel.code}
            </Typography.Text>
            {write && (
              <>
                <Button size="small" type="text" icon={<PlusOutlined />} title={t.addChildChannel} aria-label={`${t.addChildChannel} ${node.channel.code}`}
                  onClick={() => setEditing({ kind: 'create', parent: node.channel })} />
                <Button size="small" type="text" icon={<EditOutlined />} title={t.rename} aria-label={`${t.rename} ${node.channel.code}`}
                  onClick={() => setEditing({ kind: 'rename', channel: node.channel })} />
                <Popconfirm title={t.channelDeleteConfirm} onConfirm={() => remove(node.channel)}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} title={t.delete} aria-label={`${t.delete} ${node.channel.code}`} />
                </Popconfirm>
              </>
            )}
          </Space>
        )}
      />
    );
  }

  return (
    <Card
      title={t.channelTree}
      extra={write && <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'create', parent: null })}>{t.addRootChannel}</Button>}
    >
      {body}
      {editing && (
        <ChannelDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            message.success(t.saved);
            await changed();
          }}
        />
      )}
    </Card>
  );
}

function ChannelDialog({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; code: string }>();
  const [busy, setBusy] = useState(false);
  const create = editing.kind === 'create';
  let title = t.rename;
  if (create) title = editing.parent ? fill(t.addChildOf, { name: editing.parent.name }) : t.addRootChannel;

  const submit = async (values: { name: string; code: string }) => {
    setBusy(true);
    try {
      if (editing.kind === 'create') {
        await ok(api.POST('/api/v1/channels', { body: { name: values.name, code: values.code, parentId: editing.parent?.id ?? null } }));
      } else {
        await ok(api.PATCH('/api/v1/channels/{id}', { params: { path: { id: editing.channel.id } }, body: { name: values.name } }));
      }
      await onSaved();
    } catch (err) {
      showApiError(form, err, ['name', 'code', 'parentId'], (text) => message.error(text));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t.save} cancelText={t.cancel} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={editing.kind === 'rename' ? { name: editing.channel.name } : {}}>
        <Form.Item name="name" label={t.channelName} rules={[{ required: true }]}>
          <Input maxLength={40} />
        </Form.Item>
        {create && (
          <Form.Item name="code" label={t.channelCode} extra={t.channelCodeHint} rules={[{ required: true }]} normalize={(v: string) => v.toUpperCase()}>
            <Input maxLength={32} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

import { DeleteOutlined, DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { Store } from '../../api/places-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { StoreFormModal } from './StoreFormModal.tsx';
import { StoreImportModal } from './StoreImportModal.tsx';

/** The store catalog: searched by name, a page at a time; add, change, import, export and remove stores. */
export default function StoresPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<Store | 'new' | undefined>();
  const [importing, setImporting] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['stores', 'list', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.GET('/api/v1/stores', { params: { query: { limit: 50, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const refresh = () => client.invalidateQueries({ queryKey: ['stores'] });

  const remove = async (ids: string[]) => {
    try {
      const done = await ok(api.POST('/api/v1/stores/batch-delete', { body: { ids } }));
      message.success(t.storesRemoved.replace('{n}', String(done.removed)));
      setSelected([]);
      await refresh();
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.stores}
        </Typography.Title>
        <Space wrap>
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
            {t.storeImport}
          </Button>
          <Button icon={<DownloadOutlined />} href="/api/v1/stores/export" download data-testid="stores-export">
            {t.storeExport}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t.newStore}
          </Button>
        </Space>
      </Flex>
      <Flex wrap gap={8} align="center">
        <Input.Search placeholder={t.storeSearch} allowClear onSearch={setQ} style={{ width: 240, maxWidth: '100%' }} data-testid="stores-search" />
        {selected.length > 0 && (
          <Popconfirm title={t.storesRemoveConfirm.replace('{n}', String(selected.length))} onConfirm={() => remove(selected)}>
            <Button danger icon={<DeleteOutlined />} data-testid="stores-batch-delete">
              {t.storesRemoveSelected.replace('{n}', String(selected.length))}
            </Button>
          </Popconfirm>
        )}
      </Flex>
      {list.isError && <Alert type="error" title={list.error.message} />}
      <Table<Store>
        rowKey="id"
        loading={list.isPending}
        dataSource={items}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={q ? t.noStoresFound : t.noStores} /> }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        columns={[
          { title: t.storeName, dataIndex: 'name' },
          { title: t.storeCity, key: 'city', render: (_: unknown, s) => [s.province, s.city, s.district].filter(Boolean).join(' ') },
          { title: t.storeAddress, dataIndex: 'address', responsive: ['md'] },
          { title: t.storeCoords, key: 'coords', responsive: ['lg'], render: (_: unknown, s) => `${s.lat.toFixed(5)}, ${s.lng.toFixed(5)}` },
          {
            title: t.actions, key: 'actions',
            render: (_: unknown, s) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(s)}>
                  {t.edit}
                </Button>
                <Popconfirm title={t.storeRemoveConfirm} onConfirm={() => remove([s.id])}>
                  <Button type="link" size="small" danger>
                    {t.delete}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {list.hasNextPage && (
        <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t.more}
        </Button>
      )}
      {editing && <StoreFormModal store={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={refresh} />}
      {importing && <StoreImportModal onClose={() => setImporting(false)} onImported={refresh} />}
    </Space>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { Avatar, Button, Flex, Input, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { useI18n } from '../../i18n/i18n.tsx';
import { emptyText, LoadError, useChannelNames, useStaff, when } from './common.tsx';
import { CustomerDrawer } from './CustomerDrawer.tsx';

export type Customer = paths['/api/v1/customers/{id}']['get']['responses'][200]['content']['application/json'];
/** Customers added through the codes, newest first, a page at a time, found by name, narrowed by staff, channel (with its sub-channels) or tag. */
export default function CustomersPage() {
  const { t, lang } = useI18n();
  const [staffId, setStaffId] = useState<string | undefined>();
  const [channelId, setChannelId] = useState<string | undefined>();
  const [tag, setTag] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const staff = useStaff();
  const channels = useChannelNames();
  const staffName = new Map((staff.data?.items ?? []).map((m) => [m.id, m.name]));
  const given = { q, staffId, channelId, tag };
  const filters = Object.fromEntries(Object.entries(given).filter(([, value]) => value)) as Partial<typeof given>;
  const list = useInfiniteQuery({
    queryKey: ['customers', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/customers', { params: { query: { ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t.customers}
      </Typography.Title>
      <Flex wrap gap={8}>
        <Input.Search placeholder={t.customerSearch} allowClear onSearch={setQ} style={{ width: 200, maxWidth: '100%' }} />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t.allStaff}
          value={staffId}
          onChange={setStaffId}
          style={{ width: 160 }}
          options={(staff.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))}
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t.allChannels}
          value={channelId}
          onChange={setChannelId}
          style={{ width: 200, maxWidth: '100%' }}
          treeData={channels.tree}
        />
        <Input.Search placeholder={t.tag} allowClear onSearch={setTag} style={{ width: 180 }} />
      </Flex>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Customer>
          rowKey="id"
          loading={list.isPending}
          dataSource={items}
          pagination={false}
          size="middle"
          locale={{ emptyText: emptyText(t.customersEmpty) }}
          data-testid="customers-table"
          onRow={(c) => ({ onClick: () => setOpen(c.id), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t.customerName, key: 'name',
              render: (_: unknown, c) => (
                <Space>
                  {/* WeCom's avatar URLs are on another host, which the console's Content-Security-Policy does not load. */}
                  <Avatar size="small">{(c.name ?? '?').slice(0, 1)}</Avatar>
                  <Button type="link" size="small" style={{ padding: 0 }}>{c.name ?? c.externalUserId}</Button>
                </Space>
              ),
            },
            { title: t.staff, dataIndex: 'staffId', render: (id: string | null) => (id ? (staffName.get(id) ?? id) : '—') },
            {
              title: t.channel, key: 'channel', responsive: ['md'],
              render: (_: unknown, c) => (c.attribution.channelId ? (channels.names.get(c.attribution.channelId) ?? c.attribution.channelId) : '—'),
            },
            { title: t.tags, dataIndex: 'tags', responsive: ['lg'], render: (tags: string[]) => tags.map((x) => <Tag key={x}>{x}</Tag>) },
            { title: t.addedAt, dataIndex: 'firstSeenAt', responsive: ['sm'], render: (at: string) => when(at, lang) },
          ]}
        />
      )}
      {list.hasNextPage && (
        <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t.more}
        </Button>
      )}
      {open && <CustomerDrawer id={open} staffName={staffName} channelNames={channels.names} onClose={() => setOpen(null)} />}
    </Space>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Input, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok } from '../../api/client.ts';
import type { CodeList, CodeStatus, CodeType } from '../../api/types.ts';
import { CODE_TYPES, STATUSES, StatusTag, statusText, typeText } from '../../components/labels.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { channelTree } from '../../components/channel-tree.ts';

type Item = CodeList['items'][number];
/** The API answers up to this many codes' days at once. */
const TREND_BATCH = 100;

/** Each listed code's scans over its last 7 local days, asked for a page of the list at a time. */
function useTrend(ids: string[]) {
  const batches = Array.from({ length: Math.ceil(ids.length / TREND_BATCH) }, (_, i) => ids.slice(i * TREND_BATCH, (i + 1) * TREND_BATCH));
  const answers = useQueries({
    queries: batches.map((batch) => ({
      queryKey: ['trend', batch],
      queryFn: () => ok(api.GET('/api/v1/codes/trend', { params: { query: { ids: batch.join(',') } } })),
    })),
  });
  return new Map(answers.flatMap((a) => a.data?.items ?? []).map((item) => [item.id, item.perDay]));
}

/** Every code the caller may see, newest first, a page at a time (the API's cursor). */
export default function CodesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<CodeStatus | undefined>();
  const [tag, setTag] = useState('');
  const [type, setType] = useState<CodeType | undefined>();
  const [channelId, setChannelId] = useState<string | undefined>();
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const given = { q, status, tag, type, channelId, departmentId };
  const filters = Object.fromEntries(Object.entries(given).filter(([, value]) => value)) as Partial<typeof given>;
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => ok(api.GET('/api/v1/channels')) });
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => ok(api.GET('/api/v1/departments')) });
  const list = useInfiniteQuery({
    queryKey: ['codes', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/codes', { params: { query: { ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const trend = useTrend(items.map((code) => code.id));

  const lifecycle = async (code: Item, action: 'archive' | 'restore') => {
    try {
      await ok(api.POST(`/api/v1/codes/{id}/${action}`, { params: { path: { id: code.id } } }));
      await client.invalidateQueries({ queryKey: ['codes'] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.codes}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/codes/new')}>
          {t.newCode}
        </Button>
      </Flex>
      <Flex wrap gap={8}>
        <Input.Search placeholder={t.search} allowClear onSearch={setQ} style={{ width: 220, maxWidth: '100%' }} data-testid="codes-search" />
        <Select
          allowClear
          placeholder={t.allStatuses}
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          options={STATUSES.map((s) => ({ value: s, label: statusText(t, s) }))}
        />
        <Input.Search placeholder={t.tag} allowClear onSearch={setTag} style={{ width: 160 }} />
        <Select
          allowClear
          placeholder={t.allTypes}
          value={type}
          onChange={setType}
          style={{ width: 140 }}
          options={CODE_TYPES.map((x) => ({ value: x, label: typeText(t, x) }))}
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t.allChannels}
          value={channelId}
          onChange={setChannelId}
          style={{ width: 180, maxWidth: '100%' }}
          treeData={channelTree(channels.data?.items ?? [])}
        />
        <Select
          allowClear
          placeholder={t.allDepartments}
          value={departmentId}
          onChange={setDepartmentId}
          style={{ width: 160 }}
          options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
        />
      </Flex>
      <Table<Item>
        rowKey="id"
        loading={list.isPending}
        dataSource={items}
        pagination={false}
        size="middle"
        columns={[
          { title: t.codeName, dataIndex: 'name', render: (name: string, code) => <Link to={`/codes/${code.id}`}>{name}</Link> },
          { title: t.type, dataIndex: 'type', responsive: ['md'], render: (type: Item['type']) => typeText(t, type) },
          { title: t.status, dataIndex: 'status', render: (s: CodeStatus) => <StatusTag t={t} status={s} /> },
          { title: t.scans, dataIndex: 'scanCount', align: 'right' },
          {
            title: t.today, key: 'today', align: 'right', responsive: ['sm'],
            render: (_: unknown, code) => trend.get(code.id)?.at(-1)?.scans ?? '–',
          },
          {
            title: t.last7Days, key: 'trend', responsive: ['md'],
            render: (_: unknown, code) => {
              const days = trend.get(code.id);
              return days && <Sparkline values={days.map((d) => d.scans)} title={days.map((d) => `${d.date.slice(5)}: ${d.scans}`).join('\n')} />;
            },
          },
          { title: t.tags, dataIndex: 'tags', responsive: ['lg'], render: (tags: string[]) => tags.map((x) => <Tag key={x}>{x}</Tag>) },
          {
            title: t.createdAt, dataIndex: 'createdAt', responsive: ['lg'],
            render: (at: string) => new Date(at).toLocaleString(lang),
          },
          {
            title: t.actions, key: 'actions', responsive: ['sm'],
            render: (_: unknown, code) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => navigate(`/codes/${code.id}/edit`)}>
                  {t.edit}
                </Button>
                {code.status === 'archived' ? (
                  <Button type="link" size="small" onClick={() => void lifecycle(code, 'restore')}>
                    {t.restore}
                  </Button>
                ) : (
                  <Popconfirm title={t.archiveConfirm} onConfirm={() => lifecycle(code, 'archive')}>
                    <Button type="link" size="small" danger>
                      {t.archive}
                    </Button>
                  </Popconfirm>
                )}
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
    </Space>
  );
}

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/messages.ts';
import { can, emptyText, PageHeader, QueryError, useSignedIn } from './shared.tsx';
import type { AuditEntry, AuditQuery } from './types.ts';

/** The action in words where the console has them, else as the API names it. */
export const actionText = (t: Messages, action: string) => (t as unknown as Record<string, string | undefined>)[`action.${action}`] ?? action;

const OBJECT_TYPES = ['code', 'user', 'token', 'department', 'role', 'proposal', 'settings', 'staff', 'store', 'channel', 'material', 'webhook'];

type Filters = Pick<AuditQuery, 'actor' | 'action' | 'objectType' | 'outcome' | 'from' | 'to'>;
type Moment = { toISOString(): string } | null;

const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** What an entry changed, field by field, or its detail as the API gave it. */
function Detail({ entry, t }: { entry: AuditEntry; t: Messages }) {
  const changes = entry.detail?.changes;
  if (Array.isArray(changes)) {
    return (
      <Table
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={changes as { field: string; from: unknown; to: unknown }[]}
        columns={[
          { title: t.field, dataIndex: 'field' },
          { title: t.from, dataIndex: 'from', render: value },
          { title: t.to, dataIndex: 'to', render: value },
        ]}
      />
    );
  }
  return <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(entry.detail, null, 2)}</Typography.Text>;
}

/** Who did what to what and when, newest first, with filters; refused attempts are listed too. */
export default function AuditPage() {
  const { t, lang } = useI18n();
  const me = useSignedIn();
  const [filters, setFilters] = useState<Filters>({});
  const set = (change: Filters) => setFilters((current) => Object.fromEntries(Object.entries({ ...current, ...change }).filter(([, v]) => v)));
  // Who can be picked by name: only a manager of people may list them; anyone else filters by what they see.
  const users = useQuery({ queryKey: ['users'], enabled: can(me, 'users.manage'), queryFn: () => ok(api.GET('/api/v1/users')) });
  const log = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => ok(api.GET('/api/v1/audit', { params: { query: { ...filters, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PageHeader title={t.menuAudit} />
      <Flex wrap gap={8}>
        {users.data && (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t.allActors}
            style={{ width: 160 }}
            onChange={(actor?: string) => set({ actor })}
            options={users.data.items.map((u) => ({ value: u.id, label: u.name }))}
          />
        )}
        <Input.Search placeholder={t.auditAction} allowClear onSearch={(action) => set({ action })} style={{ width: 180 }} data-testid="audit-action" />
        <Select
          allowClear
          placeholder={t.objectType}
          style={{ width: 140 }}
          onChange={(objectType?: string) => set({ objectType })}
          options={OBJECT_TYPES.map((x) => ({ value: x, label: x }))}
        />
        <Select
          allowClear
          placeholder={t.allOutcomes}
          style={{ width: 130 }}
          onChange={(outcome?: 'ok' | 'denied') => set({ outcome })}
          options={[{ value: 'ok', label: t.outcomeOk }, { value: 'denied', label: t.outcomeDenied }]}
        />
        <DatePicker.RangePicker
          showTime
          style={{ maxWidth: '100%' }}
          onChange={(range) => {
            const [from, to] = (range ?? [null, null]) as [Moment, Moment];
            set({ from: from?.toISOString(), to: to?.toISOString() });
          }}
        />
      </Flex>
      {log.error && <QueryError error={log.error} retry={() => void log.refetch()} />}
      <Table<AuditEntry>
        rowKey="id"
        loading={log.isPending && !log.error}
        dataSource={items}
        pagination={false}
        size="middle"
        locale={emptyText(t.auditEmpty)}
        scroll={{ x: 'max-content' }}
        expandable={{ rowExpandable: (entry) => entry.detail !== null, expandedRowRender: (entry) => <Detail entry={entry} t={t} /> }}
        columns={[
          { title: t.auditAt, dataIndex: 'at', render: (at: string) => new Date(at).toLocaleString(lang) },
          { title: t.auditActor, dataIndex: 'actor', render: (actor: AuditEntry['actor']) => actor?.name ?? actor?.id ?? t.system },
          {
            title: t.auditAction, dataIndex: 'action',
            render: (action: string) => (
              <span data-action={action}>
                {actionText(t, action)} <Typography.Text type="secondary">{action}</Typography.Text>
              </span>
            ),
          },
          {
            title: t.auditTarget, dataIndex: 'object', responsive: ['md'],
            render: (object: AuditEntry['object']) => (object ? `${object.type} ${object.id ?? ''}` : ''),
          },
          {
            title: t.auditOutcome, dataIndex: 'outcome',
            render: (outcome: AuditEntry['outcome']) =>
              outcome === 'ok' ? <Tag color="green">{t.outcomeOk}</Tag> : <Tag color="red">{t.outcomeDenied}</Tag>,
          },
          { title: t.auditIp, dataIndex: 'ip', responsive: ['lg'] },
        ]}
      />
      {log.hasNextPage && (
        <Button block onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t.more}
        </Button>
      )}
    </Space>
  );
}

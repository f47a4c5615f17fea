import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Space, Table, Tag, Typography } from 'antd';
import { api, ok } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/messages.ts';
import { emptyText, LoadError, when } from './common.tsx';

type Delivery = paths['/api/v1/webhooks/{id}/deliveries']['get']['responses'][200]['content']['application/json']['items'][number];

const STATUS: Record<Delivery['status'], [keyof Messages, string]> = {
  pending: ['deliveryStatusPending', 'blue'],
  delivered: ['deliveryStatusDelivered', 'green'],
  failed: ['deliveryStatusFailed', 'red'],
};

/** A subscription's deliveries, newest first: status, attempts, the last answer, and a button to send one again. */
export function DeliveriesDrawer({ hook, onClose }: { hook: { id: string; url: string }; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['deliveries', hook.id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id: hook.id }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  const redeliver = async (delivery: Delivery) => {
    try {
      await ok(api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: hook.id, deliveryId: delivery.id } } }));
      message.success(t.redelivered);
      await client.invalidateQueries({ queryKey: ['deliveries', hook.id] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Drawer open onClose={onClose} title={`${t.deliveries} · ${hook.url}`} size={720} data-testid="deliveries-drawer">
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Table<Delivery>
            rowKey="id"
            loading={list.isPending}
            dataSource={items}
            pagination={false}
            size="small"
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: emptyText(t.deliveriesEmpty) }}
            data-testid="deliveries-table"
            columns={[
              { title: t.events, dataIndex: 'event' },
              { title: t.status, dataIndex: 'status', render: (s: Delivery['status']) => <Tag color={STATUS[s][1]}>{t[STATUS[s][0]]}</Tag> },
              { title: t.attempts, dataIndex: 'attempts', align: 'right' },
              {
                title: t.lastResponse, key: 'last',
                render: (_: unknown, d) => <Typography.Text type={d.lastError ? 'danger' : undefined}>{d.lastError ?? d.lastStatus ?? '—'}</Typography.Text>,
              },
              { title: t.createdAt, dataIndex: 'createdAt', render: (at: string) => when(at, lang) },
              {
                title: t.actions, key: 'actions',
                render: (_: unknown, d) => (
                  <Button size="small" onClick={() => void redeliver(d)}>
                    {t.redeliver}
                  </Button>
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
      )}
    </Drawer>
  );
}

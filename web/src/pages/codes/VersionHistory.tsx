import { useQuery } from '@tanstack/react-query';
import { Table, Typography } from 'antd';
import { api, ok } from '../../api/client.ts';
import type { Messages } from '../../i18n/messages.ts';

const versionsOf = (id: string) => ok(api.GET('/api/v1/codes/{id}/versions', { params: { path: { id } } }));
type Version = Awaited<ReturnType<typeof versionsOf>>['items'][number];
const show = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Every change to the code: who, when, and each field from what to what. */
export function VersionHistory({ id, t, lang }: { id: string; t: Messages; lang: string }) {
  const versions = useQuery({ queryKey: ['versions', id], queryFn: () => versionsOf(id) });
  return (
    <Table<Version>
      rowKey="version"
      size="small"
      loading={versions.isPending}
      dataSource={versions.data?.items ?? []}
      pagination={false}
      columns={[
        { title: t.version, dataIndex: 'version', width: 70 },
        { title: t.createdAt, dataIndex: 'createdAt', responsive: ['md'], render: (at: string) => new Date(at).toLocaleString(lang) },
        { title: t.by, dataIndex: ['actor', 'name'], responsive: ['md'], render: (name: string | null) => name ?? '—' },
        {
          title: t.changes,
          dataIndex: 'changes',
          render: (changes: Version['changes']) =>
            changes.map((c) => (
              <div key={c.field} style={{ wordBreak: 'break-all' }}>
                <Typography.Text code>{c.field}</Typography.Text> {show(c.from)} → {show(c.to)}
              </div>
            )),
        },
      ]}
    />
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Spin, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, ok } from '../../api/client.ts';
import type { Messages } from '../../i18n/messages.ts';

const versionsOf = (id: string) => ok(api.GET('/api/v1/codes/{id}/versions', { params: { path: { id } } }));
type Version = Awaited<ReturnType<typeof versionsOf>>['items'][number];
const show = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** What a restore would change, as the server works it out (so what is shown is what happens). */
function RestorePreview({ id, version, t }: { id: string; version: number; t: Messages }) {
  const preview = useQuery({
    queryKey: ['restore-preview', id, version],
    queryFn: () => ok(api.GET('/api/v1/codes/{id}/versions/{version}/restore', { params: { path: { id, version } } })),
    staleTime: 0,
  });
  if (preview.isPending) return <Spin size="small" />;
  if (preview.isError) return <Typography.Text type="danger">{preview.error.message}</Typography.Text>;
  if (preview.data.changes.length === 0) return <Typography.Text type="secondary">{t.restoreNothing}</Typography.Text>;
  return (
    <div style={{ maxWidth: 420, maxHeight: 240, overflow: 'auto' }} data-testid="restore-preview">
      <Changes changes={preview.data.changes} />
    </div>
  );
}

/** Each field a change touched, from what to what. */
const Changes = ({ changes }: { changes: Version['changes'] }) =>
  changes.map((c) => (
    <div key={c.field} style={{ wordBreak: 'break-all' }}>
      <Typography.Text code>{c.field}</Typography.Text> {show(c.from)} → {show(c.to)}
    </div>
  ));

/** Every change to the code: who, when, and each field from what to what; any older version can be restored. */
export function VersionHistory({ id, t, lang }: { id: string; t: Messages; lang: string }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const versions = useQuery({ queryKey: ['versions', id], queryFn: () => versionsOf(id) });
  /** Why the last restore was refused, as the API said it (a member who has left, a deleted image …). */
  const [refusal, setRefusal] = useState<{ version: number; error: ApiError } | null>(null);

  const restore = async (version: number) => {
    setRefusal(null);
    try {
      const result = await ok(api.POST('/api/v1/codes/{id}/versions/{version}/restore', { params: { path: { id, version } } }));
      message.success('proposal' in result ? t.restoreVersionHeld : t.restoreVersionDone);
      await client.invalidateQueries({ queryKey: ['code', id] });
      await client.invalidateQueries({ queryKey: ['codes'] });
      await client.invalidateQueries({ queryKey: ['versions', id] });
    } catch (err) {
      setRefusal({ version, error: err instanceof ApiError ? err : new ApiError(0, 'error', (err as Error).message) });
    }
  };

  return (
    <>
      {refusal && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setRefusal(null)}
          style={{ marginBottom: 12 }}
          data-testid="restore-error"
          message={`${t.restoreVersion} ${t.version} ${refusal.version}`}
          description={
            <span style={{ wordBreak: 'break-all' }}>
              {refusal.error.field && <Typography.Text code>{refusal.error.field}</Typography.Text>} {refusal.error.message}
            </span>
          }
        />
      )}
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
            render: (changes: Version['changes']) => <Changes changes={changes} />,
          },
          {
            key: 'restore',
            width: 110,
            // The newest version is the code as it is: only older ones can be restored.
            render: (_, v, index) =>
              index > 0 && (
                <Popconfirm
                  title={t.restoreVersionConfirm}
                  description={<RestorePreview id={id} version={v.version} t={t} />}
                  onConfirm={() => restore(v.version)}
                >
                  <Button size="small" data-testid={`restore-version-${v.version}`}>
                    {t.restoreVersion}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </>
  );
}

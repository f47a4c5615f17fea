import { UploadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Progress, Select, Space, Spin, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError, ok } from '../../api/client.ts';
import type { MaterialKind } from '../../api/places-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatBytes } from './bytes.ts';
import { MaterialCard } from './MaterialCard.tsx';
import { MATERIAL_KINDS, kindText } from './kinds.ts';

/** A name from the file's: without its extension, within the API's 60 characters. */
const nameOf = (file: File) => file.name.replace(/\.[^.]+$/, '').trim().slice(0, 60) || file.name.slice(0, 60);

/** The material library: the workspace's quota in use, an upload, and the images as a grid. */
export default function MaterialsPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [kind, setKind] = useState<MaterialKind | undefined>();
  const [uploadKind, setUploadKind] = useState<MaterialKind>('page');
  const [uploading, setUploading] = useState(false);
  const [refusal, setRefusal] = useState<string | undefined>();
  const usage = useQuery({ queryKey: ['materials', 'usage'], queryFn: () => ok(api.GET('/api/v1/materials/usage')) });
  const list = useInfiniteQuery({
    queryKey: ['materials', 'list', kind],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.GET('/api/v1/materials', { params: { query: { limit: 40, ...(kind ? { kind } : {}), ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const refresh = () => client.invalidateQueries({ queryKey: ['materials'] });

  const upload = async (file: File) => {
    setRefusal(undefined);
    // A file over the limit is refused before it is sent: the server would refuse it unread.
    if (usage.data && file.size > usage.data.maxFile) {
      setRefusal(t.materialTooLarge.replace('{size}', formatBytes(file.size)).replace('{max}', formatBytes(usage.data.maxFile)));
      return;
    }
    setUploading(true);
    try {
      await ok(
        api.POST('/api/v1/materials', {
          params: { query: { name: nameOf(file), kind: uploadKind } },
          body: file as never,
          bodySerializer: (body: unknown) => body,
          headers: { 'content-type': file.type || 'application/octet-stream' },
        }),
      );
      await refresh();
    } catch (err) {
      setRefusal(await refusalOf(err, file));
    } finally {
      setUploading(false);
    }
  };

  /** The server's 413 and 415 in words that say what to do; its own message for anything else. */
  const refusalOf = async (err: unknown, file: File): Promise<string> => {
    if (!(err instanceof ApiError)) return String(err);
    if (err.status === 415) return t.materialBadType;
    if (err.status !== 413) return err.message;
    const now = (await usage.refetch()).data;
    if (!now || file.size > now.maxFile) return err.message;
    return t.materialQuotaFull.replace('{used}', formatBytes(now.used)).replace('{quota}', formatBytes(now.quota)).replace('{size}', formatBytes(file.size));
  };

  const used = usage.data ? Math.min(100, (usage.data.used / usage.data.quota) * 100) : 0;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t.materials}
      </Typography.Title>
      <Card size="small">
        {usage.isError ? (
          <Typography.Text type="danger">{usage.error.message}</Typography.Text>
        ) : (
          <Spin spinning={usage.isPending}>
            <Typography.Text data-testid="materials-usage">
              {t.materialUsage
                .replace('{used}', formatBytes(usage.data?.used ?? 0))
                .replace('{quota}', formatBytes(usage.data?.quota ?? 0))
                .replace('{max}', formatBytes(usage.data?.maxFile ?? 0))}
            </Typography.Text>
            <Progress percent={Number(used.toFixed(1))} status={used >= 90 ? 'exception' : 'normal'} data-testid="materials-usage-bar" />
          </Spin>
        )}
      </Card>
      <Flex wrap gap={8} align="center">
        <Select
          allowClear
          placeholder={t.materialAllKinds}
          value={kind}
          onChange={setKind}
          style={{ width: 160 }}
          options={MATERIAL_KINDS.map((k) => ({ value: k, label: kindText(t, k) }))}
        />
        <div style={{ flex: 1 }} />
        <Typography.Text type="secondary">{t.materialKind}</Typography.Text>
        <Select value={uploadKind} onChange={setUploadKind} style={{ width: 140 }} options={MATERIAL_KINDS.map((k) => ({ value: k, label: kindText(t, k) }))} />
        <Upload
          accept="image/png,image/jpeg,image/webp,image/gif"
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return Upload.LIST_IGNORE;
          }}
        >
          <Button type="primary" icon={<UploadOutlined />} loading={uploading} data-testid="material-upload">
            {t.materialUpload}
          </Button>
        </Upload>
      </Flex>
      {refusal && <Alert type="error" showIcon closable onClose={() => setRefusal(undefined)} title={refusal} data-testid="material-refusal" />}
      {list.isError && <Alert type="error" title={list.error.message} />}
      {list.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={t.noMaterials} />
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 12 }}>
          {items.map((m) => (
            <MaterialCard key={m.id} material={m} onChanged={refresh} />
          ))}
        </div>
      )}
      {list.hasNextPage && (
        <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t.more}
        </Button>
      )}
    </Space>
  );
}

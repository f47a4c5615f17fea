import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Flex, Popconfirm, Space, Spin, Tabs, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { api, ok } from '../../api/client.ts';
import { StatusTag, typeText } from '../../components/labels.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PosterDesigner } from './PosterDesigner.tsx';
import { QrDesigner } from './QrDesigner.tsx';
import { ScansChart } from './ScansChart.tsx';
import { SimulatePanel } from './SimulatePanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { VersionHistory } from './VersionHistory.tsx';

/** One code: where it leads, its scans, its QR code, a test scan and its history. */
export default function CodeDetailPage() {
  const id = useParams().id!;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const code = useQuery({ queryKey: ['code', id], queryFn: () => ok(api.GET('/api/v1/codes/{id}', { params: { path: { id } } })) });
  if (code.isPending) return <Spin />;
  if (code.isError) return <Typography.Text type="danger">{code.error.message}</Typography.Text>;
  const c = code.data;

  const lifecycle = async (action: 'archive' | 'restore') => {
    try {
      await ok(api.POST(`/api/v1/codes/{id}/${action}`, { params: { path: { id } } }));
      await client.invalidateQueries({ queryKey: ['code', id] });
      await client.invalidateQueries({ queryKey: ['codes'] });
      await client.invalidateQueries({ queryKey: ['versions', id] });
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {c.name}
          </Typography.Title>
          <StatusTag t={t} status={c.status} />
        </Space>
        <Space wrap>
          <Button onClick={() => navigate(`/codes/${id}/edit`)}>{t.edit}</Button>
          {c.status === 'archived' ? (
            <Button onClick={() => void lifecycle('restore')}>{t.restore}</Button>
          ) : (
            <Popconfirm title={t.archiveConfirm} onConfirm={() => lifecycle('archive')}>
              <Button danger>{t.archive}</Button>
            </Popconfirm>
          )}
        </Space>
      </Flex>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t.type}>{typeText(t, c.type)}</Descriptions.Item>
          <Descriptions.Item label={t.shortUrl}>
            <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
              {c.shortUrl}
            </Typography.Text>
          </Descriptions.Item>
          {c.url && (
            <Descriptions.Item label={t.destination}>
              <Typography.Text style={{ wordBreak: 'break-all' }} data-testid="code-url">
                {c.url}
              </Typography.Text>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t.scans}>{c.scanCount}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small">
        <Tabs
          destroyOnHidden
          items={[
            { key: 'overview', label: t.overview, children: <ScansChart id={id} t={t} /> },
            { key: 'stats', label: t.statistics, children: <StatsPanel id={id} t={t} lang={lang} /> },
            { key: 'qr', label: t.qr, children: <QrDesigner id={id} name={c.name} t={t} /> },
            { key: 'poster', label: t.poster, children: <PosterDesigner id={id} name={c.name} t={t} /> },
            { key: 'test', label: t.test, children: <SimulatePanel id={id} t={t} lang={lang} /> },
            { key: 'versions', label: t.versions, children: <VersionHistory id={id} t={t} lang={lang} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Spin, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LoadError, when } from './common.tsx';

/** A code's name where the API gives its id (read through the same cache as the codes screens). */
function CodeName({ id }: { id: string | null }) {
  const code = useQuery({
    queryKey: ['code', id],
    enabled: id !== null,
    queryFn: () => ok(api.GET('/api/v1/codes/{id}', { params: { path: { id: id! } } })),
  });
  if (id === null) return <>—</>;
  return <Link to={`/codes/${id}`}>{code.data?.name ?? id}</Link>;
}

/** One customer: who they belong to, which code and channel brought them (by the attribution model), and each add and removal. */
export function CustomerDrawer({ id, staffName, channelNames, onClose }: {
  id: string;
  staffName: Map<string, string>;
  channelNames: Map<string, string>;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const customer = useQuery({ queryKey: ['customer', id], queryFn: () => ok(api.GET('/api/v1/customers/{id}', { params: { path: { id } } })) });
  const channel = (channelId: string | null) => (channelId ? (channelNames.get(channelId) ?? channelId) : '—');
  const c = customer.data;

  let body;
  if (customer.isPending) body = <Spin />;
  else if (customer.isError) body = <LoadError error={customer.error} />;
  else if (c) {
    body = (
      <>
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t.customerName}>{c.name ?? c.externalUserId}</Descriptions.Item>
          <Descriptions.Item label={t.status}>
            <Tag color={c.status === 'active' ? 'green' : 'default'}>{c.status === 'active' ? t.customerStatusActive : t.customerStatusLost}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t.staff}>{c.staffId ? (staffName.get(c.staffId) ?? c.staffId) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t.tags}>{c.tags.map((x) => <Tag key={x}>{x}</Tag>)}</Descriptions.Item>
          <Descriptions.Item label={`${t.attribution} (${c.attribution.model === 'first_touch' ? t.firstTouch : t.lastTouch})`}>
            <CodeName id={c.attribution.codeId} /> · {channel(c.attribution.channelId)}
          </Descriptions.Item>
          <Descriptions.Item label={t.firstTouch}>
            <CodeName id={c.firstTouch.codeId} /> · {channel(c.firstTouch.channelId)}
          </Descriptions.Item>
          <Descriptions.Item label={t.lastTouch}>
            <CodeName id={c.lastTouch.codeId} /> · {channel(c.lastTouch.channelId)}
          </Descriptions.Item>
          <Descriptions.Item label={t.addedAt}>{when(c.firstSeenAt, lang)}</Descriptions.Item>
          <Descriptions.Item label={t.lastSeenAt}>{when(c.lastSeenAt, lang)}</Descriptions.Item>
        </Descriptions>
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {t.touches}
        </Typography.Title>
        <Timeline
          items={c.touches.map((touch, i) => ({
            key: i,
            color: touch.kind === 'add' ? 'green' : 'gray',
            content: (
              <>
                <div>
                  {touch.kind === 'add' ? t.touchAdd : t.touchLost} · {when(touch.at, lang)}
                </div>
                <Typography.Text type="secondary">
                  <CodeName id={touch.codeId} /> · {channel(touch.channelId)} · {touch.staffId ? (staffName.get(touch.staffId) ?? touch.staffId) : '—'}
                  {touch.welcome && ` · ${t.welcome}: ${touch.welcome.status}`}
                </Typography.Text>
              </>
            ),
          }))}
        />
      </>
    );
  }

  return (
    <Drawer open onClose={onClose} title={t.customerDetail} size={480} data-testid="customer-drawer">
      {body}
    </Drawer>
  );
}

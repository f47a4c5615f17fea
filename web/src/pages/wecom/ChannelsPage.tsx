import { Space, Typography } from 'antd';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChannelReport } from './ChannelReport.tsx';
import { ChannelTree } from './ChannelTree.tsx';
import { useCan } from './common.tsx';

/** The channel tree and, for those who may read scans, its report. */
export default function ChannelsPage() {
  const { t } = useI18n();
  const can = useCan();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t.channels}
      </Typography.Title>
      <ChannelTree />
      {can('scans.read') && <ChannelReport />}
    </Space>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n.tsx';
import { emptyText, LoadError } from './common.tsx';

// The chart library is the heaviest part of the screen: it loads after the table.
const EChart = lazy(() => import('../../components/EChart.tsx').then((m) => ({ default: m.EChart })));

type Row = components['schemas']['ChannelReport'];

const flatten = (rows: Row[]): Row[] => rows.flatMap((r) => [r, ...flatten(r.children)]);
/** Adds per scan, or a dash where nothing was scanned. */
const rate = (adds: number, scans: number) => (scans > 0 ? `${((adds / scans) * 100).toFixed(1)}%` : '—');
/** The API's tree, with leaf rows' empty children removed so the table shows no expander on them. */
const tableRows = (rows: Row[]): Row[] =>
  rows.map((r) => ({ ...r, children: r.children.length > 0 ? tableRows(r.children) : (undefined as unknown as Row[]) }));

/** Scans → contacts added → new customers per channel (each with its sub-channels), over a date range, as a table and a bar chart. */
export function ChannelReport() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const query = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const report = useQuery({
    queryKey: ['channel-report', query],
    queryFn: () => ok(api.GET('/api/v1/channels/report', { params: { query } })),
  });
  const flat = useMemo(() => flatten(report.data?.items ?? []), [report.data]);
  // Sub-channels show open, also once the figures arrive, unless the person closed them.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 40, right: 16, top: 32, bottom: 48 },
      xAxis: { type: 'category', data: flat.map((r) => r.name), axisLabel: { interval: 0, rotate: flat.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t.reportScans, type: 'bar', data: flat.map((r) => r.scans.total) },
        { name: t.reportAdds, type: 'bar', data: flat.map((r) => r.adds.total) },
        { name: t.reportCustomers, type: 'bar', data: flat.map((r) => r.customers.total) },
      ],
    }),
    [flat, t],
  );

  let body;
  if (report.isError) body = <LoadError error={report.error} onRetry={() => void report.refetch()} />;
  else {
    body = (
      <>
        <Table<Row>
          rowKey="id"
          loading={report.isPending}
          dataSource={tableRows(report.data?.items ?? [])}
          pagination={false}
          size="small"
          expandable={{
            expandedRowKeys: flat.map((r) => r.id).filter((id) => !collapsed.has(id)),
            onExpand: (open, r) => setCollapsed((was) => new Set(open ? [...was].filter((id) => id !== r.id) : [...was, r.id])),
          }}
          locale={{ emptyText: emptyText(t.reportEmpty) }}
          data-testid="channel-report"
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t.channelName, dataIndex: 'name',
              render: (name: string, r) => <span>{name} <Typography.Text type="secondary">{r.code}</Typography.Text></span>,
            },
            { title: t.reportScans, key: 'scans', align: 'right', render: (_: unknown, r) => r.scans.total },
            { title: t.reportAdds, key: 'adds', align: 'right', render: (_: unknown, r) => r.adds.total },
            { title: t.reportCustomers, key: 'customers', align: 'right', render: (_: unknown, r) => r.customers.total },
            { title: t.conversion, key: 'conversion', align: 'right', render: (_: unknown, r) => rate(r.adds.total, r.scans.total) },
          ]}
        />
        {flat.length > 0 && (
          <Suspense fallback={null}>
            <EChart option={option} testId="channel-chart" />
          </Suspense>
        )}
      </>
    );
  }

  return (
    <Card
      title={t.report}
      extra={
        <DatePicker.RangePicker
          allowClear={false}
          value={range}
          onChange={(value) => value?.[0] && value[1] && setRange([value[0], value[1]])}
          aria-label={t.dateRange}
          style={{ maxWidth: '100%' }}
        />
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t.reportHint}</Typography.Text>
        {body}
      </Space>
    </Card>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Col, DatePicker, Flex, Row, Space, Spin, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { Lang } from '../../api/types.ts';
import { EChart } from '../../components/EChart.tsx';
import { osText } from '../../components/labels.tsx';
import type { Messages } from '../../i18n/messages.ts';

const ProvinceMap = lazy(() => import('./ProvinceMap.tsx'));

type Range = { from?: string; to?: string };

/** What a stored outcome reads as; an outcome this console does not know yet shows as stored. */
function outcomeText(t: Messages, outcome: string): string {
  const words: Record<string, string> = {
    redirect: t.outcomeRedirect, contact: t.outcomeContact, locate: t.outcomeLocate, repeat: t.outcomeRepeat,
    paused: t.outcomePaused, scheduled: t.outcomeScheduled, ended: t.outcomeEnded, limit_reached: t.outcomeLimit,
    archived: t.outcomeArchived, device_limit: t.outcomeDeviceLimit, off_hours: t.outcomeOffHours, no_staff: t.outcomeNoStaff,
  };
  return words[outcome] ?? outcome;
}

const bars = (labels: string[], values: number[], name: string, horizontal = false) => ({
  tooltip: { trigger: 'axis' },
  grid: { left: horizontal ? 96 : 40, right: 16, top: 16, bottom: 32 },
  xAxis: horizontal ? { type: 'value', minInterval: 1 } : { type: 'category', data: labels },
  yAxis: horizontal ? { type: 'category', data: labels, inverse: true } : { type: 'value', minInterval: 1 },
  series: [{ name, type: 'bar', data: values, barMaxWidth: 28 }],
});

/**
 * A code's scans over a chosen range, broken down the ways an operator asks about a campaign: when
 * (hour of day), on what (OS), where (province) and with what result; and every scan as CSV.
 */
export function StatsPanel({ id, t, lang }: { id: string; t: Messages; lang: Lang }) {
  const [range, setRange] = useState<Range>({});
  const [bots, setBots] = useState(false);
  const stats = useQuery({
    queryKey: ['stats', id, range],
    queryFn: () => ok(api.GET('/api/v1/codes/{id}/stats', { params: { path: { id }, query: range } })),
  });
  const data = stats.data;
  const charts = useMemo(() => {
    if (!data) return null;
    const hours = Array.from({ length: 24 }, (_, h) => data.byHour.find((b) => b.hour === h)?.scans ?? 0);
    return {
      hour: bars(hours.map((_, h) => String(h)), hours, t.scans),
      os: bars(data.byOs.map((b) => osText(t, b.os)), data.byOs.map((b) => b.scans), t.scans, true),
      outcome: bars(data.byOutcome.map((b) => outcomeText(t, b.outcome)), data.byOutcome.map((b) => b.scans), t.scans, true),
    };
  }, [data, t]);
  const csv = `/api/v1/codes/${id}/scans.csv?${new URLSearchParams({ ...range, lang, ...(bots ? { includeBots: 'true' } : {}) })}`;
  const provinces = (data?.byProvince ?? []).map((p) => ({ province: p.province ?? t.unknownRegion, scans: p.scans, known: p.province !== null }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap>
          <Typography.Text>{t.range}</Typography.Text>
          <DatePicker.RangePicker
            data-testid="stats-range"
            onChange={(_, [from, to]) => setRange(from && to ? { from, to } : {})}
          />
          <Typography.Text type="secondary">{data ? `${data.range.from.slice(0, 10)} – ${data.range.to.slice(0, 10)} (${data.range.timeZone})` : t.rangeHint}</Typography.Text>
        </Space>
        <Space wrap>
          <Checkbox checked={bots} onChange={(e) => setBots(e.target.checked)}>
            {t.includeBots}
          </Checkbox>
          <Button href={csv} download data-testid="export-csv">
            {t.exportCsv}
          </Button>
        </Space>
      </Flex>
      {stats.isError && <Typography.Text type="danger">{stats.error.message}</Typography.Text>}
      {stats.isPending && <Spin />}
      {data && charts && (
        <>
          <Row gutter={16}>
            <Col xs={8}>
              <Statistic title={t.scans} value={data.scans} data-testid="range-scans" />
            </Col>
            <Col xs={8}>
              <Statistic title={t.uniqueVisitors} value={data.uniqueVisitors} />
            </Col>
            <Col xs={8}>
              <Statistic title={t.repeats} value={data.repeats} />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t.byHour}>
                <EChart option={charts.hour} testId="by-hour" />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t.byOs}>
                <EChart option={charts.os} testId="by-os" />
              </Card>
            </Col>
            <Col xs={24} lg={16}>
              <Card size="small" title={t.byProvince}>
                <Suspense fallback={<Spin />}>
                  <ProvinceMap data={provinces.filter((p) => p.known)} unit={t.scansUnit} />
                </Suspense>
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card size="small" title={t.byProvince}>
                <Table
                  size="small"
                  rowKey="province"
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  dataSource={provinces}
                  locale={{ emptyText: t.noData }}
                  columns={[
                    { title: t.byProvince, dataIndex: 'province' },
                    { title: t.scans, dataIndex: 'scans', align: 'right' },
                  ]}
                  data-testid="province-table"
                />
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small" title={t.byOutcome}>
                <EChart option={charts.outcome} testId="by-outcome" />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Col, Row, Statistic } from 'antd';
import { useMemo } from 'react';
import { api, ok } from '../../api/client.ts';
import { EChart } from '../../components/EChart.tsx';
import type { Messages } from '../../i18n/messages.ts';

/** The code's scans per day over the API's default range (the last 30 days), with the totals above. */
export function ScansChart({ id, t }: { id: string; t: Messages }) {
  const stats = useQuery({ queryKey: ['stats', id], queryFn: () => ok(api.GET('/api/v1/codes/{id}/stats', { params: { path: { id } } })) });
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: stats.data?.perDay.map((d) => d.date.slice(5)) ?? [] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: t.scans, type: 'line', areaStyle: {}, data: stats.data?.perDay.map((d) => d.scans) ?? [] }],
    }),
    [stats.data, t],
  );
  return (
    <>
      <Row gutter={16}>
        <Col xs={8}>
          <Statistic title={t.scans} value={stats.data?.scans ?? 0} loading={stats.isPending} data-testid="stats-scans" />
        </Col>
        <Col xs={8}>
          <Statistic title={t.uniqueVisitors} value={stats.data?.uniqueVisitors ?? 0} loading={stats.isPending} />
        </Col>
        <Col xs={8}>
          <Statistic title={t.repeats} value={stats.data?.repeats ?? 0} loading={stats.isPending} />
        </Col>
      </Row>
      <div style={{ marginTop: 16 }}>{t.scansSeries}</div>
      <EChart option={option} testId="scans-chart" />
    </>
  );
}

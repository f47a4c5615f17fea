import china from 'china-geojson/src/geojson/china.json';
import { MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { EChart } from '../../components/EChart.tsx';

// Its own chunk, loaded when a code's statistics are opened: the outline of China is most of its size.
echarts.use([MapChart, VisualMapComponent]);
echarts.registerMap('china', china as Parameters<typeof echarts.registerMap>[1]);

/** The map names provinces short ("广东", "内蒙古"); scans may carry the full name ("广东省", "内蒙古自治区"). */
export const shortProvince = (name: string) => name.replace(/(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, '');

/** Scans per province on a map of China, shaded by count; the tooltip gives the number. */
export default function ProvinceMap({ data, unit }: { data: { province: string; scans: number }[]; unit: string }) {
  const option = useMemo(() => {
    const values = data.map((d) => ({ name: shortProvince(d.province), value: d.scans }));
    return {
      tooltip: { trigger: 'item', formatter: (p: { name: string; value?: number }) => `${p.name}: ${Number.isFinite(p.value) ? p.value : 0} ${unit}` },
      visualMap: { min: 0, max: Math.max(1, ...values.map((v) => v.value)), left: 8, bottom: 8, calculable: true, inRange: { color: ['#e6f4ff', '#1677ff'] } },
      series: [{ type: 'map', map: 'china', roam: false, data: values, emphasis: { label: { show: true } } }],
    };
  }, [data, unit]);
  return <EChart option={option} height={420} testId="province-map" />;
}

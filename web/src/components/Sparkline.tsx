/**
 * A few days' figures as a line in a table cell: plain SVG, no chart library in the list's chunk.
 * The title gives the exact figures for those who hover; the line is only the shape.
 */
export function Sparkline({ values, title, width = 84, height = 22 }: { values: number[]; title: string; width?: number; height?: number }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <title>{title}</title>
      <polyline points={points} fill="none" stroke="#1677ff" strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}

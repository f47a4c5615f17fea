import { describe, expect, it } from 'vitest';
import type { ScanRow } from '../storage/schema.ts';
import { localDateTime, scanCsvHeader, scanCsvRows } from './export.ts';

describe('scans as CSV', () => {
  it('writes local wall-clock times, across a daylight-saving change and at midnight', () => {
    const ny = localDateTime('America/New_York');
    // 2026-03-08 is the spring-forward day in New York: 06:59:59Z is 01:59:59 EST, 07:00:00Z is 03:00:00 EDT.
    expect(ny(Date.parse('2026-03-08T06:59:59Z'))).toBe('2026-03-08 01:59:59');
    expect(ny(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08 03:00:00');
    expect(localDateTime('Asia/Shanghai')(Date.parse('2026-11-10T16:00:00Z'))).toBe('2026-11-11 00:00:00');
  });

  it('heads the columns in the chosen language, with the same number of cells as each row', () => {
    const row = { id: 's1', scanned_at: 0, outcome: 'redirect', rule_index: 0, rule_name: null, referrer: '-1+1', new_visitor: 1 } as ScanRow;
    const [line] = scanCsvRows([row], () => 'then').split('\r\n');
    const cells = line!.split(',');
    expect(scanCsvHeader('en').trim().split(',')).toHaveLength(cells.length);
    expect(scanCsvHeader('zh-CN')).toMatch(/^扫码时间,/);
    // An unnamed rule is told by its place as a person counts (first = #1); formula-like text is quoted.
    expect(cells.slice(0, 4)).toEqual(['then', 's1', 'redirect', '#1']);
    expect(cells).toContain("'-1+1");
  });
});

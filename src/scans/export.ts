import type { Lang } from '../i18n/lang.ts';
import { csvRow } from '../shared/csv.ts';
import type { ScanRow } from '../storage/schema.ts';

/** The columns of a scans export, each with its heading in both languages and how a row fills it. */
const COLUMNS: { zh: string; en: string; cell: (s: ScanRow, when: (ms: number) => string) => unknown }[] = [
  { zh: '扫码时间', en: 'Scanned at', cell: (s, when) => when(s.scanned_at) },
  { zh: '扫码ID', en: 'Scan ID', cell: (s) => s.id },
  { zh: '结果', en: 'Outcome', cell: (s) => s.outcome },
  { zh: '命中规则', en: 'Rule', cell: (s) => (s.rule_index === null ? null : (s.rule_name ?? `#${s.rule_index + 1}`)) },
  { zh: '目标', en: 'Destination', cell: (s) => s.destination },
  { zh: '访客ID', en: 'Visitor ID', cell: (s) => s.visitor_id },
  { zh: '新访客', en: 'New visitor', cell: (s) => s.new_visitor },
  { zh: '机器人', en: 'Bot', cell: (s) => s.is_bot },
  { zh: '操作系统', en: 'OS', cell: (s) => s.os },
  { zh: '系统版本', en: 'OS version', cell: (s) => s.os_version },
  { zh: '浏览器', en: 'Browser', cell: (s) => s.browser },
  { zh: '设备类型', en: 'Device type', cell: (s) => s.device_type },
  { zh: '设备品牌', en: 'Device vendor', cell: (s) => s.device_vendor },
  { zh: '设备型号', en: 'Device model', cell: (s) => s.device_model },
  { zh: '微信内', en: 'In WeChat', cell: (s) => s.in_wechat },
  { zh: 'IP（已截断）', en: 'IP (truncated)', cell: (s) => s.ip },
  { zh: '国家', en: 'Country', cell: (s) => s.country },
  { zh: '省份', en: 'Province', cell: (s) => s.province },
  { zh: '城市', en: 'City', cell: (s) => s.city },
  { zh: '来源', en: 'Referrer', cell: (s) => s.referrer },
];

/** Excel and WPS read a CSV as the system's code page unless it starts with a byte order mark: Chinese would turn to mojibake. */
export const CSV_BOM = '\uFEFF';

export const scanCsvHeader = (lang: Lang) => `${csvRow(COLUMNS.map((c) => (lang === 'en' ? c.en : c.zh)))}\r\n`;

/**
 * A scan's local date and time in a zone, as a spreadsheet sorts and parses it ("2026-12-01 09:05:07").
 * One formatter per zone: building one costs more than formatting hundreds of rows.
 */
export function localDateTime(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  return (ms) => format.format(ms);
}

/** Rows of a scans export; the flags are written 1/0, as a spreadsheet counts them. */
export function scanCsvRows(rows: readonly ScanRow[], when: (ms: number) => string): string {
  let out = '';
  for (const s of rows) out += `${csvRow(COLUMNS.map((c) => c.cell(s, when)))}\r\n`;
  return out;
}

import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { csvRow, csvText } from '../shared/csv.ts';
import { createStoreSchema, type CreateStoreInput } from './model.ts';

/** Column names as exported, with the Chinese headings people also use. */
const COLUMNS: Record<string, keyof CsvStore> = {
  name: 'name', 门店名称: 'name', 名称: 'name',
  province: 'province', 省份: 'province', 省: 'province',
  city: 'city', 城市: 'city', 市: 'city',
  district: 'district', 区县: 'district', 区: 'district',
  address: 'address', 地址: 'address',
  lat: 'lat', 纬度: 'lat',
  lng: 'lng', 经度: 'lng',
  staff_ids: 'staffIds', 员工: 'staffIds',
  area_tag: 'areaTag', 属地标签: 'areaTag',
};
type CsvStore = Pick<CreateStoreInput, 'name' | 'province' | 'city' | 'district' | 'address' | 'lat' | 'lng' | 'staffIds' | 'areaTag'>;
export const EXPORT_COLUMNS = ['id', 'name', 'province', 'city', 'district', 'address', 'lat', 'lng', 'staff_ids', 'area_tag'] as const;

export interface RowProblem {
  /** 1-based, the header being row 1: the number a spreadsheet shows. */
  row: number;
  field: string;
  reason: string;
}

export type ParsedRow = { row: number; store: CreateStoreInput };
export type ParsedCsv = { rows: ParsedRow[]; problems: RowProblem[]; total: number } | { tooManyRows: true };

/** Rows one import may hold (the body limit bounds its bytes): the largest chains have some 50,000 stores. */
export const MAX_IMPORT_ROWS = 100_000;

/**
 * Rows of a store CSV (UTF-8, BOM allowed, header first) checked one by one: each good row as a
 * store to create, each bad one with its row number, field and reason. Coordinates are in
 * `coordSystem` for the whole file.
 */
export function parseStoreCsv(text: string, coordSystem: CreateStoreInput['coordSystem'], maxRows = MAX_IMPORT_ROWS): ParsedCsv {
  let records: string[][];
  try {
    // Reading stops one row past the limit: enough to know the file is too long.
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, to: maxRows + 2 });
  } catch (error) {
    return { rows: [], problems: [{ row: 0, field: 'file', reason: `not readable as CSV: ${(error as Error).message}` }], total: 0 };
  }
  const [header, ...body] = records;
  if (body.length > maxRows) return { tooManyRows: true };
  if (!header) return { rows: [], problems: [{ row: 0, field: 'file', reason: 'empty file' }], total: 0 };
  const fields = header.map((h) => COLUMNS[h.trim().toLowerCase()] ?? COLUMNS[h.trim()] ?? null);
  const missing = (['name', 'province', 'city', 'address', 'lat', 'lng'] as const).filter((f) => !fields.includes(f));
  if (missing.length > 0) {
    return { rows: [], problems: [{ row: 1, field: missing[0]!, reason: `the header has no ${missing.join(', ')} column` }], total: body.length };
  }
  const rows: ParsedRow[] = [];
  const problems: RowProblem[] = [];
  body.forEach((cells, i) => {
    const row = i + 2;
    const raw: Record<string, unknown> = { coordSystem };
    fields.forEach((f, c) => {
      const cell = csvText(cells[c] ?? '');
      if (f === null || cell === '') return;
      raw[f] =
        f === 'lat' || f === 'lng' ? (Number.isFinite(Number(cell)) ? Number(cell) : cell)
        : f === 'staffIds' ? cell.split(/[;；,，\s]+/).filter(Boolean)
        : cell;
    });
    const parsed = createStoreSchema.safeParse(raw);
    if (parsed.success) rows.push({ row, store: parsed.data });
    else problems.push({ row, ...firstIssue(parsed.error) });
  });
  return { rows, problems, total: body.length };
}

function firstIssue(error: z.ZodError): { field: string; reason: string } {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || 'row';
  return { field: field === 'staffIds' || field.startsWith('staffIds.') ? 'staff_ids' : field, reason: issue.message };
}

/** Stores as CSV, in the same columns the import reads (with a BOM, so spreadsheet programs see UTF-8). */
export function storesToCsv(stores: Record<(typeof EXPORT_COLUMNS)[number], unknown>[]): string {
  return `\uFEFF${[csvRow(EXPORT_COLUMNS), ...stores.map((s) => csvRow(EXPORT_COLUMNS.map((c) => s[c])))].join('\r\n')}\r\n`;
}

import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, csvText } from './csv.ts';

describe('CSV cells', () => {
  it('starts text a spreadsheet would run as a formula with a quote', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const text of ['+86 21', '-1+2', '@SUM(A1)', '\tx', '\r=1', "'=1"]) expect(csvCell(text).replace(/^"/, ''), text).toMatch(/^'/);
    expect(csvRow(['徐汇店', 'a,b', null, -31.5, "'quoted"])).toBe(`徐汇店,"a,b",,-31.5,'quoted`);
  });

  it('reads back exactly the text it wrote, whatever it was', () => {
    const chars = fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '"', ',', '\n', 'a', '店', ' ');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: chars, maxLength: 8 }), { minLength: 1, maxLength: 4 }), (cells) => {
        const [read] = parse(`${csvRow(cells)}\r\n`, { relax_column_count: true }) as string[][];
        expect(read!.map(csvText)).toEqual(cells);
        // And nothing read by a spreadsheet as a formula.
        for (const cell of read!) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });
});

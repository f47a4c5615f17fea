/**
 * Text a spreadsheet (Excel, WPS, LibreOffice) would run as a formula (OWASP "CSV injection"),
 * after any quotes this module put there before: so that a value which itself starts with quotes
 * and then one of these characters also gains one, and reading back takes exactly one off.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

/**
 * One CSV cell as every CSV the server writes spells it: text that would run as a formula starts
 * with a single quote (spreadsheets then show it as text), and the cell is quoted when it holds a
 * comma, quote or line break. Numbers are written as they are: they cannot be a formula.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' && FORMULA_LIKE.test(value) ? `'${value}` : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: readonly unknown[]) => cells.map(csvCell).join(',');

/**
 * A cell read back from a CSV (already unquoted): the quote `csvCell` put before formula-like text
 * taken off again. Unambiguous, since `csvCell` adds one to every such value, quotes included; a
 * spreadsheet's own leading quote means the same (text, not a formula) and is not saved by it.
 */
export const csvText = (cell: string) => (/^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

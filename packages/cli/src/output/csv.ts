// CSV text with deterministic number formatting (shortest round-trip; empty for NaN).

/** A CSV cell: numbers print in their shortest round-trip form, NaN and null as empty. */
export type Cell = string | number | null | undefined;

/** One CSV cell's text. */
export function cell(x: Cell): string {
  if (x === null || x === undefined) return '';
  if (typeof x === 'number')
    return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? '' : x > 0 ? 'inf' : '-inf';
  return /[",\n\r]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
}

/** One CSV line (no line end). */
export function csvLine(row: readonly Cell[]): string {
  return row.map(cell).join(',');
}

/** CSV text: a header line, then one line per row, `\n` line ends, final newline. */
export function toCsv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const parts = [header.map(cell).join(',')];
  for (const r of rows) parts.push(r.map(cell).join(','));
  return `${parts.join('\n')}\n`;
}

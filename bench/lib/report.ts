// Rows of the benchmark table, their targets and statuses, and plain-text table rendering.
import { stats, type Samples, type Stats } from './measure.js';

/** A target: the median must be at most (or below) `value`, in the row's unit. */
export interface Target {
  readonly op: '<=' | '<' | '>=';
  readonly value: number;
}

export interface Row {
  readonly name: string;
  readonly unit: string;
  readonly stats: Stats;
  readonly target?: Target;
  readonly status: 'ok' | 'MISS' | '-';
  readonly note?: string;
}

function status(median: number, target: Target | undefined): Row['status'] {
  if (target === undefined) return '-';
  const met =
    target.op === '<='
      ? median <= target.value
      : target.op === '>='
        ? median >= target.value
        : median < target.value;
  return met ? 'ok' : 'MISS';
}

/** A row from timed samples. */
export function row(
  name: string,
  unit: string,
  samples: Samples,
  target?: Target,
  note?: string,
): Row {
  const s = stats(samples);
  return {
    name,
    unit,
    stats: s,
    status: status(s.median, target),
    ...(target !== undefined ? { target } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

/** A row for a single figure (a size, a ratio, a one-off timing). */
export function figure(
  name: string,
  unit: string,
  value: number,
  target?: Target,
  note?: string,
): Row {
  return row(name, unit, { cold: NaN, warm: [value] }, target, note);
}

/** A number for the table: about four significant digits, no exponent. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
  return x.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function fmtInt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

/** Render rows of cells as an aligned text table (numbers right-aligned). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => /^[-\d,.]*$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The main results table. */
export function resultsTable(rows: readonly Row[]): string {
  return table(
    ['benchmark', 'unit', 'median', 'min', 'max', 'runs', 'cold', 'target', 'status', 'note'],
    rows.map((r) => [
      r.name,
      r.unit,
      fmt(r.stats.median),
      r.stats.runs > 1 ? fmt(r.stats.min) : '',
      r.stats.runs > 1 ? fmt(r.stats.max) : '',
      String(r.stats.runs),
      fmt(r.stats.cold),
      r.target === undefined ? '' : `${r.target.op} ${fmt(r.target.value)}`,
      r.status,
      r.note ?? '',
    ]),
  );
}

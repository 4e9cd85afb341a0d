// Price series for historical replay and block bootstrap: read the CSV a scenario names into the
// scenario itself, so the resolved scenario re-runs without the file and its hash covers the data.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ScenarioError, quote } from '@contagion/core';

interface SeriesSpec {
  prices?: unknown;
  file?: unknown;
  column?: unknown;
  dateColumn?: unknown;
  from?: unknown;
  to?: unknown;
  source?: unknown;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * For every `prices.<asset>.replay` or `.bootstrap` that names a `file` and gives no `prices`, read
 * the file (relative to the scenario file) and write its prices and their `source` into the spec.
 * Rows are taken in file order, those dated `from`..`to` (inclusive, compared as text: ISO dates)
 * when given. Throws a ScenarioError naming the scenario, the path and the problem.
 */
export function readSeries(doc: unknown, scenarioFile: string): void {
  if (!isRecord(doc) || !isRecord(doc['prices'])) return;
  for (const [asset, spec] of Object.entries(doc['prices'])) {
    if (!isRecord(spec)) continue;
    for (const key of ['replay', 'bootstrap'] as const) {
      const s = spec[key];
      if (!isRecord(s) || s['prices'] !== undefined || typeof s['file'] !== 'string') continue;
      fill(s as SeriesSpec, scenarioFile, `prices.${asset}.${key}`);
    }
  }
}

function fill(s: SeriesSpec, scenarioFile: string, at: string): void {
  const fail = (message: string): never => {
    throw new ScenarioError(scenarioFile, [{ path: `${at}.file`, message }]);
  };
  const path = resolve(dirname(scenarioFile), s.file as string);
  const shown = relative(process.cwd(), path) || path;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail(
      `cannot read ${quote(shown)}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  let parsed: { record: string[]; info: { lines: number } }[] = [];
  try {
    parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    fail(`${shown}: not valid CSV (${(e as Error).message})`);
  }
  const rows = parsed.map((p) => p.record);
  const header = rows[0] ?? [];
  const column = typeof s.column === 'string' ? s.column : 'price';
  const dateColumn = typeof s.dateColumn === 'string' ? s.dateColumn : 'date';
  const c = header.indexOf(column);
  if (c < 0) fail(`${shown} has no column ${quote(column)} (header: ${header.join(',')})`);
  const d = header.indexOf(dateColumn);
  const from = typeof s.from === 'string' ? s.from : undefined;
  const to = typeof s.to === 'string' ? s.to : undefined;
  if ((from !== undefined || to !== undefined) && d < 0)
    fail(`${shown} has no date column ${quote(dateColumn)} to select ${from ?? ''}..${to ?? ''}`);
  const prices: number[] = [];
  let first = '';
  let last = '';
  for (let r = 1; r < rows.length; r++) {
    const date = d >= 0 ? (rows[r]![d] ?? '') : '';
    const line = parsed[r]!.info.lines;
    // Bounds compare the date's first characters, so `to: 2024-01-31` keeps `2024-01-31 12:00`.
    if (from !== undefined && date.slice(0, from.length) < from) continue;
    if (to !== undefined && date.slice(0, to.length) > to) continue;
    if (d >= 0 && prices.length > 0 && date < last)
      fail(
        `${shown}, line ${line}: dates must ascend (a replay runs forward), got ${quote(date)} after ${quote(last)}`,
      );
    const cell = rows[r]![c] ?? '';
    const x = Number(cell);
    if (cell === '' || !(Number.isFinite(x) && x > 0))
      fail(`${shown}, line ${line}, column ${column}: must be a price > 0, got ${quote(cell)}`);
    if (prices.length === 0) first = date;
    last = date;
    prices.push(x);
  }
  if (prices.length < 2)
    fail(
      `${shown}: ${prices.length} rows selected${from || to ? ` (${from ?? ''}..${to ?? ''})` : ''}, need at least 2`,
    );
  s.prices = prices;
  // The file as the scenario names it (not as seen from where the command runs): the resolved
  // scenario, and its hash, do not depend on the working directory.
  s.source = `${s.file as string}, column ${column}${d >= 0 ? `, ${first}..${last}` : ''}, ${prices.length} rows`;
}

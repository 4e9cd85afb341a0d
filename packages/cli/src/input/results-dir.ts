// Read a run's output folder back (summary.json, graph.json and the CSVs) for the renderer, with
// errors that name the file, the line and column, and the bad value.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ContagionError, quote } from '@contagion/core';
import { HEALTH_BANDS, type Summary } from '@contagion/sim';
import type { GraphData, RunData } from '@contagion/viz';
import { NETWORK_COLUMNS, ROUND_COLUMNS, STEP_COLUMNS } from '../output/results.js';

/** A result file that cannot be read or does not hold what `contagion run` writes. */
export function badResult(file: string, message: string): ContagionError {
  return new ContagionError('invalid-argument', `${file}: ${message}`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const older = /(network|rounds)\.csv$/.test(file)
      ? ' (folders written by contagion 0.1.0 before pictures lack it: run the scenario again)'
      : '';
    const why =
      code === 'ENOENT'
        ? `no such file${older}`
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : (e as Error).message;
    throw badResult(file, why);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badResult(file, `not valid JSON (${(e as Error).message})`);
  }
}

type Kind = 'number' | 'string';

/** Parse a CSV written by `contagion run`: every listed column must be there, numbers must parse. */
export function readCsv<T>(file: string, columns: Readonly<Record<string, Kind>>): T[] {
  const text = readText(file);
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    throw badResult(file, `not valid CSV (${(e as Error).message})`);
  }
  const header = records[0] ?? [];
  const at = new Map<string, number>();
  for (const name of Object.keys(columns)) {
    const i = header.indexOf(name);
    if (i < 0) throw badResult(file, `missing column ${quote(name)} (header: ${header.join(',')})`);
    at.set(name, i);
  }
  const out: T[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    const row: Record<string, number | string> = {};
    for (const [name, kind] of Object.entries(columns)) {
      const cell = rec[at.get(name)!] ?? '';
      if (kind === 'string') row[name] = cell;
      else {
        const x =
          cell === ''
            ? NaN
            : cell === 'inf'
              ? Infinity
              : cell === '-inf'
                ? -Infinity
                : Number(cell);
        if (cell !== '' && Number.isNaN(x))
          throw badResult(file, `line ${r + 1}, column ${name}: not a number: ${quote(cell)}`);
        row[name] = x;
      }
    }
    out.push(row as T);
  }
  return out;
}

const numbers = (names: readonly string[], strings: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, strings.includes(n) ? 'string' : 'number'] as const));

function checkSummary(file: string, x: unknown): Summary {
  const s = x as Partial<Summary> | null;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    typeof s.scenario?.name === 'string' &&
    Number.isInteger(s.seed) &&
    Number.isInteger(s.steps) &&
    s.steps! >= 0;
  if (!ok)
    throw badResult(file, 'not a summary.json of `contagion run` (scenario.name, seed, steps)');
  return s as Summary;
}

function checkGraph(file: string, x: unknown): GraphData {
  const g = x as Partial<GraphData> | null;
  if (g === null || typeof g !== 'object' || !Array.isArray(g.nodes) || !Array.isArray(g.edges))
    throw badResult(file, 'not a graph.json of `contagion run` (nodes and edges lists)');
  g.nodes.forEach((n, i) => {
    if (typeof n?.key !== 'string' || typeof n.attributes?.kind !== 'string')
      throw badResult(file, `nodes[${i}]: needs a key and attributes.kind, got ${quote(n)}`);
  });
  const keys = new Set(g.nodes.map((n) => n.key));
  g.edges.forEach((e, i) => {
    if (!keys.has(e?.source) || !keys.has(e?.target) || typeof e.attributes?.kind !== 'string')
      throw badResult(file, `edges[${i}]: source and target must be nodes, got ${quote(e)}`);
  });
  return g as GraphData;
}

/** Read the output folder of `contagion run` for rendering. */
export function readRunDir(dir: string): RunData {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw badResult(dir, 'no such folder (give the output folder of `contagion run`)');
  }
  if (!isDir) throw badResult(dir, 'is a file, not the output folder of `contagion run`');
  const f = (name: string) => join(dir, name);
  const summary = checkSummary(f('summary.json'), readJson(f('summary.json')));
  const graph = checkGraph(f('graph.json'), readJson(f('graph.json')));
  const steps = readCsv<RunData['steps'][number]>(
    f('steps.csv'),
    numbers(STEP_COLUMNS, ['venue', 'kind']),
  );
  const prices = readCsv<RunData['prices'][number]>(f('prices.csv'), {
    step: 'number',
    asset: 'string',
    source: 'string',
    price: 'number',
  });
  const network = readCsv<RunData['network'][number]>(
    f('network.csv'),
    numbers(NETWORK_COLUMNS, ['node', 'venue', 'band']),
  );
  network.forEach((r, i) => {
    if (!(HEALTH_BANDS as readonly string[]).includes(r.band))
      throw badResult(
        f('network.csv'),
        `line ${i + 2}, column band: unknown band ${quote(r.band)}`,
      );
  });
  const rounds = readCsv<RunData['rounds'][number]>(
    f('rounds.csv'),
    numbers(ROUND_COLUMNS, ['venue']),
  );
  for (const [name, rows] of [
    ['steps.csv', steps],
    ['prices.csv', prices],
    ['network.csv', network],
    ['rounds.csv', rounds],
  ] as const) {
    rows.forEach((r, i) => {
      if (!Number.isInteger(r.step) || r.step < 0 || r.step > summary.steps)
        throw badResult(
          f(name),
          `line ${i + 2}, column step: ${quote(r.step)} is not a step of this run (0 to ${summary.steps})`,
        );
    });
  }
  return { summary, graph, steps, prices, network, rounds };
}

// Read a run's output folder back (summary.json, graph.json and the CSVs) for the renderer, with
// errors that name the file, the line and column, and the bad value.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ContagionError, MAX_STEPS, quote } from '@contagion/core';
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

/**
 * What a column holds: `string`; `number` (any number, empty for "does not apply", `inf`);
 * `count` (a whole number >= 0); `amount` (a finite number >= 0); `price` (finite, > 0).
 */
type Kind = 'string' | 'number' | 'count' | 'amount' | 'price';

const KIND_RULE: Readonly<
  Record<Exclude<Kind, 'string' | 'number'>, [(x: number) => boolean, string]>
> = {
  count: [(x) => Number.isInteger(x) && x >= 0, 'a whole number >= 0'],
  amount: [(x) => Number.isFinite(x) && x >= 0, 'a finite number >= 0'],
  price: [(x) => Number.isFinite(x) && x > 0, 'a finite number > 0'],
};

/** Parse a CSV written by `contagion run`: every listed column must be there, numbers must parse. */
export function readCsv<T>(file: string, columns: Readonly<Record<string, Kind>>): T[] {
  const text = readText(file);
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as string[][];
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
        if (kind !== 'number' && !KIND_RULE[kind][0](x))
          throw badResult(
            file,
            `line ${r + 1}, column ${name}: must be ${KIND_RULE[kind][1]}, got ${quote(cell)}`,
          );
        row[name] = x;
      }
    }
    out.push(row as T);
  }
  return out;
}

/** Column kinds: `number` unless listed. */
const columns = (
  names: readonly string[],
  kinds: Readonly<Record<string, Kind>>,
): Record<string, Kind> => Object.fromEntries(names.map((n) => [n, kinds[n] ?? 'number']));

// The parts of summary.json the renderer reads (the JSON Schema in docs/ describes all of it).
// JSON has no NaN: ratios that do not apply were written as null.
const ratioOrNull = z.number().nullable();
const usdByName = z.record(z.string(), z.number());
const summarySchema = z.looseObject({
  scenario: z.looseObject({ name: z.string(), hash: z.string() }),
  seed: z.number().int().min(0),
  version: z.string(),
  nodeMajor: z.number(),
  steps: z.number().int().min(0).max(MAX_STEPS),
  stepLength: z.string(),
  accounts: z.number().int().min(0),
  positions: z.number().int().min(0),
  liquidations: z.looseObject({
    count: z.number().int().min(0),
    notional: z.number(),
    byVenue: z.record(z.string(), z.looseObject({ count: z.number(), notional: z.number() })),
    untakenAtEnd: z.number().nullable(),
    gasUsd: z.number(),
  }),
  agents: z.looseObject({
    sells: z.number(),
    repaidUsd: z.number(),
    levers: z.number(),
    borrowedUsd: z.number(),
  }),
  pegs: z.record(
    z.string(),
    z.looseObject({
      peg: z.string(),
      pools: z.record(
        z.string(),
        z.looseObject({ start: z.number(), trough: z.number(), depth: z.number() }),
      ),
    }),
  ),
  circuitBreakers: z.record(
    z.string(),
    z.looseObject({ haltedSteps: z.number(), firstHalt: z.number().nullable() }),
  ),
  rounds: z.number(),
  waves: z.number(),
  prices: z.record(
    z.string(),
    z.looseObject({
      start: z.number(),
      exogenousDrawdown: z.number(),
      realisedDrawdown: z.number(),
      amplification: ratioOrNull,
    }),
  ),
  badDebt: z.looseObject({ total: z.number(), byVenue: usdByName, latent: usdByName }),
  byChannel: z.record(
    z.string(),
    z.record(z.string(), z.looseObject({ liquidated: z.number(), badDebt: z.number() })),
  ),
  reach: z.looseObject({ venuesReached: z.array(z.string()), contagionDepth: z.number() }),
  leverage: z.looseObject({
    system: z.looseObject({ start: ratioOrNull, end: ratioOrNull, peak: ratioOrNull }),
    rehypothecation: z.looseObject({ start: ratioOrNull, end: ratioOrNull }),
  }),
  conservation: z.looseObject({ ok: z.boolean() }),
});

function checkSummary(file: string, x: unknown): Summary {
  const r = summarySchema.safeParse(x);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw badResult(
      file,
      `${path === '' ? '' : `${path}: `}${issue.message} (not a summary.json of \`contagion run\`?)`,
    );
  }
  return x as Summary;
}

const NODE_KINDS = new Set(['asset', 'venue', 'account', 'cluster']);
const EDGE_KINDS = new Set([
  'deposit',
  'supply',
  'borrow',
  'issues',
  'accepts',
  'pool-holds',
  'tracks',
]);

function checkGraph(file: string, x: unknown): GraphData {
  const g = x as Partial<GraphData> | null;
  if (g === null || typeof g !== 'object' || !Array.isArray(g.nodes) || !Array.isArray(g.edges))
    throw badResult(file, 'not a graph.json of `contagion run` (nodes and edges lists)');
  g.nodes.forEach((n, i) => {
    if (typeof n?.key !== 'string' || typeof n.attributes?.label !== 'string')
      throw badResult(file, `nodes[${i}]: needs a key and attributes.label, got ${quote(n)}`);
    if (!NODE_KINDS.has(n.attributes.kind))
      throw badResult(
        file,
        `nodes[${i}].attributes.kind: must be one of ${[...NODE_KINDS].join(', ')}, got ${quote(n.attributes.kind)}`,
      );
  });
  const keys = new Set(g.nodes.map((n) => n.key));
  g.edges.forEach((e, i) => {
    if (typeof e?.attributes !== 'object' || e.attributes === null)
      throw badResult(file, `edges[${i}]: needs attributes (kind, asset), got ${quote(e)}`);
    if (!EDGE_KINDS.has(e.attributes.kind))
      throw badResult(
        file,
        `edges[${i}].attributes.kind: must be one of ${[...EDGE_KINDS].join(', ')}, got ${quote(e.attributes.kind)}`,
      );
    if (typeof e.attributes.asset !== 'string')
      throw badResult(
        file,
        `edges[${i}].attributes.asset: must be an asset id, got ${quote(e.attributes.asset)}`,
      );
    for (const end of ['source', 'target'] as const)
      if (!keys.has(e[end]))
        throw badResult(file, `edges[${i}].${end}: ${quote(e[end])} is not a node of this graph`);
  });
  return g as GraphData;
}

/** Read the output folder of `contagion run` for rendering. */
export function readRunDir(dir: string): RunData {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw badResult(
      dir,
      'no such folder (give the output folder of `contagion run`, or of `contagion sweep` for report)',
    );
  }
  if (!isDir) throw badResult(dir, 'is a file, not the output folder of `contagion run`');
  const f = (name: string) => join(dir, name);
  const summary = checkSummary(f('summary.json'), readJson(f('summary.json')));
  const graph = checkGraph(f('graph.json'), readJson(f('graph.json')));
  const keys = new Set(graph.nodes.map((n) => n.key));
  const steps = readCsv<RunData['steps'][number]>(
    f('steps.csv'),
    columns(STEP_COLUMNS, { step: 'count', venue: 'string', kind: 'string' }),
  );
  const prices = readCsv<RunData['prices'][number]>(f('prices.csv'), {
    step: 'count',
    asset: 'string',
    source: 'string',
    price: 'price',
  });
  const network = readCsv<RunData['network'][number]>(
    f('network.csv'),
    columns(NETWORK_COLUMNS, {
      step: 'count',
      node: 'string',
      venue: 'string',
      band: 'string',
      positions: 'count',
      collateralValue: 'amount',
      debtValue: 'amount',
      liquidated: 'count',
      badDebt: 'count',
    }),
  );
  network.forEach((r, i) => {
    const at = `line ${i + 2}`;
    if (!(HEALTH_BANDS as readonly string[]).includes(r.band))
      throw badResult(f('network.csv'), `${at}, column band: unknown band ${quote(r.band)}`);
    if (!keys.has(r.node))
      throw badResult(
        f('network.csv'),
        `${at}, column node: ${quote(r.node)} is not a node of graph.json (were both written by one run?)`,
      );
  });
  const rounds = readCsv<RunData['rounds'][number]>(
    f('rounds.csv'),
    columns(ROUND_COLUMNS, {
      step: 'count',
      round: 'count',
      venue: 'string',
      liquidations: 'count',
      liquidatedValue: 'amount',
      badDebt: 'amount',
      shock: 'count',
      price: 'count',
      value: 'count',
    }),
  );
  for (const [name, rows] of [
    ['steps.csv', steps],
    ['prices.csv', prices],
    ['network.csv', network],
    ['rounds.csv', rounds],
  ] as const) {
    rows.forEach((r, i) => {
      if (r.step > summary.steps)
        throw badResult(
          f(name),
          `line ${i + 2}, column step: ${quote(r.step)} is not a step of this run (0 to ${summary.steps})`,
        );
    });
  }
  return { summary, graph, steps, prices, network, rounds };
}

// Sweeps: Monte Carlo over seeded replicates, crossed with a grid or a Latin hypercube over any
// scenario parameter named by its path. Pure: plans and runs; threads and files are the CLI's.
import {
  InvalidArgumentError,
  ScenarioError,
  buildModel,
  formatPath,
  stream,
  validateScenario,
  type RawPath,
  type Scenario,
} from '@contagion/core';
import { createRunner, type Runner } from '../run/simulate.js';
import type { Summary } from '../metrics/summary.js';

/** A parameter's value in a sweep: what a scenario field holds. */
export type ParamValue = number | string | boolean;

/** A grid axis: a scenario path and the values it takes. */
export interface GridAxis {
  readonly path: string;
  readonly values: readonly ParamValue[];
}

/** A Latin-hypercube axis: a scenario path and the interval [lo, hi] it is sampled over. */
export interface LhsAxis {
  readonly path: string;
  readonly lo: number;
  readonly hi: number;
}

/** What to sweep. */
export interface SweepSpec {
  /** Replicates per cell: replicate i draws its price and agent streams from (seed, i). */
  readonly runs: number;
  /** Master seed (default: the scenario's). */
  readonly seed?: number;
  /** Grid axes, crossed with each other (the first varies slowest). */
  readonly grid?: readonly GridAxis[];
  /** Latin-hypercube axes and the number of samples, crossed with the grid. */
  readonly lhs?: readonly LhsAxis[];
  readonly samples?: number;
  /** Draw the population afresh per replicate too, from (seed, i) (default: fixed). */
  readonly resamplePopulation?: boolean;
}

/** A cell: one assignment of the parameters (its scenario: {@link cellScenario}). */
export interface SweepCell {
  readonly index: number;
  readonly params: readonly ParamValue[];
}

/** Parquet-friendly kinds of the row columns. */
export type ColumnKind = 'int' | 'number' | 'boolean' | 'string';

/** A cell of a run row: numbers, booleans, strings; null where the metric is undefined. */
export type RowValue = number | string | boolean | null;

/** A planned sweep: every cell checked, the columns fixed, nothing run yet. */
export interface SweepPlan {
  readonly file: string;
  readonly seed: number;
  /** The scenario every cell starts from (the master seed set), and the parameters' places in it. */
  readonly base: Scenario;
  readonly paths: readonly RawPath[];
  readonly runs: number;
  readonly resamplePopulation: boolean;
  readonly grid: readonly GridAxis[];
  readonly lhs: readonly LhsAxis[];
  readonly samples: number;
  /** Parameter names (paths), grid axes then hypercube axes. */
  readonly parameters: readonly string[];
  readonly cells: readonly SweepCell[];
  readonly totalRuns: number;
  /** Every column of a run row, and its kind: run, cell, replicate, seed, parameters, metrics. */
  readonly columns: readonly string[];
  readonly kinds: readonly ColumnKind[];
}

/** Most cells a sweep may plan (each holds a scenario). */
export const MAX_CELLS = 100_000;

/** Summary fields that describe the run rather than measure it, left out of the rows. */
const NOT_METRICS = new Set([
  'scenario',
  'seed',
  'version',
  'nodeMajor',
  'steps',
  'stepLength',
  'accounts',
  'positions',
  'reach.venues',
  'reach.materiality',
  'conservation.tolerance',
  'conservation.assets',
]);

/**
 * The summary as (name, value) pairs in its own key order: nested objects joined with dots, the
 * list of venues reached as one string ("a|b"), text fields and those in NOT_METRICS left out. The keys do not
 * depend on what happened in the run, so every run of a sweep has the same columns.
 */
export function flattenSummary(summary: Summary): [string[], RowValue[]] {
  const names: string[] = [];
  const values: RowValue[] = [];
  const walk = (x: unknown, path: string): void => {
    if (NOT_METRICS.has(path)) return;
    if (Array.isArray(x)) {
      names.push(path);
      values.push(x.map(String).join('|'));
    } else if (x !== null && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) walk(v, path === '' ? k : `${path}.${k}`);
    } else if (typeof x !== 'string') {
      // Text is description (an asset's id, a venue's quote), the same in every run: left out.
      names.push(path);
      values.push(typeof x === 'number' || typeof x === 'boolean' ? x : null);
    }
  };
  walk(summary, '');
  return [names, values];
}

// Paths: `venues.lendA.assets.ETH.liquidationThreshold`, `populations[1].count`. Ids may hold
// dots, so a name is matched against the longest run of segments that names an entry.

interface Segment {
  readonly name?: string;
  readonly index?: number;
}

function segments(path: string): Segment[] | undefined {
  const out: Segment[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) return undefined;
    if (m[1] !== '') out.push({ name: m[1]! });
    else if (m[2] === '' || out.length === 0) return undefined;
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) out.push({ index: Number(i[1]) });
  }
  return out.length === 0 ? undefined : out;
}

function describe(x: unknown): string {
  if (Array.isArray(x)) {
    const ids = x.map((e, i) =>
      e !== null && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string'
        ? (e as { id: string }).id
        : e !== null && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string'
          ? (e as { name: string }).name
          : `[${i}]`,
    );
    return `entries: ${ids.join(', ') || 'none'}`;
  }
  if (x !== null && typeof x === 'object') return `keys: ${Object.keys(x).join(', ') || 'none'}`;
  return `a value, ${JSON.stringify(x)}`;
}

/**
 * Resolve `path` in the (validated) scenario `doc` to keys and indices, or throw an
 * InvalidArgumentError naming the part that names nothing and what is there instead. The path must
 * end at a value (a number, string or boolean), not an object or a list.
 */
export function resolvePath(doc: unknown, path: string): RawPath {
  const segs = segments(path);
  if (segs === undefined) throw new InvalidArgumentError(`"${path}" is not a scenario path`);
  const out: PropertyKey[] = [];
  let cur: unknown = doc;
  for (let j = 0; j < segs.length;) {
    const s = segs[j]!;
    const here = out.length === 0 ? 'the scenario' : formatPath(doc, out);
    if (s.index !== undefined) {
      if (!Array.isArray(cur) || s.index >= cur.length)
        throw new InvalidArgumentError(`${path}: ${here} has no [${s.index}] (${describe(cur)})`);
      out.push(s.index);
      cur = cur[s.index];
      j++;
      continue;
    }
    // The longest run of names from j that names an entry (by id) or a key.
    let found = false;
    for (let k = segs.length; k > j && !found; k--) {
      if (segs.slice(j, k).some((x) => x.name === undefined)) continue;
      const name = segs
        .slice(j, k)
        .map((x) => x.name!)
        .join('.');
      if (Array.isArray(cur)) {
        // Entries by id (venues, assets, accounts) or name (populations).
        const i = cur.findIndex(
          (e) =>
            e !== null &&
            typeof e === 'object' &&
            ((e as { id?: unknown }).id === name || (e as { name?: unknown }).name === name),
        );
        if (i < 0) continue;
        out.push(i);
        cur = cur[i];
      } else if (cur !== null && typeof cur === 'object' && Object.hasOwn(cur, name)) {
        out.push(name);
        cur = (cur as Record<string, unknown>)[name];
      } else continue;
      j = k;
      found = true;
    }
    if (!found)
      throw new InvalidArgumentError(
        `${path}: ${here} has no ${Array.isArray(cur) ? 'entry' : 'field'} "${s.name!}" (${describe(cur)})`,
      );
  }
  if (cur === null || typeof cur === 'object')
    throw new InvalidArgumentError(
      `${path} names ${Array.isArray(cur) ? 'a list' : 'an object'}, not a value (${describe(cur)})`,
    );
  return out;
}

function setAt(doc: unknown, path: RawPath, value: ParamValue): void {
  let cur = doc as Record<PropertyKey, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k as string] as Record<PropertyKey, unknown>;
  cur[path[path.length - 1] as string] = value;
}

/** Latin-hypercube samples: per axis, one draw in each of `k` strata, strata shuffled (seeded). */
export function latinHypercube(seed: number, axes: readonly LhsAxis[], k: number): number[][] {
  const cols = axes.map((a) => {
    const u = stream(seed, `sweep/lhs/${a.path}`);
    const perm = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    return perm.map((p) => a.lo + ((p + u()) / k) * (a.hi - a.lo));
  });
  return Array.from({ length: k }, (_, i) => cols.map((c) => c[i]!));
}

function checkSpec(spec: SweepSpec): void {
  if (!(Number.isInteger(spec.runs) && spec.runs >= 1))
    throw new InvalidArgumentError(`--runs must be a whole number >= 1, got ${spec.runs}`, 'runs');
  const lhs = spec.lhs ?? [];
  if (lhs.length > 0 && !(Number.isInteger(spec.samples) && (spec.samples ?? 0) >= 1))
    throw new InvalidArgumentError('--lhs needs --samples K (a whole number >= 1)', 'samples');
  if (lhs.length === 0 && spec.samples !== undefined)
    throw new InvalidArgumentError('--samples is for --lhs axes; none given', 'samples');
  const seen = new Set<string>();
  for (const a of [...(spec.grid ?? []), ...lhs]) {
    if (seen.has(a.path)) throw new InvalidArgumentError(`${a.path} is swept twice`);
    seen.add(a.path);
  }
  for (const a of spec.grid ?? [])
    if (a.values.length === 0) throw new InvalidArgumentError(`--grid ${a.path}: no values`);
  for (const a of lhs)
    if (!(Number.isFinite(a.lo) && Number.isFinite(a.hi) && a.lo <= a.hi))
      throw new InvalidArgumentError(`--lhs ${a.path}: lo:hi must be numbers with lo <= hi`);
}

function flagOf(spec: SweepSpec, path: string, value: ParamValue): string {
  const inGrid = (spec.grid ?? []).some((a) => a.path === path);
  return `${inGrid ? '--grid' : '--lhs'} ${path}=${String(value)}`;
}

/** The value at a resolved path. */
function valueOf(doc: unknown, path: RawPath): unknown {
  let cur = doc as Record<PropertyKey, unknown>;
  for (const key of path) cur = cur[key as string] as Record<PropertyKey, unknown>;
  return cur as unknown;
}

/** The scenario of cell `c`: the plan's base with the cell's parameters set, validated. */
export function cellScenario(plan: SweepPlan, c: number): Scenario {
  const cell = plan.cells[c]!;
  const doc = structuredClone(plan.base) as unknown;
  cell.params.forEach((v, k) => setAt(doc, plan.paths[k]!, v));
  return validateScenario(doc, plan.file);
}

/**
 * Plan a sweep of `base` (a validated scenario): every cell's scenario built and checked, and the
 * columns fixed, before anything runs. A path that names nothing (or a place named twice), a
 * value the scenario refuses, or a cell whose model cannot be built throws an InvalidArgumentError
 * naming the flag, the path and the value. Each cell's model is run for no step to find its
 * metrics; the columns are their union in first-seen order (a cell that lacks a metric, say a
 * reserve made borrowable only in other cells, has it empty).
 */
export function planSweep(base: Scenario, file: string, spec: SweepSpec): SweepPlan {
  checkSpec(spec);
  const seed = spec.seed ?? base.seed;
  const grid = spec.grid ?? [];
  const lhs = spec.lhs ?? [];
  const samples = lhs.length > 0 ? spec.samples! : 0;
  const seeded = { ...base, seed };
  const axes = [...grid, ...lhs];
  const paths = axes.map((a, k) => {
    try {
      return resolvePath(seeded, a.path);
    } catch (e) {
      if (!(e instanceof InvalidArgumentError)) throw e;
      throw new InvalidArgumentError(`${k < grid.length ? '--grid' : '--lhs'} ${e.message}`);
    }
  });
  const where = new Map<string, string>();
  paths.forEach((p, k) => {
    const key = JSON.stringify(p);
    if (key === JSON.stringify(['seed']))
      throw new InvalidArgumentError(
        `${k < grid.length ? '--grid' : '--lhs'} ${axes[k]!.path}: runs already differ by seed (replicate i draws from (seed, i)); set the master seed with --seed`,
      );
    const other = where.get(key);
    if (other !== undefined)
      throw new InvalidArgumentError(`${axes[k]!.path} and ${other} name the same place`);
    where.set(key, axes[k]!.path);
  });
  // Hypercube axes over whole-number fields, with whole-number bounds, take whole numbers.
  const whole = lhs.map((a, k) => {
    const v = valueOf(seeded, paths[grid.length + k]!);
    return Number.isInteger(v) && Number.isInteger(a.lo) && Number.isInteger(a.hi);
  });
  // Cells: the grid's product (first axis slowest), each crossed with the hypercube's samples.
  let assignments: ParamValue[][] = [[]];
  for (const a of grid) assignments = assignments.flatMap((p) => a.values.map((v) => [...p, v]));
  if (lhs.length > 0) {
    const points = latinHypercube(seed, lhs, samples).map((x) =>
      x.map((v, k) => (whole[k] ? Math.round(v) : v)),
    );
    assignments = assignments.flatMap((p) => points.map((x) => [...p, ...x]));
  }
  if (assignments.length > MAX_CELLS)
    throw new InvalidArgumentError(
      `the sweep has ${assignments.length} cells: at most ${MAX_CELLS}`,
    );
  const parameters = axes.map((a) => a.path);
  const cells = assignments.map((params, index): SweepCell => ({ index, params }));
  const shell = { file, base: seeded, paths, cells } as unknown as SweepPlan;
  const names: string[] = [];
  const kindOf = new Map<string, ColumnKind>();
  for (const c of cells) {
    const which = c.params.map((v, k) => flagOf(spec, parameters[k]!, v)).join(' ');
    c.params.forEach((v, k) => {
      const before = valueOf(seeded, paths[k]!);
      if (typeof before !== typeof v)
        throw new InvalidArgumentError(
          `${flagOf(spec, parameters[k]!, v)}: ${parameters[k]} holds a ${typeof before} (${JSON.stringify(before)}), got a ${typeof v}`,
        );
    });
    let probe: Summary;
    try {
      const model = buildModel(cellScenario(shell, c.index), file);
      probe = createRunner(model).run({ steps: 0, record: false, exactAudit: false }).summary;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      throw new InvalidArgumentError(`${which === '' ? '' : `${which}: `}${e.message}`);
    }
    const [metrics, sample] = flattenSummary(probe);
    metrics.forEach((m, k) => {
      if (kindOf.has(m)) return;
      const v = sample[k];
      kindOf.set(
        m,
        typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : 'number',
      );
      names.push(m);
    });
  }
  const fixed = ['run', 'cell', 'replicate', 'seed'];
  for (const p of parameters)
    if (fixed.includes(p) || kindOf.has(p))
      throw new InvalidArgumentError(`${p}: a column of that name is already in every row`);
  const paramKinds = (cells[0]?.params ?? []).map((v): ColumnKind =>
    typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string',
  );
  return {
    file,
    seed,
    base: seeded,
    paths,
    runs: spec.runs,
    resamplePopulation: spec.resamplePopulation ?? false,
    grid,
    lhs,
    samples,
    parameters,
    cells,
    totalRuns: cells.length * spec.runs,
    columns: [...fixed, ...parameters, ...names],
    kinds: ['int', 'int', 'int', 'int', ...paramKinds, ...names.map((m) => kindOf.get(m)!)],
  };
}

/** Cell and replicate of run `r`: runs go cell by cell, replicates 0..runs-1 in each. */
export function runPosition(plan: SweepPlan, r: number): { cell: number; replicate: number } {
  return { cell: Math.floor(r / plan.runs), replicate: r % plan.runs };
}

/** The runs shard `index` of `count` does: r = index, index + count, ... (balanced over cells). */
export function shardRuns(plan: SweepPlan, index: number, count: number): number[] {
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0))
    throw new InvalidArgumentError(`a shard is i/n with 0 <= i < n, got ${index}/${count}`);
  if (index >= count)
    throw new InvalidArgumentError(`a shard is i/n with 0 <= i < n, got ${index}/${count}`);
  const out: number[] = [];
  for (let r = index; r < plan.totalRuns; r += count) out.push(r);
  return out;
}

/** Runs a plan's runs one at a time, keeping the current cell's compiled model between runs. */
export interface SweepRunner {
  /** The row of run `r`, aligned with the plan's columns. */
  run(r: number): RowValue[];
}

/** A runner for `plan` (in this thread; the CLI gives each worker thread its own). */
export function createSweepRunner(plan: SweepPlan): SweepRunner {
  let cached: { cell: number; runner: Runner } | undefined;
  let scenario: { cell: number; scenario: Scenario } | undefined;
  const first = 4 + plan.parameters.length;
  const slot = new Map(plan.columns.slice(first).map((name, k) => [name, first + k]));
  const scenarioOf = (cell: number): Scenario => {
    if (scenario?.cell !== cell) scenario = { cell, scenario: cellScenario(plan, cell) };
    return scenario.scenario;
  };
  return {
    run(r: number): RowValue[] {
      if (!(Number.isInteger(r) && r >= 0 && r < plan.totalRuns))
        throw new InvalidArgumentError(`run ${r} is not in [0, ${plan.totalRuns})`);
      const { cell, replicate } = runPosition(plan, r);
      const c = plan.cells[cell]!;
      let runner: Runner;
      if (plan.resamplePopulation) {
        // The population of replicate i comes from (seed, i) too: a model per run.
        runner = createRunner(
          buildModel(scenarioOf(cell), plan.file, { populationReplicate: replicate }),
        );
      } else {
        if (cached?.cell !== cell)
          cached = { cell, runner: createRunner(buildModel(scenarioOf(cell), plan.file)) };
        runner = cached.runner;
      }
      // The audit in compensated floats: the same verdict at a fraction of the decimals' cost.
      const summary = runner.run({ replicate, record: false, exactAudit: false }).summary;
      const [names, values] = flattenSummary(summary);
      const row: RowValue[] = new Array<RowValue>(plan.columns.length).fill(null);
      row[0] = r;
      row[1] = cell;
      row[2] = replicate;
      row[3] = plan.seed;
      c.params.forEach((v, k) => (row[4 + k] = v));
      names.forEach((name, k) => {
        const at = slot.get(name);
        if (at === undefined)
          throw new Error(
            `run ${r}: the summary has a metric ${name} that no cell had at the start`,
          );
        row[at] = values[k]!;
      });
      return row;
    },
  };
}

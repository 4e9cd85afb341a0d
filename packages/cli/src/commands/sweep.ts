// `contagion sweep` and `contagion merge`: seeded Monte Carlo crossed with a grid or a Latin
// hypercube, over worker threads and shards, resumable; shards merged into the same bytes.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { ContagionError } from '@contagion/core';
import {
  ENGINE_VERSION,
  DEFAULT_CASCADE_SIZES,
  planSweep,
  shardRuns,
  type GridAxis,
  type LhsAxis,
  type ParamValue,
  type SweepPlan,
  type SweepStats,
} from '@contagion/sim';
import { writeOutputs } from '../output/atomic.js';
import { scenarioHash } from '../output/hash.js';
import { openJournal, JOURNAL } from '../sweep/journal.js';
import { executeRuns } from '../sweep/pool.js';
import {
  identityHash,
  rowLine,
  sweepFiles,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  type Manifest,
  type SweepIdentity,
} from '../sweep/outputs.js';
import { readScenario } from './load.js';

/** Options of `contagion sweep`, as parsed. */
export interface SweepCommandOptions {
  readonly runs: number;
  readonly grid?: readonly GridAxis[];
  readonly lhs?: readonly LhsAxis[];
  readonly samples?: number;
  readonly seed?: number;
  readonly steps?: number;
  readonly workers?: number;
  readonly out?: string;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly resamplePopulation?: boolean;
  readonly confidence?: readonly number[];
  readonly cascadeSizes?: readonly number[];
  readonly progress?: boolean;
  /** Take over the folder's lock even when another host holds it (a rerun task on a new node). */
  readonly takeOver?: boolean;
}

/** Parse `path=v1,v2,...` (values: numbers, true/false, or text). */
export function gridFlag(value: string, previous: GridAxis[] = []): GridAxis[] {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1)
    throw new InvalidArgumentError(`--grid must be path=v1,v2,..., got "${value}"`);
  const path = value.slice(0, eq).trim();
  const values = value
    .slice(eq + 1)
    .split(',')
    .map((t): ParamValue => {
      const s = t.trim();
      if (s === 'true' || s === 'false') return s === 'true';
      const x = Number(s);
      return s !== '' && Number.isFinite(x) ? x : s;
    });
  if (values.some((v) => v === ''))
    throw new InvalidArgumentError(`--grid ${path}: an empty value in "${value}"`);
  return [...previous, { path, values }];
}

/** Parse `path=lo:hi`. */
export function lhsFlag(value: string, previous: LhsAxis[] = []): LhsAxis[] {
  const m = /^([^=]+)=([^:]+):([^:]+)$/.exec(value);
  const lo = m === null ? NaN : Number(m[2]);
  const hi = m === null ? NaN : Number(m[3]);
  if (m === null || !Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi)
    throw new InvalidArgumentError(`--lhs must be path=lo:hi with lo <= hi, got "${value}"`);
  return [...previous, { path: m[1]!.trim(), lo, hi }];
}

/** Parse `i/n` (0-based i in [0, n)). */
export function shardFlag(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (m === null || !(count >= 1) || !(index < count))
    throw new InvalidArgumentError(
      `--shard must be i/n with 0 <= i < n (0-based, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX count), got "${value}"`,
    );
  return { index, count };
}

/** Default output folder: `out/<scenario>-sweep`, with the shard for a shard. */
function defaultOut(file: string, shard: SweepCommandOptions['shard']): string {
  const name = `${basename(file, extname(file))}-sweep`;
  return join('out', shard === undefined ? name : `${name}-shard-${shard.index}-of-${shard.count}`);
}

function identityOf(
  file: string,
  plan: SweepPlan,
  base: { name: string; hash: string },
  o: SweepCommandOptions,
): SweepIdentity {
  return {
    version: ENGINE_VERSION,
    nodeMajor: Number(process.versions.node.split('.')[0]),
    // The file's name, not its path: shards started from other folders are the same sweep (the
    // hash covers the content).
    scenario: { file: basename(file), name: base.name, hash: base.hash },
    seed: plan.seed,
    runs: plan.runs,
    grid: plan.grid,
    lhs: plan.lhs,
    samples: plan.samples,
    resamplePopulation: plan.resamplePopulation,
    parameters: plan.parameters,
    cells: plan.cells.length,
    totalRuns: plan.totalRuns,
    columns: plan.columns.map((name, k) => ({ name, kind: plan.kinds[k]! })),
    stats: {
      confidence: o.confidence ?? [0.95, 0.99],
      cascadeSizes: o.cascadeSizes ?? [...DEFAULT_CASCADE_SIZES],
      dropBin: 0.05,
    },
  };
}

/** A progress bar on stderr with the rate and ETA (only on a terminal). */
function progressBar(enabled: boolean, total: number, done: number) {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'sweep {bar} {value}/{total} runs | {speed} runs/s | eta {eta_formatted}',
    hideCursor: true,
    etaBuffer: 200,
  });
  const started = performance.now();
  bar.start(total, done, { speed: '0' });
  return {
    update: (n: number) => {
      const s = (performance.now() - started) / 1000;
      bar.update(n, { speed: s > 0 ? ((n - done) / s).toFixed(0) : '0' });
    },
    stop: () => bar.stop(),
  };
}

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : Math.abs(x) >= 1e6
      ? `${(x / 1e6).toFixed(2)}M`
      : Math.abs(x) >= 1e3
        ? `${(x / 1e3).toFixed(1)}k`
        : x.toFixed(Math.abs(x) < 1 && x !== 0 ? 2 : 0);

/** The per-cell table a sweep prints (the first 30 cells; all are in cells.csv). */
export function statsTable(parameters: readonly string[], s: SweepStats): string {
  const q = s.confidence[0] ?? 0.95;
  const head = [
    'cell',
    ...parameters,
    'runs',
    'liq notional p50',
    'p99',
    `bad debt VaR${q}`,
    `CVaR${q}`,
    'P(bad debt>0)',
  ];
  const rows = s.cells
    .slice(0, 30)
    .map((c) => [
      String(c.cell),
      ...c.params.map((v) =>
        typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v),
      ),
      String(c.runs),
      fmt(c.cascade.p50),
      fmt(c.cascade.p99),
      fmt(c.badDebt.risk[0]!.var),
      fmt(c.badDebt.risk[0]!.cvar),
      c.badDebt.lossProbability.toFixed(3),
    ]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((x, k) => (k <= parameters.length ? x.padEnd(widths[k]!) : x.padStart(widths[k]!)))
      .join('  ');
  const more = s.cells.length > 30 ? `  ... ${s.cells.length - 30} more cells in cells.csv\n` : '';
  return `${[line(head), ...rows.map(line)].map((l) => `  ${l}`).join('\n')}\n${more}`;
}

/** What a sweep did: the text to print and the figures behind it. */
export interface SweepOutcome {
  readonly text: string;
  readonly outDir: string;
  /** Runs computed now (not resumed), in `seconds` of wall time on `workers` threads. */
  readonly ran: number;
  readonly seconds: number;
  readonly workers: number;
  readonly peakHeapPerWorker: number;
}

/** Run the sweep; resolves to the text to print. */
export async function sweepCommand(file: string, o: SweepCommandOptions): Promise<string> {
  return (await runSweep(file, o)).text;
}

/** Run the sweep (see `sweepCommand`), with its figures. */
export async function runSweep(file: string, o: SweepCommandOptions): Promise<SweepOutcome> {
  // The figures' settings are checked before anything runs.
  for (const q of o.confidence ?? [])
    if (!(q > 0 && q < 1))
      throw new ContagionError(
        'invalid-argument',
        `--confidence: each level must be in (0, 1), got ${q}`,
      );
  const sizes = o.cascadeSizes ?? [];
  if (sizes.some((x) => !Number.isFinite(x)) || new Set(sizes).size !== sizes.length)
    throw new ContagionError('invalid-argument', '--cascade-sizes: finite sizes, each once');
  const { scenario } = readScenario(file, {
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.steps === undefined ? {} : { steps: o.steps }),
  });
  const plan = planSweep(scenario, file, {
    runs: o.runs,
    grid: o.grid ?? [],
    lhs: o.lhs ?? [],
    ...(o.samples === undefined ? {} : { samples: o.samples }),
    resamplePopulation: o.resamplePopulation ?? false,
  });
  const id = identityOf(file, plan, { name: scenario.name, hash: scenarioHash(scenario) }, o);
  const identity = identityHash(id);
  const shard = o.shard ?? null;
  const mine = shard === null ? shardRuns(plan, 0, 1) : shardRuns(plan, shard.index, shard.count);
  const outDir = o.out ?? defaultOut(file, o.shard);
  const where = shard === null ? '' : ` (shard ${shard.index}/${shard.count})`;
  if (existsSync(join(outDir, 'summary.json')))
    throw new ContagionError(
      'usage',
      `${outDir} holds the outputs of a run (summary.json): give a sweep its own --out`,
    );
  // A finished folder of the same sweep, its rows intact: nothing to do.
  const done = readManifestIfAny(outDir);
  if (
    done !== undefined &&
    done.identity === identity &&
    JSON.stringify(done.shard) === JSON.stringify(shard) &&
    !existsSync(join(outDir, JOURNAL)) &&
    rowsIntact(outDir, done)
  )
    return {
      text: `sweep${where} already complete in ${outDir}: ${done.rowCount} runs\n`,
      outDir,
      ran: 0,
      seconds: 0,
      workers: 0,
      peakHeapPerWorker: 0,
    };
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new ContagionError(
      'usage',
      `${outDir}: cannot create the output folder: ${(e as Error).message}`,
    );
  }
  // The journal is of this sweep and this shard: another shard's rows are never taken for ours.
  const journal = openJournal(
    outDir,
    `${identity} ${shard === null ? 'all' : `${shard.index}/${shard.count}`}`,
    o.takeOver ?? false,
  );
  const resumed = journal.rows.size;
  const todo = mine.filter((r) => !journal.rows.has(r));
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), todo.length || 1));
  const bar = progressBar(o.progress ?? true, mine.length, mine.length - todo.length);
  const t0 = performance.now();
  let stats;
  try {
    stats = await executeRuns(plan, todo, workers, (rows) => {
      journal.append(rows.map((r) => ({ run: r[0] as number, line: rowLine(r) })));
      bar.update(journal.rows.size);
    });
  } finally {
    bar.stop();
    journal.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const rows = journal.rows;
  const wanted = new Set(mine);
  if (rows.size !== mine.length || [...rows.keys()].some((r) => !wanted.has(r)))
    throw new ContagionError(
      'invariant',
      `${outDir}: the journal holds ${rows.size} runs, the sweep${where} ${mine.length}`,
    );
  const out = sweepFiles(id, shard, rows);
  writeOutputs(outDir, out.files);
  rmSync(join(outDir, JOURNAL), { force: true });
  // A report of an earlier sweep in this folder no longer describes it.
  rmSync(join(outDir, 'report.html'), { force: true });
  const lines = [
    `sweep of ${file}${where}: ${plan.cells.length} cell${plan.cells.length === 1 ? '' : 's'} x ${plan.runs} runs = ${plan.totalRuns} runs, seed ${plan.seed}`,
    `  ran ${todo.length} runs on ${workers} worker${workers === 1 ? '' : 's'} in ${seconds.toFixed(1)} s${todo.length > 0 ? ` (${(todo.length / Math.max(seconds, 1e-9)).toFixed(0)} runs/s)` : ''}${resumed > 0 ? `; ${resumed} resumed from an earlier start${journal.dropped > 0 ? ' (a torn last line dropped)' : ''}` : ''}; peak heap per worker ${(stats.peakHeapPerWorker / 2 ** 20).toFixed(0)} MiB`,
    statsTable(plan.parameters, out.stats).trimEnd(),
    `wrote runs.csv, runs.parquet, cells.csv, lar.csv, manifest.json to ${outDir} (rows sha256 ${out.manifest.checksum.runsCsv.slice(0, 12)})`,
  ];
  return {
    text: `${lines.join('\n')}\n`,
    outDir,
    ran: todo.length,
    seconds,
    workers,
    peakHeapPerWorker: stats.peakHeapPerWorker,
  };
}

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.literal(MANIFEST_VERSION),
  identity: z.string(),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).nullable(),
  rowCount: z.number().int(),
  checksum: z.object({ algorithm: z.literal('sha256'), runsCsv: z.string() }),
  columns: z.array(
    z.object({ name: z.string(), kind: z.enum(['int', 'number', 'boolean', 'string']) }),
  ),
  totalRuns: z.number().int(),
});

/** Whether `dir/runs.csv` is still the one `m` describes. */
function rowsIntact(dir: string, m: Manifest): boolean {
  try {
    const text = readFileSync(join(dir, 'runs.csv'));
    return createHash('sha256').update(text).digest('hex') === m.checksum.runsCsv;
  } catch {
    return false;
  }
}

function readManifestIfAny(dir: string): Manifest | undefined {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  try {
    return readManifest(dir);
  } catch {
    return undefined;
  }
}

/** Read and check `dir/manifest.json`. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ContagionError(
      'invalid-argument',
      `${path}: ${code === 'ENOENT' ? 'no such file (not a sweep folder)' : `not JSON: ${(e as Error).message}`}`,
    );
  }
  const r = manifestSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ContagionError(
      'invalid-argument',
      `${path}: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
  }
  const m = raw as Manifest;
  const { format, formatVersion, identity, shard, rowCount, checksum, ...id } = m;
  void format;
  void formatVersion;
  void shard;
  void rowCount;
  void checksum;
  if (identityHash(id) !== identity)
    throw new ContagionError(
      'invalid-argument',
      `${path}: identity does not match the sweep it describes (edited?)`,
    );
  return m;
}

/** Join shard folders into one sweep folder, byte-identical to the single-machine sweep. */
export function mergeCommand(dirs: readonly string[], o: { out: string }): string {
  if (dirs.length === 0) throw new ContagionError('usage', 'merge: give the shard folders');
  const manifests = dirs.map((d) => readManifest(d));
  const first = manifests[0]!;
  const count = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  manifests.forEach((m, k) => {
    const d = dirs[k]!;
    if (m.identity !== first.identity)
      throw new ContagionError(
        'invalid-argument',
        `${d}: another sweep than ${dirs[0]} (identity ${m.identity.slice(0, 12)} vs ${first.identity.slice(0, 12)}: scenario, seed, runs, grid, version or Node major differ)`,
      );
    const s = m.shard ?? { index: 0, count: 1 };
    if (s.count !== count)
      throw new ContagionError(
        'invalid-argument',
        `${d}: shard ${s.index}/${s.count}, but ${dirs[0]} is one of ${count}`,
      );
    if (seen.has(s.index))
      throw new ContagionError(
        'invalid-argument',
        `${d}: shard ${s.index}/${count} is also in ${seen.get(s.index)}`,
      );
    seen.set(s.index, d);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new ContagionError(
      'invalid-argument',
      `merge: shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`,
    );
  const lines = new Map<number, string>();
  manifests.forEach((m, k) => {
    const path = join(dirs[k]!, 'runs.csv');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ContagionError('invalid-argument', `${path}: ${(e as Error).message}`);
    }
    const sum = createHash('sha256').update(text).digest('hex');
    if (sum !== m.checksum.runsCsv)
      throw new ContagionError(
        'invalid-argument',
        `${path}: its SHA-256 is not the manifest's (changed or cut short since the shard wrote it)`,
      );
    const body = text.split('\n').slice(1, -1);
    if (body.length !== m.rowCount)
      throw new ContagionError(
        'invalid-argument',
        `${path}: ${body.length} rows, the manifest says ${m.rowCount}`,
      );
    for (const line of body) {
      const run = Number(line.slice(0, line.indexOf(',')));
      if (lines.has(run))
        throw new ContagionError('invalid-argument', `${path}: run ${run} is in two shards`);
      lines.set(run, line);
    }
  });
  if (lines.size !== first.totalRuns)
    throw new ContagionError(
      'invalid-argument',
      `merge: the shards hold ${lines.size} runs, the sweep ${first.totalRuns}`,
    );
  const { format, formatVersion, identity, shard, rowCount, checksum, ...id } = first;
  void format;
  void formatVersion;
  void identity;
  void shard;
  void rowCount;
  void checksum;
  const out = sweepFiles(id, null, lines);
  writeOutputs(o.out, out.files);
  return `merged ${dirs.length} shard${dirs.length === 1 ? '' : 's'} (${lines.size} runs) into ${o.out} (rows sha256 ${out.manifest.checksum.runsCsv.slice(0, 12)})\n${statsTable(id.parameters, out.stats)}`;
}

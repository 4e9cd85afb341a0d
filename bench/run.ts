// `pnpm bench`: engine benchmarks (not part of the tests). Prints a table of warm medians (cold runs
// apart) and writes the figures to out/bench/latest.json. See bench/README.md.
//
//   pnpm bench                      everything (a few minutes on 2 cores)
//   pnpm bench --runs 9             warm runs per heavy figure (default 5; health pass: 5x this)
//   pnpm bench --only health,cascade,quiet,mixed,scale,cli,render
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { basename, dirname } from 'node:path';
import { writeOutputs } from '../packages/cli/src/output/atomic.js';
import { median, stats } from './lib/measure.js';
import { figure, fmt, fmtInt, resultsTable, row, table, type Row } from './lib/report.js';
import { CASCADE_FILE, MIXED_FILE, QUIET_FILE } from './lib/scenarios.js';
import { cascade, type CascadeResult } from './sections/cascade.js';
import { cliPhases, cliRun, cliStart, nodeStart, type Phase } from './sections/cli.js';
import { healthPass, type HealthPassResult } from './sections/health-pass.js';
import { render, RENDER_FILE } from './sections/render.js';
import { sweepBench, SWEEP_FILE } from './sections/sweep.js';
import { networkBench } from './sections/network.js';

const SECTIONS = [
  'health',
  'cascade',
  'quiet',
  'mixed',
  'scale',
  'cli',
  'render',
  'sweep',
  'network',
] as const;
type Section = (typeof SECTIONS)[number];

const OUT = 'out/bench/latest.json';

/** Targets from the issue (ms unless said otherwise). */
const TARGET = {
  cascadeMs: 100,
  quietMs: 35,
  bytesPerRow: 64,
  cliMs: 5000,
  /** "Seconds, not minutes" for the default scenario's report. */
  reportMs: 10_000,
  /** Sweep runs per second on this 2-core machine (2 workers). */
  sweepRunsPerSecond: 1000,
  /** Clearing and DebtRank on 10,000 nodes and 100,000 edges. */
  networkMs: 1000,
} as const;

function parseArgs(argv: readonly string[]): { runs: number; only: Set<Section> } {
  let runs = 5;
  let only = new Set<Section>(SECTIONS);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--') continue;
    else if (a === '--runs') {
      runs = Number(value());
      if (!Number.isInteger(runs) || runs < 5)
        throw new Error('--runs must be a whole number >= 5');
    } else if (a === '--only') {
      const names = value().split(',');
      for (const n of names)
        if (!(SECTIONS as readonly string[]).includes(n))
          throw new Error(`--only: unknown section "${n}" (sections: ${SECTIONS.join(', ')})`);
      only = new Set(names as Section[]);
    } else throw new Error(`unknown argument "${a}" (use --runs N, --only a,b)`);
  }
  return { runs, only };
}

function log(s = ''): void {
  process.stdout.write(`${s}\n`);
}

function progress(s: string): void {
  process.stderr.write(`bench: ${s}\n`);
}

function mib(bytes: number): string {
  return `${fmt(bytes / 2 ** 20)} MiB`;
}

function usd(x: number): string {
  return `$${fmtInt(x)}`;
}

function gitCommit(): string | null {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'packages'], { encoding: 'utf8' });
  return `${r.stdout.trim()}${dirty.stdout.trim() === '' ? '' : ' + uncommitted packages/ changes'}`;
}

function healthRows(h: HealthPassResult): Row[] {
  return h.levels.flatMap((l) => {
    const ratio = median(l.engineNs.warm) / median(l.plainNs.warm);
    const share = `${fmt(l.eligibleShare * 100)}% rows eligible`;
    return [
      row(
        `health pass, scanMarket, ${l.label}`,
        'ns/row',
        l.engineNs,
        undefined,
        `${fmt(ratio)}x plain loop; ${share}`,
      ),
      row(`health pass, plain typed-array loop, ${l.label}`, 'ns/row', l.plainNs, undefined, share),
    ];
  });
}

function cascadeRows(c: CascadeResult, target: number | undefined, withBytes: boolean): Row[] {
  const w = c.work;
  const rows: Row[] = [
    row(
      `${c.label}: runner.run({ record: true })`,
      'ms',
      c.run,
      target === undefined ? undefined : { op: '<=', value: target },
      `${fmtInt(w.liquidations)} liquidations, ${w.rounds} rounds`,
    ),
    row(`${c.label}: resetState alone (part of the run)`, 'ms', c.reset),
    figure(
      `${c.label}: model generation (buildModel, apart)`,
      'ms',
      c.buildMs,
      undefined,
      `validate ${fmt(c.validateMs)} ms, compile ${fmt(c.compileMs)} ms`,
    ),
  ];
  if (withBytes) {
    rows.push(
      figure(
        `${c.label}: kernel state, bytesPerRow(runner.state)`,
        'B/row',
        c.bytesPerRow,
        { op: '<=', value: TARGET.bytesPerRow },
        `${fmt(c.stateBytesPerAccount)} B/account (${fmtInt(w.rows)} rows / ${fmtInt(w.accounts)} accounts)`,
      ),
      figure(
        `${c.label}: event log, events.byteLength / accounts (apart)`,
        'B/account',
        c.eventBytesPerAccount,
        undefined,
        `${fmt(c.eventsPerAccount)} events/account; buffers, not length`,
      ),
    );
  }
  return rows;
}

function workTable(cs: readonly CascadeResult[]): string {
  return table(
    [
      'run',
      'accounts',
      'rows',
      'liquidations',
      'per account',
      'rounds',
      'calls per round',
      'bad debt',
      'pool drawdown',
      'conservation',
    ],
    cs.map((c) => {
      const w = c.work;
      return [
        c.label,
        fmtInt(w.accounts),
        fmtInt(w.rows),
        fmtInt(w.liquidations),
        fmt(w.liquidationsPerAccount),
        String(w.rounds),
        w.perRound.map(fmtInt).join(' '),
        usd(w.badDebtUsd),
        `${fmt(w.poolDrawdown * 100)}%`,
        w.conservationOk ? 'ok' : 'FAILED',
      ];
    }),
  );
}

function memoryTable(cs: readonly CascadeResult[]): string {
  return table(
    ['model', 'book B/account', 'heapUsed delta', 'arrayBuffers delta', 'rss delta'],
    cs.map((c) => [
      c.label,
      fmt(c.modelBookBytesPerAccount),
      mib(c.buildMemory.heapUsed),
      mib(c.buildMemory.arrayBuffers),
      mib(c.buildMemory.rss),
    ]),
  );
}

function phasesTable(phases: readonly Phase[]): string {
  const total = phases.reduce((s, p) => s + p.ms, 0);
  return table(
    ['phase', 'ms', 'share', 'size'],
    [
      ...phases.map((p) => [
        p.name,
        fmt(p.ms),
        `${fmt((p.ms / total) * 100)}%`,
        p.bytes === undefined ? '' : mib(p.bytes),
      ]),
      ['total', fmt(total), '100.0%', ''],
    ],
  );
}

function ratioRow(name: string, big: CascadeResult, small: CascadeResult): Row {
  const r = stats(big.run).median / stats(small.run).median;
  const work = big.work.liquidations / Math.max(1, small.work.liquidations);
  return figure(
    name,
    'ratio',
    r,
    { op: '<=', value: 4.4 },
    `linear = 4; liquidations ratio ${fmt(work)}`,
  );
}

const USAGE = `usage: pnpm bench [--runs N] [--only ${SECTIONS.join(',')}]`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    log(USAGE);
    return;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { runs, only } = args;
  const started = performance.now();
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const runsOf: CascadeResult[] = [];
  log(
    `contagion bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${runs} warm runs per figure (cold run apart)`,
  );

  if (only.has('health')) {
    progress('health pass (builds a 1M-row market)');
    const h = healthPass(runs * 5);
    results['healthPass'] = h;
    rows.push(...healthRows(h));
  }
  let c1: CascadeResult | undefined;
  let q1: CascadeResult | undefined;
  if (only.has('cascade') || only.has('scale')) {
    progress(`cascade, 1M accounts (${CASCADE_FILE})`);
    c1 = cascade('cascade 1M', CASCADE_FILE, 1, runs);
    runsOf.push(c1);
    rows.push(...cascadeRows(c1, TARGET.cascadeMs, true));
  }
  if (only.has('quiet') || only.has('scale')) {
    progress(`quiet shock, 1M accounts (${QUIET_FILE})`);
    q1 = cascade('quiet 1M', QUIET_FILE, 1, runs);
    runsOf.push(q1);
    rows.push(...cascadeRows(q1, TARGET.quietMs, false));
  }
  if (only.has('mixed')) {
    progress(`cascade with every venue and mechanic kind, 1M accounts (${MIXED_FILE})`);
    const m1 = cascade('mixed 1M', MIXED_FILE, 1, runs);
    runsOf.push(m1);
    rows.push(...cascadeRows(m1, undefined, true));
  }
  if (only.has('scale') && c1 !== undefined && q1 !== undefined) {
    progress('cascade, 4M accounts');
    const c4 = cascade('cascade 4M', CASCADE_FILE, 4, runs);
    runsOf.push(c4);
    rows.push(...cascadeRows(c4, undefined, true));
    progress('quiet shock, 4M accounts');
    const q4 = cascade('quiet 4M', QUIET_FILE, 4, runs);
    runsOf.push(q4);
    rows.push(...cascadeRows(q4, undefined, false));
    rows.push(ratioRow('cascade 4M / 1M (warm medians)', c4, c1));
    rows.push(ratioRow('quiet 4M / 1M (warm medians)', q4, q1));
  }
  results['runs'] = runsOf;

  let phases: Phase[] | undefined;
  if (only.has('cli')) {
    progress('process start');
    rows.push(row('process start: node -e 0 (apart)', 'ms', nodeStart(runs)));
    rows.push(row('CLI start: tsx main.ts --version (apart)', 'ms', cliStart(runs)));
    progress(`whole CLI run of ${CASCADE_FILE}, ${runs + 1} spawns`);
    rows.push(
      row(
        `CLI: tsx main.ts run ${CASCADE_FILE} (wall, spawned)`,
        'ms',
        cliRun(runs),
        { op: '<', value: TARGET.cliMs },
        'generation and file writing included',
      ),
    );
    progress('CLI pipeline, phase by phase (in process, once)');
    phases = cliPhases();
    results['cliPhases'] = phases;
  }

  if (only.has('render')) {
    progress(`pictures of ${RENDER_FILE}`);
    const r = render(runs);
    results['render'] = {
      ...r,
      reportBytes: r.reportBytes,
    };
    rows.push(
      row(`${RENDER_FILE}: runner.run() (no network rows)`, 'ms', r.runPlain),
      row(`${RENDER_FILE}: runner.run({ network: true }) + runDataOf`, 'ms', r.runNetwork),
      row('renderRun: network.svg + 3 charts', 'ms', r.svgs),
      row(`renderRun --all: + ${r.steps + 1} per-step networks`, 'ms', r.svgsAll),
      row(
        'renderReport (HTML string)',
        'ms',
        r.report,
        undefined,
        `${fmt(r.reportBytes / 1024)} KiB`,
      ),
      row(
        `CLI: tsx main.ts report <default run> (wall, spawned)`,
        'ms',
        r.reportCli,
        { op: '<', value: TARGET.reportMs },
        'reads the folder, lays out, writes report.html',
      ),
    );
  }

  if (only.has('sweep')) {
    progress(`sweep throughput of ${SWEEP_FILE} on a GBM path, 1 and 2 workers`);
    const r = await sweepBench(runs);
    results['sweep'] = r;
    const one = median(r.rate[1]!.warm);
    const two = median(r.rate[2]!.warm);
    rows.push(
      row(`sweep ${r.runs} runs, 1 worker (CLI in process)`, 'runs/s', r.rate[1]!),
      row(
        `sweep ${r.runs} runs, 2 workers (CLI in process)`,
        'runs/s',
        r.rate[2]!,
        { op: '>=', value: TARGET.sweepRunsPerSecond },
        `${fmtInt(r.distinct)} distinct rows of ${fmtInt(r.runs)}`,
      ),
      figure('sweep scaling, 2 workers / 1', 'x', two / one, undefined, 'medians'),
      figure(
        'sweep heap per worker (peak V8 heap in use)',
        'MiB',
        r.heapPerWorker[2]! / 2 ** 20,
        undefined,
        `1 worker (this thread): ${mib(r.heapPerWorker[1]!)}`,
      ),
    );
  }

  if (only.has('network')) {
    progress('network measures on 10,000 nodes and 100,000 liabilities');
    const r = networkBench(runs);
    results['network'] = r;
    const size = `${fmtInt(r.nodes)} nodes, ${fmtInt(r.edges)} edges`;
    const target = { op: '<' as const, value: TARGET.networkMs };
    rows.push(
      row(
        `clearing, Eisenberg-Noe pari passu (${size})`,
        'ms',
        r.clearing,
        target,
        `${fmtInt(r.defaulted)} default, ${r.rounds} rounds; least vector too`,
      ),
      row(`clearing, senior external debt (${size})`, 'ms', r.clearingSenior, target),
      row(`clearing, Rogers-Veraart alpha 0.8 beta 0.9 (${size})`, 'ms', r.rogersVeraart, target),
      row(
        `DebtRank, differential, 100 nodes failed (${size})`,
        'ms',
        r.debtRankDifferential,
        target,
      ),
      row(`DebtRank, single-hit (${size})`, 'ms', r.debtRankSingleHit, target),
      row('Gai-Kapadia, 100 draws of 1,000 banks at z = 3', 'ms', r.gaiKapadia),
    );
  }

  log();
  log(resultsTable(rows));
  if (runsOf.length > 0) {
    log();
    log('Work done per run (identical in every run):');
    log(workTable(runsOf));
    log();
    log(
      'Model generation memory: exact book bytes; process deltas across buildModel (no forced GC, so a',
    );
    log('collection of earlier runs can make them negative: indicative only):');
    log(memoryTable(runsOf));
  }
  if (phases !== undefined) {
    log();
    log(`CLI pipeline of ${CASCADE_FILE}, in process, one run (modules already loaded):`);
    log(phasesTable(phases));
  }
  const misses = rows.filter((r) => r.status === 'MISS').map((r) => r.name);
  log();
  const withTarget = rows.filter((r) => r.target !== undefined).length;
  log(
    misses.length > 0
      ? `Targets missed: ${misses.join('; ')}.`
      : withTarget > 0
        ? `All ${withTarget} targets met.`
        : 'No targets in the selected sections.',
  );

  const json = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpu: cpus()[0]?.model ?? null,
    cores: cpus().length,
    totalMemory: totalmem(),
    warmRuns: runs,
    seconds: (performance.now() - started) / 1000,
    table: rows,
    ...results,
  };
  // Temp file then rename, like every contagion output: an interrupted bench keeps the last figures.
  const text = `${JSON.stringify(json, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
  writeOutputs(dirname(OUT), new Map([[basename(OUT), text]]));
  log(`Figures written to ${OUT} (${fmt((performance.now() - started) / 1000)} s in all).`);
}

await main();

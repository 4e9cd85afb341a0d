// `contagion run`: load a scenario, simulate it, write the output folder, print the summary.
import { basename, extname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import {
  buildModel,
  INDIVIDUAL_ACCOUNTS_UP_TO,
  InvalidArgumentError,
  ScenarioError,
} from '@contagion/core';
import { runDataOf } from '@contagion/viz/data';
import { createRunner, positionRows, type SimulationResult } from '@contagion/sim';
import { writeOutputs, type OutputContent } from '../output/atomic.js';
import { scenarioHash } from '../output/hash.js';
import {
  accountsCsv,
  graphJson,
  networkCsv,
  pricesCsv,
  roundsCsv,
  resolvedYaml,
  stepsCsv,
  summaryJson,
} from '../output/results.js';
import { summaryTable } from '../output/table.js';
import { readScenario } from './load.js';
import { eventsCsvChunks, EVENTS_PER_CHUNK } from '../output/events-csv.js';

/** Options of `contagion run` (from flags). */
export interface RunOptions {
  readonly seed?: number;
  readonly steps?: number;
  readonly out?: string;
  readonly json?: boolean;
  readonly auditEachStep?: boolean;
  readonly progress?: boolean;
  /** Also write accounts.csv: every position's final collateral, debt and health. */
  readonly accounts?: boolean;
  /** Add the literature's network measures on the collateral graph to summary.json. */
  readonly networkMeasures?: boolean;
  /** Also draw the run's SVGs (network at the last step and the charts). */
  readonly svg?: boolean;
  /** graph.json and network.csv show accounts one by one up to this many (default 50). */
  readonly individualAccounts?: number;
}

/** What `run` did, for the caller to print and pick an exit code. */
export interface RunOutcome {
  readonly result: SimulationResult;
  readonly outDir: string;
  readonly text: string;
}

/** Default output folder of a scenario: `out/<file name without extension>`. */
export function defaultOutDir(file: string): string {
  return join('out', basename(file, extname(file)));
}

/** A progress bar on stderr over a run's phases; shown once the command has taken a second. */
interface Progress {
  /** Start a phase of `total` units (steps, events). */
  phase(name: string, total: number): void;
  /** `done` units of the current phase are finished. */
  tick(done: number): void;
  stop(): void;
}

function progress(enabled: boolean): Progress {
  const quiet: Progress = { phase: () => {}, tick: () => {}, stop: () => {} };
  if (!enabled || !process.stderr.isTTY) return quiet;
  const started = performance.now();
  let bar: SingleBar | undefined;
  let name = '';
  let total = 0;
  return {
    phase(next, size) {
      name = next;
      total = Math.max(1, size);
      bar?.start(total, 0, { phase: name });
    },
    tick(done) {
      if (bar === undefined) {
        if (performance.now() - started < 1000) return;
        bar = new SingleBar({
          stream: process.stderr,
          format: '{phase} {bar} {value}/{total} eta {eta}s',
          hideCursor: true,
        });
        bar.start(total, 0, { phase: name });
      }
      bar.update(Math.min(done, total));
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Pass `chunks` through, reporting events written (`perChunk` events a chunk, the header first). */
function* counted(chunks: Iterable<string>, perChunk: number, p: Progress): Generator<string> {
  let k = -1;
  for (const chunk of chunks) {
    yield chunk;
    k++;
    if (k > 0) p.tick(k * perChunk);
  }
}

/** Run `file` and write its outputs; throws ScenarioError on bad input before writing anything. */
export async function runCommand(file: string, opts: RunOptions): Promise<RunOutcome> {
  const overrides = {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
  };
  // The bar's clock starts with the command, so slow generation counts toward showing it.
  const bar = progress(opts.progress ?? true);
  const { scenario } = readScenario(file, overrides);
  const model = buildModel(scenario, file);
  const hash = scenarioHash(scenario);
  bar.phase('simulate', scenario.steps);
  let result: SimulationResult;
  const runner = createRunner(model);
  try {
    result = runner.run({
      scenarioHash: hash,
      auditEachStep: opts.auditEachStep ?? false,
      networkMeasures: opts.networkMeasures ?? false,
      network: true,
      individualAccountsUpTo: opts.individualAccounts ?? INDIVIDUAL_ACCOUNTS_UP_TO,
      onStep: (step) => bar.tick(step),
    });
  } catch (e) {
    bar.stop();
    // A run-time consequence of the scenario (an exploding price path) is reported against the file.
    if (e instanceof InvalidArgumentError && e.path !== undefined) {
      throw new ScenarioError(file, [{ path: e.path, message: e.detail }]);
    }
    throw e;
  }
  const outDir = opts.out ?? defaultOutDir(file);
  // What the pictures draw, built once: the graph and the round rows are written from it too.
  const data = runDataOf(result, opts.individualAccounts ?? INDIVIDUAL_ACCOUNTS_UP_TO);
  const files = new Map<string, OutputContent>([
    ['summary.json', summaryJson(result)],
    ['steps.csv', stepsCsv(result)],
    ['prices.csv', pricesCsv(result)],
    ['rounds.csv', roundsCsv(data.rounds)],
    ['network.csv', networkCsv(result)],
    ['events.csv', counted(eventsCsvChunks(result), EVENTS_PER_CHUNK, bar)],
    ['scenario.resolved.yaml', resolvedYaml(scenario)],
    ['graph.json', graphJson(data.graph)],
  ]);
  if (opts.svg === true) {
    // Drawing loads d3 and jsdom (most of a second): only runs that draw pay for it.
    const { renderRun } = await import('@contagion/viz');
    for (const [name, svg] of renderRun(data)) files.set(name, svg);
  }
  if (opts.accounts === true) files.set('accounts.csv', accountsCsv(positionRows(runner.state)));
  bar.phase('write events', result.events.length);
  try {
    writeOutputs(outDir, files);
  } finally {
    bar.stop();
  }
  const text =
    opts.json === true ? summaryJson(result) : `${summaryTable(result.summary, outDir)}\n`;
  return { result, outDir, text };
}

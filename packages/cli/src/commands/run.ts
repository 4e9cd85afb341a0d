// `contagion run`: load a scenario, simulate it, write the output folder, print the summary.
import { basename, extname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { buildModel, InvalidArgumentError, ScenarioError } from '@contagion/core';
import { simulate, type SimulationResult } from '@contagion/sim';
import { writeOutputs, type OutputContent } from '../output/atomic.js';
import { scenarioHash } from '../output/hash.js';
import { graphJson, pricesCsv, resolvedYaml, stepsCsv, summaryJson } from '../output/results.js';
import { summaryTable } from '../output/table.js';
import { readScenario } from './load.js';
import { eventsCsvChunks } from '../output/events-csv.js';

/** Options of `contagion run` (from flags). */
export interface RunOptions {
  readonly seed?: number;
  readonly steps?: number;
  readonly out?: string;
  readonly json?: boolean;
  readonly auditEachStep?: boolean;
  readonly progress?: boolean;
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

function progressBar(enabled: boolean): {
  tick: (step: number, steps: number) => void;
  stop: () => void;
} {
  if (!enabled || !process.stderr.isTTY) return { tick: () => {}, stop: () => {} };
  const started = performance.now();
  let bar: SingleBar | undefined;
  return {
    tick(step, steps) {
      if (bar === undefined) {
        if (performance.now() - started < 1000) return;
        bar = new SingleBar({
          stream: process.stderr,
          format: 'steps {bar} {value}/{total} eta {eta}s',
          hideCursor: true,
        });
        bar.start(steps, step);
      }
      bar.update(step);
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Run `file` and write its outputs; throws ScenarioError on bad input before writing anything. */
export async function runCommand(file: string, opts: RunOptions): Promise<RunOutcome> {
  const overrides = {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.steps !== undefined ? { steps: opts.steps } : {}),
  };
  const { scenario } = readScenario(file, overrides);
  const model = buildModel(scenario, file);
  const hash = scenarioHash(scenario);
  const bar = progressBar(opts.progress ?? true);
  let result: SimulationResult;
  try {
    result = simulate(model, {
      scenarioHash: hash,
      auditEachStep: opts.auditEachStep ?? false,
      onStep: bar.tick,
    });
  } catch (e) {
    // A run-time consequence of the scenario (an exploding price path) is reported against the file.
    if (e instanceof InvalidArgumentError && e.path !== undefined) {
      throw new ScenarioError(file, [{ path: e.path, message: e.detail }]);
    }
    throw e;
  } finally {
    bar.stop();
  }
  const outDir = opts.out ?? defaultOutDir(file);
  const files = new Map<string, OutputContent>([
    ['summary.json', summaryJson(result)],
    ['steps.csv', stepsCsv(result)],
    ['prices.csv', pricesCsv(result)],
    ['events.csv', eventsCsvChunks(result)],
    ['scenario.resolved.yaml', resolvedYaml(scenario)],
    ['graph.json', graphJson(result)],
  ]);
  writeOutputs(outDir, files);
  const text =
    opts.json === true ? summaryJson(result) : `${summaryTable(result.summary, outDir)}\n`;
  return { result, outDir, text };
}

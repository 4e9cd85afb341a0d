// The whole CLI run of the 1M scenario as a user sees it (spawned, wall time), process start apart,
// and one in-process pass through the same pipeline, phase by phase, to show where the time goes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, loadScenario } from '@contagion/core';
import { runDataOf } from '@contagion/viz';
import { simulate, type SimulationResult } from '@contagion/sim';
import { writeOutputs, type OutputContent } from '../../packages/cli/src/output/atomic.js';
import { eventsCsvChunks } from '../../packages/cli/src/output/events-csv.js';
import { scenarioHash } from '../../packages/cli/src/output/hash.js';
import {
  graphJson,
  networkCsv,
  pricesCsv,
  roundsCsv,
  resolvedYaml,
  stepsCsv,
  summaryJson,
} from '../../packages/cli/src/output/results.js';
import { repeat, timeMs, type Samples } from '../lib/measure.js';
import { CASCADE_FILE } from '../lib/scenarios.js';

const TSX = 'node_modules/.bin/tsx';
const MAIN = 'packages/cli/src/main.ts';

function spawnTimed(cmd: string, args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  return ms;
}

/** `node -e 0`: the process start that every CLI run pays before any of our code. */
export function nodeStart(warm: number): Samples {
  return repeat(warm, () => spawnTimed(process.execPath, ['-e', '0']));
}

/** `tsx packages/cli/src/main.ts --version`: start, TypeScript transform and module loading. */
export function cliStart(warm: number): Samples {
  return repeat(warm, () => spawnTimed(TSX, [MAIN, '--version']));
}

/** `tsx packages/cli/src/main.ts run <file> --out <tmp> --no-progress`, wall time. */
export function cliRun(warm: number, file = CASCADE_FILE): Samples {
  return repeat(warm, () => {
    const out = mkdtempSync(join(tmpdir(), 'contagion-bench-'));
    try {
      return spawnTimed(TSX, [MAIN, 'run', file, '--out', out, '--no-progress']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

export interface Phase {
  readonly name: string;
  readonly ms: number;
  readonly bytes?: number;
}

/**
 * The CLI's run pipeline in this process, once (warm modules, cold model): read and validate,
 * generate, simulate, build each output file, write them. Mirrors packages/cli/src/commands/run.ts.
 */
export function cliPhases(file = CASCADE_FILE): Phase[] {
  const phases: Phase[] = [];
  const step = <T>(name: string, fn: () => T, size?: (x: T) => number): T => {
    let x: T | undefined;
    const ms = timeMs(() => {
      x = fn();
    });
    phases.push(size === undefined ? { name, ms } : { name, ms, bytes: size(x as T) });
    return x as T;
  };
  const scenario = step('read + validate', () => loadScenario(readFileSync(file, 'utf8'), file));
  const model = step('generate (buildModel)', () => buildModel(scenario, file));
  const hash = step('scenario hash', () => scenarioHash(scenario));
  const result: SimulationResult = step('simulate (compile + run, network rows)', () =>
    simulate(model, { scenarioHash: hash, network: true }),
  );
  const data = step('graph and round rows (runDataOf)', () => runDataOf(result));
  const len = (s: string) => s.length;
  const files = new Map<string, OutputContent>([
    ['summary.json', step('summary.json', () => summaryJson(result), len)],
    ['steps.csv', step('steps.csv', () => stepsCsv(result), len)],
    ['prices.csv', step('prices.csv', () => pricesCsv(result), len)],
    ['rounds.csv', step('rounds.csv', () => roundsCsv(data.rounds), len)],
    ['network.csv', step('network.csv', () => networkCsv(result), len)],
    ['scenario.resolved.yaml', step('scenario.resolved.yaml', () => resolvedYaml(scenario), len)],
    ['graph.json', step('graph.json', () => graphJson(data.graph), len)],
  ]);
  const out = mkdtempSync(join(tmpdir(), 'contagion-bench-'));
  try {
    step('write files', () => writeOutputs(out, files));
    // As the CLI does: events.csv is produced in chunks while it is written.
    step('events.csv (built and written)', () =>
      writeOutputs(out, new Map([['events.csv', eventsCsvChunks(result)]])),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return phases;
}

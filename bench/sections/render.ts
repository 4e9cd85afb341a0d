// Pictures of the default scenario: the in-process cost of each drawing (warm medians) and the
// `contagion report` command as a user runs it (spawned, wall time, run folder prepared once).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, loadScenario } from '@contagion/core';
import { createRunner } from '@contagion/sim';
import { renderReport, renderRun, runDataOf, type RunData } from '@contagion/viz';
import { repeat, type Samples } from '../lib/measure.js';

export const RENDER_FILE = 'scenarios/default.yaml';
const TSX = 'node_modules/.bin/tsx';
const MAIN = 'packages/cli/src/main.ts';

export interface RenderResult {
  /** runner.run({ network: true }) against runner.run(): what recording network rows costs. */
  readonly runPlain: Samples;
  readonly runNetwork: Samples;
  /** network.svg and the three charts. */
  readonly svgs: Samples;
  /** The same with one network per step (`--all`). */
  readonly svgsAll: Samples;
  readonly report: Samples;
  readonly reportBytes: number;
  readonly steps: number;
  /** `tsx main.ts report DIR`, spawned. */
  readonly reportCli: Samples;
}

function spawnTimed(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(TSX, args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`tsx ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

export function render(warm: number): RenderResult {
  const model = buildModel(
    loadScenario(readFileSync(RENDER_FILE, 'utf8'), RENDER_FILE),
    RENDER_FILE,
  );
  const runner = createRunner(model);
  const runPlain = repeat(warm, () => runner.run());
  let data: RunData | undefined;
  const runNetwork = repeat(warm, () => {
    data = runDataOf(runner.run({ network: true }));
  });
  const svgs = repeat(warm, () => renderRun(data!));
  const svgsAll = repeat(warm, () => renderRun(data!, { all: true }));
  let html = '';
  const report = repeat(warm, () => {
    html = renderReport(data!);
  });
  const dir = mkdtempSync(join(tmpdir(), 'contagion-bench-render-'));
  try {
    spawnTimed([MAIN, 'run', RENDER_FILE, '--out', dir, '--no-progress']);
    const reportCli = repeat(warm, () => spawnTimed([MAIN, 'report', dir]));
    return {
      runPlain,
      runNetwork,
      svgs,
      svgsAll,
      report,
      reportBytes: Buffer.byteLength(html),
      steps: data!.summary.steps,
      reportCli,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

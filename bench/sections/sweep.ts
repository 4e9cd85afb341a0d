// Sweep throughput: the default scenario with its shocks replaced by a seeded GBM path (so every
// run differs), through `contagion sweep` in process (plan, pool, journal, final files), on 1 and
// 2 workers. Wall time of the whole command, worker start-up and file writing included.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../../packages/cli/src/commands/sweep.js';
import type { Samples } from '../lib/measure.js';
import { readDoc } from '../lib/scenarios.js';

export const SWEEP_FILE = 'scenarios/default.yaml';

export interface SweepResult {
  readonly runs: number;
  /** Runs per second per sample, by worker count. */
  readonly rate: Readonly<Record<number, Samples>>;
  /** Distinct rows among the runs (metrics only: run, cell, replicate and seed left out). */
  readonly distinct: number;
  /** Largest V8 heap in use in a worker, by worker count (bytes). */
  readonly heapPerWorker: Readonly<Record<number, number>>;
}

/** `warm` samples per worker count (plus a cold one), interleaved 1, 2, 1, 2, ... */
export async function sweepBench(warm: number, runs = 4000): Promise<SweepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'contagion-bench-sweep-'));
  try {
    const doc = readDoc(SWEEP_FILE) as Record<string, unknown>;
    doc['prices'] = { ETH: { process: 'gbm', drift: 0, volatility: 0.8 } };
    const file = join(dir, 'default-gbm.json');
    writeFileSync(file, JSON.stringify(doc));
    const rate: Record<number, number[]> = { 1: [], 2: [] };
    const heap: Record<number, number> = { 1: 0, 2: 0 };
    let distinct = 0;
    for (let k = 0; k <= warm; k++) {
      for (const w of [1, 2]) {
        const out = join(dir, `out-${k}-${w}`);
        const t0 = performance.now();
        const r = await runSweep(file, { runs, workers: w, out, progress: false });
        rate[w]!.push(runs / ((performance.now() - t0) / 1000));
        heap[w] = Math.max(heap[w]!, r.peakHeapPerWorker);
        if (k === 0 && w === 1) {
          const rows = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').slice(1);
          distinct = new Set(rows.map((l) => l.split(',').slice(4).join(','))).size;
        }
        rmSync(out, { recursive: true, force: true });
      }
    }
    const samples = (xs: number[]): Samples => ({ cold: xs[0]!, warm: xs.slice(1) });
    return {
      runs,
      rate: { 1: samples(rate[1]!), 2: samples(rate[2]!) },
      distinct,
      heapPerWorker: heap,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

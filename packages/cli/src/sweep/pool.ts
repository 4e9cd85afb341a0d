// Running a sweep's runs: in this thread, or over a pool of worker threads that each keep their
// own compiled model. Runs are handed out in run order, a batch at a time; rows come back as runs
// finish, in whatever order, and the caller keys them by run.
import { Worker } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ContagionError } from '@contagion/core';
import { createSweepRunner, type RowValue, type SweepPlan } from '@contagion/sim';

/** A batch of runs for a worker. */
export interface ToWorker {
  readonly runs: readonly number[];
}

/** A worker's answer: the batch's rows, or why it failed. */
export type FromWorker =
  | { readonly kind: 'rows'; readonly rows: RowValue[][]; readonly heapUsed: number }
  | { readonly kind: 'error'; readonly message: string; readonly user: boolean };

/** What the pool measured. */
export interface PoolStats {
  /** Largest V8 heap in use seen in any worker (bytes; this thread's with one worker). */
  readonly peakHeapPerWorker: number;
}

/** The worker as one JavaScript file, once per process (undefined: not tried, null: failed). */
let bundled: URL | null | undefined;

/**
 * Where a worker starts. A thread loading the engine's TypeScript through the loader takes about
 * 0.7 s; the same code bundled by esbuild into one file (about 0.15 s, once per process, kept in
 * the temporary folder under its content hash) loads in under 0.1 s. If bundling fails the
 * worker loads through the TypeScript loader (`worker.mjs`): the same code, slower to start.
 */
export async function workerEntry(): Promise<URL> {
  if (bundled === undefined) {
    try {
      const { build } = await import('esbuild');
      const out = await build({
        entryPoints: [fileURLToPath(new URL('./worker-main.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        write: false,
        logLevel: 'silent',
        // CommonJS dependencies call require: give the module one.
        banner: {
          js: "import { createRequire as __contagionRequire } from 'node:module'; const require = __contagionRequire(import.meta.url);",
        },
      });
      const code = out.outputFiles[0]!.contents;
      const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
      const path = join(tmpdir(), `contagion-sweep-worker-${hash}.mjs`);
      if (!existsSync(path)) {
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, code);
        renameSync(tmp, path);
      }
      bundled = pathToFileURL(path);
    } catch {
      bundled = null;
    }
  }
  return bundled ?? new URL('./worker.mjs', import.meta.url);
}

/** Runs per batch: small enough to balance the workers, large enough to amortise messages. */
function batchSize(pending: number, workers: number): number {
  return Math.max(1, Math.min(16, Math.floor(pending / (workers * 8))));
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Run `runs` of `plan` on `workers` threads (1: this thread), calling `onRows` with each batch's
 * rows as it finishes. Rejects on the first failure, after stopping every worker; rows already
 * passed to `onRows` stay valid.
 */
export async function executeRuns(
  plan: SweepPlan,
  runs: readonly number[],
  workers: number,
  onRows: (rows: RowValue[][]) => void,
): Promise<PoolStats> {
  if (runs.length === 0) return { peakHeapPerWorker: 0 };
  if (workers <= 1) {
    const runner = createSweepRunner(plan);
    let peak = 0;
    let last = performance.now();
    for (let i = 0; i < runs.length;) {
      const batch = runs.slice(i, i + 16);
      onRows(batch.map((r) => runner.run(r)));
      i += batch.length;
      peak = Math.max(peak, getHeapStatistics().used_heap_size);
      // Let timers (the progress bar) run now and then.
      if (performance.now() - last > 100) {
        await yieldToLoop();
        last = performance.now();
      }
    }
    return { peakHeapPerWorker: peak };
  }
  const n = Math.min(workers, runs.length);
  const entry = await workerEntry();
  let next = 0;
  let peak = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let busy = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const feed = (w: Worker) => {
        if (next >= runs.length) {
          if (busy === 0) resolve();
          return;
        }
        const size = batchSize(runs.length - next, n);
        const batch = runs.slice(next, next + size);
        next += batch.length;
        busy++;
        w.postMessage({ runs: batch } satisfies ToWorker);
      };
      for (let k = 0; k < n; k++) {
        const w = new Worker(entry, {
          workerData: { plan },
        });
        pool.push(w);
        w.on('message', (m: FromWorker) => {
          if (failed) return;
          busy--;
          if (m.kind === 'error') {
            fail(m.user ? new ContagionError('invalid-argument', m.message) : new Error(m.message));
            return;
          }
          peak = Math.max(peak, m.heapUsed);
          try {
            onRows(m.rows);
          } catch (e) {
            fail(e as Error);
            return;
          }
          feed(w);
        });
        w.on('error', (e) => fail(e));
        w.on('exit', (code) => {
          if (code !== 0) fail(new Error(`a sweep worker stopped with exit code ${code}`));
        });
      }
      for (const w of pool) feed(w);
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { peakHeapPerWorker: peak };
}

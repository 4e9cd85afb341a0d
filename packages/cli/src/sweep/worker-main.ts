// A sweep worker thread: builds its own runner from the plan, runs the batches it is sent and
// posts their rows back. Errors go back as messages, with whether they are the user's.
import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { ContagionError } from '@contagion/core';
import { createSweepRunner, type SweepPlan } from '@contagion/sim';
import type { ToWorker, FromWorker } from './pool.js';

const port = parentPort!;
const runner = createSweepRunner((workerData as { plan: SweepPlan }).plan);
port.on('message', (m: ToWorker) => {
  let reply: FromWorker;
  try {
    reply = {
      kind: 'rows',
      rows: m.runs.map((r) => runner.run(r)),
      heapUsed: getHeapStatistics().used_heap_size,
    };
  } catch (e) {
    reply = {
      kind: 'error',
      message: (e as Error).message,
      user: e instanceof ContagionError && e.code !== 'invariant',
    };
  }
  port.postMessage(reply);
});

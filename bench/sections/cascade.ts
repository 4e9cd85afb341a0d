// A one-step scenario run again and again on one runner: runner.run({ record: true }) timed, which
// includes the state reset, the event log and the metrics; model generation timed apart.
import type { Model } from '@contagion/core';
import { bytesPerRow, createRunner, resetState, type SimulationResult } from '@contagion/sim';
import { repeat, timeMs, type Memory, type Samples } from '../lib/measure.js';
import { loadBench } from '../lib/scenarios.js';

/** What a run did: the same in every run (checked), printed so the work is visible. */
export interface Work {
  readonly accounts: number;
  readonly rows: number;
  readonly liquidations: number;
  readonly liquidationsPerAccount: number;
  readonly rounds: number;
  readonly waves: number;
  /** Liquidation calls per round, in order. */
  readonly perRound: readonly number[];
  readonly badDebtUsd: number;
  readonly poolDrawdown: number;
  readonly conservationOk: boolean;
}

export interface CascadeResult {
  readonly label: string;
  readonly file: string;
  readonly scale: number;
  readonly validateMs: number;
  readonly buildMs: number;
  readonly buildMemory: Memory;
  readonly compileMs: number;
  readonly run: Samples;
  /** resetState alone (part of every run). */
  readonly reset: Samples;
  readonly work: Work;
  /** bytesPerRow(runner.state): kernel state per book row (event log excluded). */
  readonly bytesPerRow: number;
  /** The same state bytes spread over accounts (suppliers have no book row). */
  readonly stateBytesPerAccount: number;
  /** Typed-array bytes of the model's starting book (what resetState copies from) per account. */
  readonly modelBookBytesPerAccount: number;
  /** The event log's buffers (capacity, not length) per account. */
  readonly eventBytesPerAccount: number;
  readonly eventsPerAccount: number;
}

function workOf(r: SimulationResult): Work {
  const s = r.summary;
  const perRound: number[] = [];
  const round = r.events.int.round;
  for (let e = 0; e < r.events.length; e++) {
    const k = round[e]! - 1;
    while (perRound.length <= k) perRound.push(0);
    perRound[k]!++;
  }
  const pools = Object.values(s.prices['ETH']?.pools ?? {});
  return {
    accounts: s.accounts,
    rows: s.positions,
    liquidations: s.liquidations.count,
    liquidationsPerAccount: s.liquidations.count / s.accounts,
    rounds: s.rounds,
    waves: s.waves,
    perRound,
    badDebtUsd: s.badDebt.total,
    poolDrawdown: pools.length > 0 ? Math.max(...pools) : 0,
    conservationOk: s.conservation.ok,
  };
}

function sameWork(a: Work, b: Work): boolean {
  return (
    a.liquidations === b.liquidations && a.rounds === b.rounds && a.badDebtUsd === b.badDebtUsd
  );
}

function bookBytes(model: Model): number {
  let bytes = 0;
  for (const b of model.books) {
    bytes += b.account.byteLength;
    for (const c of b.coll) bytes += c.byteLength;
    for (const d of b.debt) bytes += d.byteLength;
  }
  return bytes;
}

/** Build `file` at `scale`, compile a runner, run it once cold and `warm` times more. */
export function cascade(label: string, file: string, scale: number, warm: number): CascadeResult {
  const built = loadBench(file, scale);
  let runner: ReturnType<typeof createRunner> | undefined;
  const compileMs = timeMs(() => {
    runner = createRunner(built.model);
  });
  const rn = runner!;
  let first: Work | undefined;
  let eventBytes = 0;
  let events = 0;
  const run = repeat(
    warm,
    () => rn.run({ record: true }),
    (r) => {
      const w = workOf(r);
      if (first === undefined) first = w;
      else if (!sameWork(first, w))
        throw new Error(`${label}: a warm run did different work than the cold one`);
      eventBytes = r.events.byteLength;
      events = r.events.length;
    },
  );
  const reset = repeat(warm, () => resetState(rn.state));
  const work = first!;
  const perRow = bytesPerRow(rn.state);
  return {
    label,
    file,
    scale,
    validateMs: built.validateMs,
    buildMs: built.buildMs,
    buildMemory: built.buildMemory,
    compileMs,
    run,
    reset,
    work,
    bytesPerRow: perRow,
    stateBytesPerAccount: (perRow * work.rows) / work.accounts,
    modelBookBytesPerAccount: bookBytes(built.model) / work.accounts,
    eventBytesPerAccount: eventBytes / work.accounts,
    eventsPerAccount: events / work.accounts,
  };
}

// Per-round records: liquidations and bad debt of each liquidation round, per market and channel.
import { CHANNELS, type EventLog } from '../events/event-log.js';

/** One row of rounds.csv: what one liquidation round did in one market. */
export interface RoundRow {
  step: number;
  /** Round within the step, from 1. */
  round: number;
  venue: string;
  /** Liquidation calls taken. */
  liquidations: number;
  /** Debt repaid, USD at the prices each call used. */
  liquidatedValue: number;
  /** Bad debt booked, USD. */
  badDebt: number;
  /** Calls attributed to each contagion channel (they sum to `liquidations`). */
  shock: number;
  price: number;
  value: number;
}

/**
 * Rows of rounds.csv from a run's event log (execution order: step, round, then market order).
 * Rounds in which no market took a call have no row.
 */
export function roundRows(log: EventLog, venues: readonly string[]): RoundRow[] {
  const out: RoundRow[] = [];
  const { int, f64 } = log;
  let e = 0;
  while (e < log.length) {
    const step = int.step[e]!;
    const round = int.round[e]!;
    const rows = new Map<number, RoundRow>();
    for (; e < log.length && int.step[e] === step && int.round[e] === round; e++) {
      const m = int.market[e]!;
      let r = rows.get(m);
      if (r === undefined) {
        r = {
          step,
          round,
          venue: venues[m]!,
          liquidations: 0,
          liquidatedValue: 0,
          badDebt: 0,
          shock: 0,
          price: 0,
          value: 0,
        };
        rows.set(m, r);
      }
      r.liquidations++;
      r.liquidatedValue += f64.repaid[e]! * f64.debtPrice[e]!;
      r.badDebt += f64.badDebt[e]!;
      r[CHANNELS[int.channel[e]!]!]++;
    }
    out.push(...[...rows.keys()].sort((a, b) => a - b).map((m) => rows.get(m)!));
  }
  return out;
}

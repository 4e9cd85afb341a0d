// The liquidation event log, in growable columns (no object per event in the hot loop).

/** Contagion channels a liquidation is attributed to, in the order the counterfactual adds them. */
export const CHANNELS = ['shock', 'price', 'value'] as const;
/** A contagion channel name. */
export type Channel = (typeof CHANNELS)[number];

/** Where seized collateral went: >= 0 a pool index, or one of these. */
export const SOLD_TO_MARKET = -1;
export const REDEEMED = -2;
export const KEPT = -3;
/** A perp position closed in its venue's book; closed against opposite positions by ADL. */
export const CLOSED_IN_BOOK = -4;
export const DELEVERAGED = -5;
/** A dated future's position settled at expiry short of its margin (the fund and deficit took it). */
export const SETTLED = -6;
/** `liquidator` of a perp venue's own liquidation (its engine, not a liquidator). */
export const VENUE_ENGINE = -1;

/**
 * Integer columns: step, round, market index, book row, account index, asset indices, ... A perp
 * venue's liquidation has market = number of markets + the venue's index, row its perp book row,
 * collAsset the contracts' asset, debtAsset the quote asset, liquidator VENUE_ENGINE, soldTo
 * CLOSED_IN_BOOK or DELEVERAGED; its seized = contracts closed, fee = the fund's liquidation fee,
 * repaid = notional at the mark (quote), collPrice = the mark (quote units), debtPrice = the
 * quote's USD price, proceeds = quote the close raised, priceAfter = the book after it, badDebt =
 * the deficit left (USD), healthBefore = equity / maintenance margin.
 */
export const INT_COLUMNS = [
  'step',
  'round',
  'market',
  'row',
  'collAsset',
  'debtAsset',
  'liquidator',
  'soldTo',
  'channel',
] as const;
/** Float columns: token amounts, USD prices and values. */
export const F64_COLUMNS = [
  'seized',
  'fee',
  'repaid',
  'collPrice',
  'debtPrice',
  'proceeds',
  'priceAfter',
  'badDebt',
  'unredeemed',
  'healthBefore',
] as const;

export type IntColumn = (typeof INT_COLUMNS)[number];
export type F64Column = (typeof F64_COLUMNS)[number];

/** One event as a plain object (for tests and writers, not the hot loop). */
export type EventRecord = Record<IntColumn | F64Column, number>;

/** Columnar log of liquidation events in execution order. Write with `next()` then the columns. */
export class EventLog {
  length = 0;
  readonly int: Record<IntColumn, Int32Array>;
  readonly f64: Record<F64Column, Float64Array>;
  private capacity: number;

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.int = {} as Record<IntColumn, Int32Array>;
    this.f64 = {} as Record<F64Column, Float64Array>;
    for (const c of INT_COLUMNS) this.int[c] = new Int32Array(this.capacity);
    for (const c of F64_COLUMNS) this.f64[c] = new Float64Array(this.capacity);
  }

  /** Forget all events, keeping the buffers. */
  clear(): void {
    this.length = 0;
  }

  /** Index of a new event (columns grow as needed). */
  next(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      for (const c of INT_COLUMNS) {
        const n = new Int32Array(this.capacity);
        n.set(this.int[c]);
        this.int[c] = n;
      }
      for (const c of F64_COLUMNS) {
        const n = new Float64Array(this.capacity);
        n.set(this.f64[c]);
        this.f64[c] = n;
      }
    }
    return this.length++;
  }

  /** Event `i` as an object. */
  get(i: number): EventRecord {
    const out = {} as EventRecord;
    for (const c of INT_COLUMNS) out[c] = this.int[c][i]!;
    for (const c of F64_COLUMNS) out[c] = this.f64[c][i]!;
    return out;
  }

  /** Bytes held by the log's buffers. */
  get byteLength(): number {
    return this.capacity * (INT_COLUMNS.length * 4 + F64_COLUMNS.length * 8);
  }
}

// events.csv: the event log as text, from a table that can be sliced and sent to a worker thread.
import { accountId, type AccountGroup } from '@contagion/core';
import {
  CHANNELS,
  CLOSED_IN_BOOK,
  DELEVERAGED,
  SETTLED,
  eventAccount,
  eventVenues,
  F64_COLUMNS,
  INT_COLUMNS,
  KEPT,
  REDEEMED,
  SOLD_TO_MARKET,
  type F64Column,
  type IntColumn,
  type SimulationResult,
} from '@contagion/sim';

/** Column order of events.csv. */
export const EVENT_COLUMNS = [
  'step',
  'round',
  'kind',
  'account',
  'venue',
  'liquidator',
  'collateralAsset',
  'collateralSeized',
  'protocolFee',
  'debtAsset',
  'debtRepaid',
  'collateralPrice',
  'debtPrice',
  'priceSource',
  'value',
  'soldTo',
  'proceeds',
  'priceAfter',
  'priceAfterSource',
  'unredeemed',
  'healthBefore',
  'channel',
] as const;

/** The header line of events.csv. */
export const EVENTS_HEADER = `${EVENT_COLUMNS.join(',')}\n`;

/**
 * Everything needed to write event rows, as plain data (typed arrays, strings): structured-clone
 * friendly, so a range of it can be formatted in another thread.
 */
export interface EventsTable {
  readonly length: number;
  readonly int: Readonly<Record<IntColumn, Int32Array>>;
  readonly f64: Readonly<Record<F64Column, Float64Array>>;
  /** Account index of each event. */
  readonly account: Int32Array;
  readonly explicitIds: readonly string[];
  readonly accountGroups: readonly AccountGroup[];
  readonly assets: readonly string[];
  readonly markets: readonly string[];
  readonly liquidators: readonly string[];
  readonly pools: readonly string[];
  /** Per asset: `redeem:<issuer>` for receipt tokens, else empty. */
  readonly redeemAt: readonly string[];
  /**
   * Per venue (markets, then perp venues): the price its calls use, `oracle:<pool id or market>`,
   * `-lag<k>` when lagged; `mark:<venue>` for a perp venue.
   */
  readonly priceSource: readonly string[];
  /** Venues before this index are markets; from it, perp venues. */
  readonly firstPerp: number;
}

/** The table of a result's events (views of the log, no copy of its columns). */
export function eventsTable(result: SimulationResult): EventsTable {
  const { model, events: log } = result;
  const n = log.length;
  const int = {} as Record<IntColumn, Int32Array>;
  const f64 = {} as Record<F64Column, Float64Array>;
  for (const c of INT_COLUMNS) int[c] = log.int[c].subarray(0, n);
  for (const c of F64_COLUMNS) f64[c] = log.f64[c].subarray(0, n);
  const account = new Int32Array(n);
  for (let e = 0; e < n; e++) account[e] = eventAccount(result, e);
  const markets = eventVenues(model);
  return {
    length: n,
    int,
    f64,
    account,
    explicitIds: model.explicitIds,
    accountGroups: model.accountGroups,
    assets: model.assets.map((a) => a.id),
    markets,
    liquidators: model.liquidators.map((l) => l.id),
    pools: model.pools.map((p) => p.id),
    redeemAt: model.assets.map((a) =>
      a.kind === 'receipt' ? `redeem:${markets[a.issuer!]!}` : '',
    ),
    priceSource: [
      ...model.markets.map((m) => {
        const source = m.oracleSource >= 0 ? model.pools[m.oracleSource]!.id : 'market';
        return `oracle:${source}${m.oracleLag > 0 ? `-lag${m.oracleLag}` : ''}`;
      }),
      ...model.perps.map((p) => `mark:${p.id}`),
    ],
    firstPerp: model.markets.length,
  };
}

/** Events [from, to) of `t` as a table of their own (copies; safe to transfer to a worker). */
export function sliceTable(t: EventsTable, from: number, to: number): EventsTable {
  const int = {} as Record<IntColumn, Int32Array>;
  const f64 = {} as Record<F64Column, Float64Array>;
  for (const c of INT_COLUMNS) int[c] = t.int[c].slice(from, to);
  for (const c of F64_COLUMNS) f64[c] = t.f64[c].slice(from, to);
  return { ...t, length: to - from, int, f64, account: t.account.slice(from, to) };
}

/** Shortest round-trip text of a number; empty for NaN (ids and numbers need no quoting). */
function num(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? '' : x > 0 ? 'inf' : '-inf';
}

/**
 * Events per chunk. Small chunks are encoded and dropped quickly, so the row strings die young
 * instead of piling up in the old generation (large chunks made the garbage collector the main
 * cost).
 */
export const EVENTS_PER_CHUNK = 512;

/**
 * The rows of all events of `t` (no header), in chunks: one row per liquidation and one per bad-debt
 * booking, in execution order. Rows are template strings over the id tables; prices constant within
 * a round are formatted once per change, and the value of a repay priced at 1 reuses its text. Ids
 * cannot hold commas or quotes (the scenario schema restricts them), so no field needs quoting.
 */
export function* eventRows(t: EventsTable): Generator<string> {
  const { int, f64 } = t;
  let buf = '';
  let rows = 0;
  let lastCollPrice = NaN;
  let collPriceText = '';
  let lastDebtPrice = NaN;
  let debtPriceText = '';
  for (let e = 0; e < t.length; e++) {
    const soldTo = int.soldTo[e]!;
    const collAsset = int.collAsset[e]!;
    const sale =
      soldTo >= 0
        ? t.pools[soldTo]!
        : soldTo === SOLD_TO_MARKET
          ? 'market'
          : soldTo === REDEEMED
            ? t.redeemAt[collAsset]!
            : soldTo === KEPT
              ? 'kept'
              : soldTo === CLOSED_IN_BOOK
                ? 'book'
                : soldTo === DELEVERAGED
                  ? 'adl'
                  : soldTo === SETTLED
                    ? 'expiry'
                    : '';
    const saleSource =
      soldTo >= 0
        ? 'pool'
        : soldTo === REDEEMED
          ? 'redeem'
          : soldTo === CLOSED_IN_BOOK || soldTo === DELEVERAGED || soldTo === SETTLED
            ? sale
            : 'market';
    const venue = int.market[e]!;
    const perp = venue >= t.firstPerp;
    const head = `${int.step[e]!},${int.round[e]!}`;
    const who = `${accountId(t, t.account[e]!)},${t.markets[venue]!}`;
    const source = t.priceSource[venue]!;
    const channel = CHANNELS[int.channel[e]!]!;
    const debtAsset = t.assets[int.debtAsset[e]!]!;
    const collPrice = f64.collPrice[e]!;
    if (collPrice !== lastCollPrice) {
      lastCollPrice = collPrice;
      collPriceText = num(collPrice);
    }
    const debtPrice = f64.debtPrice[e]!;
    if (debtPrice !== lastDebtPrice) {
      lastDebtPrice = debtPrice;
      debtPriceText = num(debtPrice);
    }
    const repaid = f64.repaid[e]!;
    const repaidText = num(repaid);
    const valueText = debtPrice === 1 ? repaidText : num(repaid * debtPrice);
    // A perp venue's engine liquidates its own positions: the venue stands in the liquidator column.
    const by = perp ? t.markets[venue]! : t.liquidators[int.liquidator[e]!]!;
    buf += `${head},${perp ? 'perp-liquidation' : 'liquidation'},${who},${by},${t.assets[collAsset]!},${num(f64.seized[e]!)},${num(f64.fee[e]!)},${debtAsset},${repaidText},${collPriceText},${debtPriceText},${source},${valueText},${sale},${num(f64.proceeds[e]!)},${num(f64.priceAfter[e]!)},${saleSource},${num(f64.unredeemed[e]!)},${num(f64.healthBefore[e]!)},${channel}\n`;
    const bad = f64.badDebt[e]!;
    if (bad > 0) {
      buf += `${head},bad-debt,${who},,,,,${debtAsset},,,${debtPriceText},${source},${num(bad)},,,,,,,${channel}\n`;
    }
    if (++rows === EVENTS_PER_CHUNK) {
      yield buf;
      buf = '';
      rows = 0;
    }
  }
  if (buf !== '') yield buf;
}

/** events.csv of a result in chunks, header first. */
export function* eventsCsvChunks(result: SimulationResult): Generator<string> {
  yield EVENTS_HEADER;
  yield* eventRows(eventsTable(result));
}

/** events.csv of a result as one string (for small runs and tests). */
export function eventsCsv(result: SimulationResult): string {
  return [...eventsCsvChunks(result)].join('');
}

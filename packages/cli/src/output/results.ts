// The files of a run's output folder, built in memory: summary.json, CSVs, resolved scenario, graph.
import { accountId, collateralGraph, type Scenario } from '@contagion/core';
import {
  CHANNELS,
  eventAccount,
  KEPT,
  REDEEMED,
  SOLD_TO_MARKET,
  type SimulationResult,
  type StepRow,
} from '@contagion/sim';
import { stringify } from 'yaml';
import { toCsv, type Cell } from './csv.js';

/** Column order of steps.csv. */
export const STEP_COLUMNS: readonly (keyof StepRow)[] = [
  'step',
  'venue',
  'kind',
  'liquidations',
  'liquidatedValue',
  'seizedValue',
  'badDebt',
  'badDebtCumulative',
  'latentBadDebt',
  'collateralValue',
  'debtValue',
  'suppliedValue',
  'cashValue',
  'utilisation',
  'receiptRate',
  'price',
  'rounds',
  'untaken',
  'systemLeverage',
  'rehypothecationMultiplier',
];

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

/** summary.json text (two-space indent, final newline). */
export function summaryJson(result: SimulationResult): string {
  return `${JSON.stringify(result.summary, null, 2)}\n`;
}

/** steps.csv text. */
export function stepsCsv(result: SimulationResult): string {
  return toCsv(
    STEP_COLUMNS,
    result.steps.map((r) => STEP_COLUMNS.map((c) => r[c] as Cell)),
  );
}

/** prices.csv text. */
export function pricesCsv(result: SimulationResult): string {
  return toCsv(
    ['step', 'asset', 'source', 'price'],
    result.prices.map((r) => [r.step, r.asset, r.source, r.price]),
  );
}

/** Shortest round-trip text of a number; empty for NaN (ids and numbers need no quoting). */
function num(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? '' : x > 0 ? 'inf' : '-inf';
}

/**
 * Rows per chunk of events.csv. Small chunks are encoded and dropped quickly, so the row strings die
 * young instead of piling up in the old generation (large chunks made the garbage collector the
 * main cost).
 */
const CHUNK_ROWS = 512;

/**
 * events.csv as text chunks, produced lazily so a writer can encode and drop each in turn (header
 * first): one row per liquidation and one per bad-debt booking,
 * in execution order. Rows are built as template strings over precomputed id tables; the two price
 * columns, constant within a round, are formatted once per change. Ids cannot hold commas or quotes
 * (the scenario schema restricts them), so no field needs quoting.
 */
export function* eventsCsvChunks(result: SimulationResult): Generator<string> {
  const { model, events: log } = result;
  const assets = model.assets.map((a) => a.id);
  const markets = model.markets.map((m) => m.id);
  const liquidators = model.liquidators.map((l) => l.id);
  const pools = model.pools.map((p) => p.id);
  const redeemAt = model.assets.map((a) =>
    a.kind === 'receipt' ? `redeem:${markets[a.issuer!]!}` : '',
  );
  yield `${EVENT_COLUMNS.join(',')}\n`;
  let buf = '';
  let rows = 0;
  let lastCollPrice = NaN;
  let collPriceText = '';
  let lastDebtPrice = NaN;
  let debtPriceText = '';
  for (let e = 0; e < log.length; e++) {
    const soldTo = log.int.soldTo[e]!;
    const collAsset = log.int.collAsset[e]!;
    const sale =
      soldTo >= 0
        ? pools[soldTo]!
        : soldTo === SOLD_TO_MARKET
          ? 'market'
          : soldTo === REDEEMED
            ? redeemAt[collAsset]!
            : soldTo === KEPT
              ? 'kept'
              : '';
    const saleSource = soldTo >= 0 ? 'pool' : soldTo === REDEEMED ? 'redeem' : 'market';
    const head = `${log.int.step[e]!},${log.int.round[e]!}`;
    const who = `${accountId(model, eventAccount(result, e))},${markets[log.int.market[e]!]!}`;
    const channel = CHANNELS[log.int.channel[e]!]!;
    const debtAsset = assets[log.int.debtAsset[e]!]!;
    const repaid = log.f64.repaid[e]!;
    const collPrice = log.f64.collPrice[e]!;
    if (collPrice !== lastCollPrice) {
      lastCollPrice = collPrice;
      collPriceText = num(collPrice);
    }
    const debtPrice = log.f64.debtPrice[e]!;
    if (debtPrice !== lastDebtPrice) {
      lastDebtPrice = debtPrice;
      debtPriceText = num(debtPrice);
    }
    buf += `${head},liquidation,${who},${liquidators[log.int.liquidator[e]!]!},${assets[collAsset]!},${num(log.f64.seized[e]!)},${num(log.f64.fee[e]!)},${debtAsset},${num(repaid)},${collPriceText},${debtPriceText},oracle,${num(repaid * debtPrice)},${sale},${num(log.f64.proceeds[e]!)},${num(log.f64.priceAfter[e]!)},${saleSource},${num(log.f64.unredeemed[e]!)},${num(log.f64.healthBefore[e]!)},${channel}\n`;
    const bad = log.f64.badDebt[e]!;
    if (bad > 0) {
      buf += `${head},bad-debt,${who},,,,,${debtAsset},,,${debtPriceText},oracle,${num(bad)},,,,,,,${channel}\n`;
    }
    if (++rows === CHUNK_ROWS) {
      yield buf;
      buf = '';
      rows = 0;
    }
  }
  if (buf !== '') yield buf;
}

/** events.csv text: one row per liquidation and one per bad-debt booking, in execution order. */
export function eventsCsv(result: SimulationResult): string {
  return [...eventsCsvChunks(result)].join('');
}

/** The resolved scenario (defaults filled, overrides applied) as YAML. */
export function resolvedYaml(scenario: Scenario): string {
  return stringify(scenario, { lineWidth: 0 });
}

/** graph.json: the collateral graph at the start (graphology's serialisation; accounts clustered at scale). */
export function graphJson(result: SimulationResult): string {
  return `${JSON.stringify(collateralGraph(result.model).export(), null, 1)}\n`;
}

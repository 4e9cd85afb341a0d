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

function* eventRows(result: SimulationResult): Generator<Cell[]> {
  const { model, events: log } = result;
  const asset = (i: number) => model.assets[i]!.id;
  for (let e = 0; e < log.length; e++) {
    const m = model.markets[log.int.market[e]!]!;
    const soldTo = log.int.soldTo[e]!;
    const collAsset = log.int.collAsset[e]!;
    const sale =
      soldTo >= 0
        ? model.pools[soldTo]!.id
        : soldTo === SOLD_TO_MARKET
          ? 'market'
          : soldTo === REDEEMED
            ? `redeem:${model.markets[model.assets[collAsset]!.issuer!]!.id}`
            : soldTo === KEPT
              ? 'kept'
              : '';
    const saleSource =
      soldTo >= 0
        ? 'pool'
        : soldTo === SOLD_TO_MARKET
          ? 'market'
          : soldTo === REDEEMED
            ? 'redeem'
            : 'market';
    const account = accountId(model, eventAccount(result, e));
    const step = log.int.step[e]!;
    const round = log.int.round[e]!;
    const channel = CHANNELS[log.int.channel[e]!]!;
    const repaid = log.f64.repaid[e]!;
    const debtPrice = log.f64.debtPrice[e]!;
    yield [
      step,
      round,
      'liquidation',
      account,
      m.id,
      model.liquidators[log.int.liquidator[e]!]!.id,
      asset(collAsset),
      log.f64.seized[e]!,
      log.f64.fee[e]!,
      asset(log.int.debtAsset[e]!),
      repaid,
      log.f64.collPrice[e]!,
      debtPrice,
      'oracle',
      repaid * debtPrice,
      sale,
      log.f64.proceeds[e]!,
      log.f64.priceAfter[e]!,
      saleSource,
      log.f64.unredeemed[e]!,
      log.f64.healthBefore[e]!,
      channel,
    ];
    const bad = log.f64.badDebt[e]!;
    if (bad > 0) {
      yield [
        step,
        round,
        'bad-debt',
        account,
        m.id,
        '',
        '',
        '',
        '',
        asset(log.int.debtAsset[e]!),
        '',
        '',
        debtPrice,
        'oracle',
        bad,
        '',
        '',
        '',
        '',
        '',
        '',
        channel,
      ];
    }
  }
}

/** events.csv text: one row per liquidation and one per bad-debt booking, in execution order. */
export function eventsCsv(result: SimulationResult): string {
  return toCsv(EVENT_COLUMNS, eventRows(result));
}

/** The resolved scenario (defaults filled, overrides applied) as YAML. */
export function resolvedYaml(scenario: Scenario): string {
  return stringify(scenario, { lineWidth: 0 });
}

/** graph.json: the collateral graph at the start (graphology's serialisation; accounts clustered at scale). */
export function graphJson(result: SimulationResult): string {
  return `${JSON.stringify(collateralGraph(result.model).export(), null, 1)}\n`;
}

// The small files of a run's output folder: summary.json, steps and prices CSVs, resolved scenario,
// graph (events.csv is in events-csv.ts).
import type { Scenario } from '@contagion/core';
import type { NetworkRow, PositionRow, RoundRow, SimulationResult, StepRow } from '@contagion/sim';
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
  'liquidityValue',
  'rounds',
  'untaken',
  'systemLeverage',
  'rehypothecationMultiplier',
  'insuranceFund',
  'adlVolume',
  'fundingPaid',
  'openInterest',
  'gammaExposure',
  'vegaExposure',
  'hedgeFlow',
  'hedgeImpact',
  'atmVol',
  'realisedVol',
  'deltaExposure',
  'grossLeverage',
];

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

/** Column order of network.csv. */
export const NETWORK_COLUMNS: readonly (keyof NetworkRow)[] = [
  'step',
  'node',
  'venue',
  'band',
  'positions',
  'collateralValue',
  'debtValue',
  'liquidated',
  'badDebt',
];

/** network.csv text: the graph's account nodes per step, market and health band. */
export function networkCsv(result: SimulationResult): string {
  return toCsv(
    NETWORK_COLUMNS,
    result.network.map((r) => NETWORK_COLUMNS.map((c) => r[c] as Cell)),
  );
}

/** Column order of rounds.csv. */
export const ROUND_COLUMNS: readonly (keyof RoundRow)[] = [
  'step',
  'round',
  'venue',
  'liquidations',
  'liquidatedValue',
  'badDebt',
  'shock',
  'price',
  'value',
];

/** rounds.csv text: per liquidation round and market, calls, value, bad debt and channels. */
export function roundsCsv(rows: readonly RoundRow[]): string {
  return toCsv(
    ROUND_COLUMNS,
    rows.map((r) => ROUND_COLUMNS.map((c) => r[c] as Cell)),
  );
}

/** accounts.csv: one row per holding of every position at the end of the run. */
export function accountsCsv(rows: readonly PositionRow[]): string {
  return toCsv(
    ['account', 'venue', 'asset', 'role', 'amount', 'value', 'health', 'liquidated', 'badDebt'],
    rows.map((r) => [
      r.account,
      r.venue,
      r.asset,
      r.role,
      r.amount,
      r.value,
      r.health,
      r.liquidated ? 1 : 0,
      r.badDebt ? 1 : 0,
    ]),
  );
}

/** The resolved scenario (defaults filled, overrides applied) as YAML. */
export function resolvedYaml(scenario: Scenario): string {
  return stringify(scenario, { lineWidth: 0 });
}

/** graph.json text of the collateral graph's export (graphology's serialisation; accounts clustered at scale). */
export function graphJson(graph: object): string {
  return `${JSON.stringify(graph, null, 1)}\n`;
}

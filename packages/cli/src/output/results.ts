// The small files of a run's output folder: summary.json, steps and prices CSVs, resolved scenario,
// graph (events.csv is in events-csv.ts).
import { collateralGraph, type Scenario } from '@contagion/core';
import type { PositionRow, SimulationResult, StepRow } from '@contagion/sim';
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

/** graph.json: the collateral graph at the start (graphology's serialisation; accounts clustered at scale). */
export function graphJson(result: SimulationResult): string {
  return `${JSON.stringify(collateralGraph(result.model).export(), null, 1)}\n`;
}

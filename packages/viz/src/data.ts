// What the renderer draws: a run's outputs, parsed (the CLI reads the files; this package only draws).
import { collateralGraph, INDIVIDUAL_ACCOUNTS_UP_TO } from '@contagion/core';
import {
  eventVenues,
  roundRows,
  type HealthBand,
  type NetworkRow,
  type PriceRow,
  type RoundRow,
  type SimulationResult,
  type StepRow,
  type Summary,
} from '@contagion/sim';

/** A node of graph.json (graphology's serialisation). */
export interface GraphNodeData {
  readonly key: string;
  readonly attributes: {
    readonly kind: string;
    readonly label: string;
    readonly subkind?: string;
    readonly accounts?: number;
  };
}

/** An edge of graph.json. */
export interface GraphEdgeData {
  readonly key?: string;
  readonly source: string;
  readonly target: string;
  readonly attributes: { readonly kind: string; readonly asset: string; readonly amount?: number };
}

/** graph.json: the collateral graph at the start. */
export interface GraphData {
  readonly nodes: readonly GraphNodeData[];
  readonly edges: readonly GraphEdgeData[];
}

/** One run's outputs as the renderer needs them. */
export interface RunData {
  readonly summary: Summary;
  readonly graph: GraphData;
  /** steps.csv rows (step 0 first). */
  readonly steps: readonly StepRow[];
  /** prices.csv rows. */
  readonly prices: readonly PriceRow[];
  /** network.csv rows. */
  readonly network: readonly NetworkRow[];
  /** rounds.csv rows. */
  readonly rounds: readonly RoundRow[];
}

export type { HealthBand };

/**
 * The renderer's view of a result still in memory: the same values `contagion render` reads back
 * from the run's files (numbers print in round-trip form, so the pictures are the same bytes).
 */
export function runDataOf(
  result: SimulationResult,
  individualAccountsUpTo: number = INDIVIDUAL_ACCOUNTS_UP_TO,
): RunData {
  const bookRows = result.model.books.reduce((s, b) => s + b.rows, 0);
  if (result.network.length === 0 && result.steps.length > 0 && bookRows > 0)
    throw new RangeError('runDataOf needs the network rows: simulate with { network: true }');
  const graph = collateralGraph(result.model, { individualAccountsUpTo }).export();
  return {
    summary: result.summary,
    graph: JSON.parse(JSON.stringify(graph)) as GraphData,
    steps: result.steps,
    prices: result.prices,
    network: result.network,
    rounds: roundRows(result.events, eventVenues(result.model)),
  };
}

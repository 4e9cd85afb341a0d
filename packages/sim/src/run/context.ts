// Everything one run carries besides the state: paths, price history, streams, buffers, the log.
import type { CollateralGraph, Uniform } from '@contagion/core';
import type { EventLog } from '../events/event-log.js';
import type { SimState } from '../state/state.js';
import type { Tally } from '../metrics/tally.js';
import type { AgentTables } from '../agents/agents.js';

/** Per-run context. Buffers are sized once and reused by later runs of the same model. */
export interface RunContext {
  readonly state: SimState;
  steps: number;
  /** Current step and round. */
  step: number;
  round: number;
  /** Exogenous prices, [t * nAssets + a]. */
  exoPath: Float64Array;
  /** Market prices after markets relax each step, [t * nAssets + a]. */
  marketHist: Float64Array;
  /** Pool spot of side 0 in side-1 units after markets relax, [t * nPools + p]. */
  poolHist: Float64Array;
  /** Per pool and side: its spot at the starting reserves, in units of the other side. */
  readonly poolStartSpot: Float64Array;
  /** Per market: its oracle prices at the end of each step, [t * nReserves + r] (circuit breakers). */
  oracleHist: Float64Array[];
  /** The agents stream (arrival order). */
  agents: Uniform;
  readonly log: EventLog;
  /** Counterfactual weights per market: exogenous prices only; oracle prices with receipts at par. */
  readonly exoCollW: Float64Array[];
  readonly exoDebtW: Float64Array[];
  readonly pxCollW: Float64Array[];
  readonly pxDebtW: Float64Array[];
  /** Global book groups: market and group index per id; first id of each market. */
  readonly groupMarket: Int32Array;
  readonly groupIndex: Int32Array;
  readonly groupBase: Int32Array;
  /** The model's venue-only collateral graph (for reach), built with the context and reused by its runs. */
  readonly venueGraph: CollateralGraph;
  /** Liquidator indices, reshuffled each round. */
  readonly liquidatorOrder: Int32Array;
  /** Next liquidator (position in the order) to be offered a call: they take turns. */
  liquidatorCursor: number;
  /** Stablecoin that sales to the market pay in when the debt asset is not one (-1: none). */
  readonly numeraireStable: number;
  tally: Tally;
  /** Rows of accounts with a strategy (built with the context). */
  readonly agentRows: AgentTables;
  /** Gas per liquidation call at the current step (USD). */
  gasUsd: number;
  /** Called after each liquidation round's calls, before anyone trades against them (troughs). */
  afterRound: () => void;
}

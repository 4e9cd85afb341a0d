// Public surface of @contagion/sim: compile a model, run it, read events, metrics and audits.
export { compile, resetState, bytesPerRow, FLAG_LIQUIDATED, FLAG_BAD_DEBT } from './state/state.js';
export type { SimState, MarketState } from './state/state.js';
export {
  simulate,
  createRunner,
  eventAccount,
  eventVenues,
  ENGINE_VERSION,
} from './run/simulate.js';
export type { SimulateOptions, SimulationResult, Runner } from './run/simulate.js';
export {
  EventLog,
  CHANNELS,
  INT_COLUMNS,
  F64_COLUMNS,
  SOLD_TO_MARKET,
  REDEEMED,
  CLOSED_IN_BOOK,
  DELEVERAGED,
  SETTLED,
  VENUE_ENGINE,
  KEPT,
} from './events/event-log.js';
export type { Channel, EventRecord, IntColumn, F64Column } from './events/event-log.js';
export { auditConservation, ledger, CONSERVATION_TOLERANCE } from './audit/conservation.js';
export type { ConservationAudit, AssetAudit, Ledger } from './audit/conservation.js';
export type { StepRow, PriceRow } from './metrics/steps.js';
export { positionRows } from './metrics/positions.js';
export { checkAgents } from './agents/agents.js';
export {
  registerStrategy,
  strategyNamed,
  strategyNames,
  deleverageStrategy,
  stopLossStrategy,
  looperStrategy,
  volTargetStrategy,
} from './agents/strategy.js';
export type { Strategy, PositionView } from './agents/strategy.js';
export {
  HEALTH_BANDS,
  BAND_BOUNDS,
  bandIndex,
  networkRows,
  networkTables,
} from './metrics/network.js';
export type { HealthBand, NetworkRow, NetworkTables } from './metrics/network.js';
export { roundRows } from './metrics/rounds.js';
export type { RoundRow } from './metrics/rounds.js';
export type { PositionRow } from './metrics/positions.js';
export {
  fundingRate,
  perpEquity,
  perpLiquidatable,
  openInterest,
  refreshPerp,
} from './perps/perp.js';
export type { PerpState, PerpTally } from './perps/perp.js';
export { ltvFrontier, valueAtRisk } from './analysis/ltv.js';
export type { LtvOptions, LtvCell, LtvFrontier } from './analysis/ltv.js';
export type {
  Summary,
  PriceMetrics,
  PegMetrics,
  PerpMetrics,
  OptionsMetrics,
  CdpMetrics,
  ReserveBadDebt,
  ChannelMetrics,
} from './metrics/summary.js';
export type { VenueReach } from './metrics/reach.js';
export { exposure } from './metrics/reach.js';
export { scanMarket, rowHealth } from './liquidation/scan.js';
export { exchangeRate, reserveDebt, utilisation } from './lending/reserve.js';
export { impactFactor, impactProceeds } from './prices/impact.js';
export { exogenousPaths } from './prices/exogenous.js';
export {
  planSweep,
  cellScenario,
  createSweepRunner,
  flattenSummary,
  resolvePath,
  latinHypercube,
  runPosition,
  shardRuns,
  MAX_CELLS,
} from './experiments/sweep.js';
export type {
  ParamValue,
  GridAxis,
  LhsAxis,
  SweepSpec,
  SweepCell,
  SweepPlan,
  SweepRunner,
  ColumnKind,
  RowValue,
} from './experiments/sweep.js';
export { sweepStats, quantile, DEFAULT_CASCADE_SIZES } from './experiments/stats.js';
export type { SweepStats, SweepStatsOptions, CellStats, LarPoint } from './experiments/stats.js';
export {
  compileNetwork,
  clearing,
  clearingExact,
  DEFAULT_TOLERANCE,
  debtRank,
  shockVector,
  gaiKapadia,
  gaiKapadiaFails,
  collateralNetwork,
  networkMeasures,
} from './networks/index.js';
export type {
  Network,
  NetworkInput,
  NetworkNode,
  NetworkLiability,
  ClearingOptions,
  ClearingResult,
  DebtRankOptions,
  DebtRankResult,
  DebtRankVariant,
  GaiKapadiaOptions,
  GaiKapadiaResult,
  DefiNetwork,
  NetworkMeasures,
} from './networks/index.js';

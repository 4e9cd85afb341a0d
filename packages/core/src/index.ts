// Public surface of @contagion/core: the domain model, scenario loading and exact value math.
export {
  ContagionError,
  ScenarioError,
  InvalidArgumentError,
  InvariantError,
  quote,
} from './errors.js';
export type { ErrorCode, ScenarioIssue } from './errors.js';
export { Dec, dec, decSum } from './numeric/decimal.js';
export type { DecLike } from './numeric/decimal.js';
export { parseDuration, yearFraction, SECONDS_PER_YEAR } from './numeric/duration.js';
export { stream, normal, lognormal, shuffleInPlace } from './numeric/random.js';
export type { Uniform, StreamName } from './numeric/random.js';
export { scenarioSchema, scenarioJsonSchema, MAX_STEPS } from './scenario/schema.js';
export type {
  Scenario,
  ScenarioInput,
  AssetSpec,
  VenueSpec,
  LendingSpec,
  PoolSpec,
  PerpSpec,
  CdpSpec,
  OptionsSpec,
  ReserveSpec,
  PopulationSpec,
  DistributionSpec,
  PricePathSpec,
  LiquidatorSpec,
} from './scenario/schema.js';
export { loadScenario, parseScenarioText, validateScenario } from './scenario/load.js';
export { cdpAsLending } from './scenario/cdp.js';
export { writerRequirement } from './model/build.js';
export {
  blackScholes,
  blackScholesExact,
  normalCdf,
  normalPdf,
  smileVol,
  smileSlope,
  smileGreeks,
} from './math/options.js';
export type {
  OptionKind,
  OptionInputs,
  Greeks,
  GreeksExact,
  Smile,
  DeltaConvention,
} from './math/options.js';
export type { ScenarioOverrides } from './scenario/load.js';
export { formatPath, valueAt } from './scenario/paths.js';
export type { RawPath } from './scenario/paths.js';
export { buildModel, accountId, poolSpotOf, poolPricedSide } from './model/build.js';
export { receiptId, populationAccountId } from './model/ids.js';
export { orderBook, sortByKey } from './model/book-order.js';
export type { BookGroup, OrderedBook, UnorderedBook } from './model/book-order.js';
export type {
  Model,
  AssetInfo,
  AssetKind,
  PoolInfo,
  MarketInfo,
  PerpInfo,
  PerpBook,
  OptionsInfo,
  OracleMode,
  CircuitBreaker,
  GasInfo,
  ReserveInfo,
  RateModel,
  LossModel,
  MarketBook,
  SupplyBook,
  ReserveBalance,
  AccountGroup,
  LiquidatorInfo,
  ArbitrageurInfo,
} from './model/model.js';
export { healthFactorExact, liquidationPriceExact } from './math/health.js';
export type { CollateralLeg, DebtLeg } from './math/health.js';
export { liquidationCallExact } from './math/liquidation.js';
export type { LiquidationCallInput, LiquidationCallResult } from './math/liquidation.js';
export { constantProductOutExact, constantProductSpotExact } from './math/amm.js';
export {
  stableswapDExact,
  stableswapYExact,
  stableswapOutExact,
  stableswapSpotExact,
  stableswapD,
  stableswapY,
  stableswapOut,
  stableswapIn,
  stableswapSpot,
} from './math/stableswap.js';
export { impactFactorExact, impactProceedsExact } from './math/impact.js';
export type { ImpactKind } from './math/impact.js';
export { utilisationExact, borrowRateExact, borrowRate } from './math/rates.js';
export {
  loopLeverage,
  loopLeverageExact,
  maxLeverageExact,
  loopHealthExact,
  loopLiquidationDropExact,
  loopBadDebtDropExact,
} from './math/leverage.js';
export {
  collateralGraph,
  reachableVenues,
  nodeKey,
  accountNodeOf,
  INDIVIDUAL_ACCOUNTS_UP_TO,
} from './graph/collateral-graph.js';
export type {
  CollateralGraph,
  CollateralGraphOptions,
  NodeAttributes,
  EdgeAttributes,
  NodeKind,
  EdgeKind,
  ReachedVenue,
} from './graph/collateral-graph.js';

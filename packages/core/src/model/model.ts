// The model a scenario describes, indexed for the engine: assets, pools, markets and a columnar book.
import type { Scenario } from '../scenario/schema.js';
import type { BookGroup } from './book-order.js';

/** Kind of asset: exogenous base asset, pegged stablecoin, or receipt token of a lending reserve. */
export type AssetKind = 'base' | 'stable' | 'pegged' | 'receipt';

/** One asset. Receipt tokens name their issuing market and underlying asset. */
export interface AssetInfo {
  readonly id: string;
  readonly kind: AssetKind;
  /** Starting price in the numeraire (USD); for receipt tokens, the underlying's price at par. */
  readonly price: number;
  /** Index of the issuing market (receipt tokens only). */
  readonly issuer?: number;
  /** Index of the reserve in the issuing market (receipt tokens only). */
  readonly issuerReserve?: number;
  /** Index of the underlying asset (receipt tokens only). */
  readonly underlying?: number;
  /** Index of the asset a pegged asset is a claim on (pegged only). */
  readonly peg?: number;
}

/**
 * A pool of two assets: `constant-product` (x y = k, fee on the input) or `stableswap` (Curve's
 * two-coin invariant at amplification `amp`, fee on the output, par in token units).
 */
export interface PoolInfo {
  readonly id: string;
  readonly kind: 'constant-product' | 'stableswap';
  /** Amplification A (stableswap; 0 for constant-product). */
  readonly amp: number;
  /** Asset indices [a, b]. */
  readonly assets: readonly [number, number];
  /** Starting reserves (token units) of assets[0] and assets[1]. */
  readonly reserves: readonly [number, number];
  /** Fee in [0, 1): a fraction of the input (constant-product) or of the output (stableswap). */
  readonly fee: number;
}

/** Kinked borrow rate model: annual rates as fractions. */
export interface RateModel {
  readonly base: number;
  readonly slope1: number;
  readonly kink: number;
  readonly slope2: number;
}

/** One reserve of a lending market: collateral parameters, lending parameters, or both. */
export interface ReserveInfo {
  readonly asset: number;
  /** Collateral slot index in the market's book, or -1 when not collateral. */
  readonly collSlot: number;
  /** Debt slot index in the market's book, or -1 when not borrowable. */
  readonly debtSlot: number;
  readonly ltv: number;
  readonly liquidationThreshold: number;
  readonly liquidationBonus: number;
  readonly protocolFee: number;
  readonly supplyCap: number;
  readonly borrowCap: number;
  readonly reserveFactor: number;
  readonly rateModel: RateModel;
  /** Receipt token asset index (borrowable reserves of lending markets), else -1. */
  readonly receipt: number;
  /** CDP collateral: the liquidation penalty on the debt (the tab is debt x (1 + penalty)); else 0. */
  readonly penalty: number;
}

/** Loss model of a market: who bears bad debt once the treasury (if any) is spent. */
export type LossModel = 'socialise' | 'deficit' | 'latent';

/**
 * How a market's oracle turns its source into a price. `read`: the (lagged) source as it stands.
 * `push`: the last report, renewed when the source moves by `deviation` or more from it (relative)
 * or when `heartbeatSeconds` have passed since it. `twap`: the mean of the source over the last
 * `windowSteps` steps (the current one included; before step 0 the step-0 price), geometric or
 * arithmetic.
 */
export type OracleMode =
  | { readonly kind: 'read' }
  | { readonly kind: 'push'; readonly deviation: number; readonly heartbeatSeconds: number }
  | {
      readonly kind: 'twap';
      readonly windowSteps: number;
      readonly mean: 'geometric' | 'arithmetic';
    };

/**
 * A circuit breaker of a lending market: liquidations halt when an oracle price has fallen by
 * `drop` or more over the last `withinSteps` steps, for `forSteps` steps from the step it trips in;
 * or over the steps `fromStep..toStep`.
 */
export type CircuitBreaker =
  | {
      readonly kind: 'drop';
      readonly drop: number;
      readonly withinSteps: number;
      readonly forSteps: number;
    }
  | { readonly kind: 'window'; readonly fromStep: number; readonly toStep: number };

/** A lending market. */
export interface MarketInfo {
  readonly id: string;
  /** Oracle source: -1 for the market price, else a pool index; lag in steps. */
  readonly oracleSource: number;
  readonly oracleLag: number;
  /** How the oracle reports its (lagged) source: as read, as a push feed, or as a TWAP. */
  readonly oracle: OracleMode;
  /** Largest move of the oracle per step, a fraction (NaN: no band). */
  readonly oracleMaxMove: number;
  readonly circuitBreakers: readonly CircuitBreaker[];
  readonly reserves: readonly ReserveInfo[];
  /** Reserve index per collateral slot. */
  readonly collReserves: readonly number[];
  /** Reserve index per debt slot. */
  readonly debtReserves: readonly number[];
  readonly closeFactor: number;
  /** Health below which a call may repay the whole debt (0 when never). */
  readonly fullCloseBelow: number;
  /** Descending auction in place of the fixed bonus: price factor start x decay^k (k steps), at least floor. */
  readonly auction?: { readonly start: number; readonly decay: number; readonly floor: number };
  readonly coverFromTreasury: boolean;
  readonly lossModel: LossModel;
  /**
   * Set when the market is a CDP: the stablecoin reserve (unminted room as cash, no receipt token),
   * the surplus at the start (covers bad debt before it becomes a deficit), and per collateral
   * reserve its debt ceiling (Infinity for the stablecoin).
   */
  readonly cdp?: {
    readonly stableReserve: number;
    readonly surplusBuffer: number;
    readonly debtCeiling: readonly number[];
  };
}

/**
 * Positions of one market in columns: row r belongs to account `account[r]`. Rows are ordered by
 * group (the one collateral and one debt a row holds, the mixed rest last) and, within a group,
 * ascending by collateral / debt, so the rows below health 1 at any prices form a prefix of each
 * group (see `orderBook`).
 */
export interface MarketBook {
  readonly rows: number;
  readonly account: Int32Array;
  /** Collateral in token units, one column per collateral slot. */
  readonly coll: readonly Float64Array[];
  /** Debt in underlying token units at the start (borrow index 1), one column per debt slot. */
  readonly debt: readonly Float64Array[];
  /** The groups of rows, in book order. */
  readonly groups: readonly BookGroup[];
  /** Per row: collateral / debt (Infinity without debt; NaN in the mixed group). */
  readonly ratio: Float64Array;
}

/** Supplies made when the model was built: one row per supply, in file order. */
export interface SupplyBook {
  readonly rows: number;
  readonly account: Int32Array;
  readonly market: Int32Array;
  /** Reserve index within the market. */
  readonly reserve: Int32Array;
  /** Underlying supplied (token units) = receipt tokens minted at the starting rate of 1. */
  readonly amount: Float64Array;
}

/** Balances of a borrowable reserve at the start. */
export interface ReserveBalance {
  /** Underlying held by the market and free to lend or pay out. */
  readonly cash: number;
  /** Total outstanding debt (underlying units). */
  readonly debt: number;
  /** Receipt tokens in existence (shares). */
  readonly receiptSupply: number;
}

/** A group of accounts with consecutive indices. */
export interface AccountGroup {
  readonly name: string;
  readonly start: number;
  readonly count: number;
  /** True for accounts listed one by one in the file. */
  readonly explicit: boolean;
  /** The strategy its accounts follow (by name, checked by the engine); sells to a pool index or -1 (market). */
  readonly agent?: {
    readonly kind: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly sellTo: number;
  };
}

/** Liquidator after expansion of `count`. */
export interface LiquidatorInfo {
  readonly id: string;
  /** Capital per asset index; Infinity for unlimited. */
  readonly capital: Float64Array;
  readonly minProfitUsd: number;
  /** -1 for the market, else a pool index. */
  readonly sellTo: number;
  /** Pool where it buys a debt asset it lacks (-1: none). */
  readonly fundFrom: number;
}

/** Arbitrageur with capital per asset (Infinity for unlimited). */
export interface ArbitrageurInfo {
  readonly id: string;
  readonly capital: Float64Array;
  /** Discount below par at which it buys in stableswap pools (NaN: it does not). */
  readonly pegDiscount: number;
}

/** Gas per liquidation call (USD) at each step: `usd`, or a spike's over its steps (the last listed wins). */
export interface GasInfo {
  readonly usd: number;
  readonly spikes: readonly {
    readonly fromStep: number;
    readonly toStep: number;
    readonly usd: number;
  }[];
}

/**
 * A perpetual-futures venue (dated futures when `expiry` is set). Conventions: a position is a
 * signed number of contracts (long > 0), each on one unit of `asset`, settled in `quote`; notional =
 * |size| x mark; equity = quote balance + unrealised PnL at the mark + other collateral x price x
 * (1 - haircut); liquidated when equity < maintenanceMargin x notional.
 */
export interface PerpInfo {
  readonly id: string;
  readonly asset: number;
  readonly quote: number;
  /** Index source: -1 for the market price, else a pool index. */
  readonly indexSource: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
  /** Funding per interval (perpetuals only; undefined for dated futures). */
  readonly funding?: {
    readonly intervalSeconds: number;
    readonly interestRate: number;
    readonly clamp: number;
    readonly cap: number;
  };
  /** Book depth in contracts (Infinity: closing moves nothing) and premium left after a step. */
  readonly depth: number;
  readonly premiumDecay: number;
  /** The mark counts the book premium within +-this (log of 1 + the band). */
  readonly markBandLog: number;
  readonly spotHedge: number;
  readonly liquidationFee: number;
  readonly insuranceFund: number;
  readonly adl: boolean;
  /** Whether ADL takes the makers' opposite position: never, before or after the ranked accounts. */
  readonly adlMakers: 'never' | 'first' | 'last';
  /** Cross-margin collateral slots: asset, haircut, price source (-1 market, else a pool index). */
  readonly collateral: readonly {
    readonly asset: number;
    readonly haircut: number;
    readonly priceFrom: number;
  }[];
  /** Dated futures: the step every position settles at, and the annual basis. */
  readonly expiry?: { readonly atStep: number; readonly basis: number };
  /** Mark price at step 0 (every position opens at it). */
  readonly startMark: number;
}

/**
 * Positions of one perpetual venue in columns (row r belongs to account `account[r]`). `cash` is
 * the quote balance less size x entry (the cost of the contracts), so an account's value at mark m
 * is cash + size x m: trades move cash and size between two parties and leave both sums unchanged.
 */
export interface PerpBook {
  readonly rows: number;
  readonly account: Int32Array;
  readonly size: Float64Array;
  readonly entry: Float64Array;
  readonly cash: Float64Array;
  /** Other collateral per slot (token units). */
  readonly coll: readonly Float64Array[];
}

/**
 * An options venue: European options on `asset` held by dealers who hedge their delta. Contracts
 * signed (long > 0); expiries in years from step 0; prices in units of `quote`.
 */
export interface OptionsInfo {
  readonly id: string;
  readonly asset: number;
  readonly quote: number;
  readonly rate: number;
  readonly smile: {
    readonly atm: number;
    readonly skew: number;
    readonly curvature: number;
    readonly floor: number;
    readonly spotVolBeta: number;
    readonly realisedVolBeta: number;
    /** Half-life of the realised-volatility average (seconds). */
    readonly realisedHalfLife: number;
  };
  readonly delta: 'sticky-moneyness' | 'sticky-strike';
  readonly hedgeEvery: number;
  readonly hedgeBand: number;
  /** Where hedges trade: -1 the market, else a pool index. */
  readonly hedgeTo: number;
  readonly dealers: readonly string[];
  readonly positions: readonly {
    readonly dealer: number;
    readonly kind: 'call' | 'put';
    readonly strike: number;
    readonly expiryYears: number;
    readonly contracts: number;
  }[];
  /** The writers' margin rule (see the scenario schema). */
  readonly writing: {
    readonly stress: number;
    readonly floor: number;
    readonly maintenance: number;
  };
  /**
   * Accounts writing options here, a row each: the account, the option (kind, strike, expiry in
   * years from step 0), contracts sold (> 0) and margin posted (quote units).
   */
  readonly writers: {
    readonly rows: number;
    readonly account: Int32Array;
    readonly put: Uint8Array;
    /** 1 where the writer rolls at expiry (an option-selling vault), its tenor and margin use. */
    readonly roll: Uint8Array;
    readonly tenorYears: Float64Array;
    readonly utilisation: Float64Array;
    readonly strike: Float64Array;
    readonly expiryYears: Float64Array;
    readonly contracts: Float64Array;
    readonly margin: Float64Array;
    /** Units of the option's asset held by covered-call writers (0 for writers margined in the quote). */
    readonly underlying: Float64Array;
  };
}

/** The whole model at the start of a run (step 0). */
export interface Model {
  readonly scenario: Scenario;
  readonly stepSeconds: number;
  readonly assets: readonly AssetInfo[];
  readonly assetIndex: ReadonlyMap<string, number>;
  readonly pools: readonly PoolInfo[];
  readonly markets: readonly MarketInfo[];
  readonly books: readonly MarketBook[];
  /** Per market, per reserve: balances (zeros for non-borrowable reserves). */
  readonly reserveBalances: readonly (readonly ReserveBalance[])[];
  /** Per market, per collateral slot: total held in custody. */
  readonly custody: readonly Float64Array[];
  /** Every supply to a borrowable reserve (suppliers and loops), for the graph and per-account views. */
  readonly supplies: SupplyBook;
  /** Sum of all accounts' wallet balances per asset (what they hold outside positions). */
  readonly wallets: Float64Array;
  readonly accountGroups: readonly AccountGroup[];
  readonly accountCount: number;
  /** Ids of explicitly listed accounts, by index. */
  readonly explicitIds: readonly string[];
  readonly liquidators: readonly LiquidatorInfo[];
  readonly gas: GasInfo;
  readonly arbitrageurs: readonly ArbitrageurInfo[];
  /** Perpetual and dated-futures venues, and their positions. */
  readonly perps: readonly PerpInfo[];
  readonly perpBooks: readonly PerpBook[];
  /** Options venues and their dealers' positions. */
  readonly options: readonly OptionsInfo[];
}

// The scenario file format as a zod schema: one source for validation, defaults and the JSON Schema.
import { z } from 'zod';
import { parseDuration } from '../numeric/duration.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const id = () =>
  z.string().regex(ID, {
    message: 'must be an id: letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

/** A number in a range; the message states the range in interval notation. */
function ranged(lo: number, hi: number, loOpen: boolean, hiOpen: boolean) {
  const show = (x: number) =>
    x === Infinity
      ? 'inf'
      : x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)
        ? x.toExponential().replace('e+', 'e')
        : String(x);
  const text = `must be in ${loOpen ? '(' : '['}${show(lo)}, ${show(hi)}${hiOpen ? ')' : ']'}`;
  return z
    .number()
    .refine((x) => (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi), { message: text });
}
/** Largest amount or parameter accepted: far beyond any real quantity, far from float overflow. */
const LARGEST = 1e18;
const positive = () => ranged(0, LARGEST, true, false);
const nonNegative = () => ranged(0, LARGEST, false, false);
/** Prices in the numeraire: from a billionth of a cent to a quadrillion. */
const price = () => ranged(1e-12, 1e15, false, false);
const fraction = () => ranged(0, 1, false, false);
const count = (max = Number.MAX_SAFE_INTEGER) =>
  z
    .number()
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be >= 0' })
    .max(max, { message: `must be <= ${max}` });

/** Bounds that keep a run within memory on one machine (sizes are allocated up front). */
export const MAX_STEPS = 1_000_000;
const MAX_POPULATION = 50_000_000;

const duration = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: 'must be a duration such as "1h", "15m", "1d"',
});

/** A token amount per asset id, e.g. `{ USDC: 5000000 }`. */
const holdings = z.record(z.string(), nonNegative());
const capital = z.union([z.literal('unlimited'), holdings]);

const asset = z.strictObject({
  id: id(),
  /**
   * `base`: follows its own exogenous path; `stable`: stays at its price unless shocked by a pool;
   * `pegged`: a claim on another asset (a liquid-staking token on ETH): its exogenous (fundamental)
   * price is its `peg`'s times price / the peg's price; its market price comes from where it trades.
   */
  kind: z.enum(['base', 'stable', 'pegged']),
  /** Starting price in the numeraire (USD), in [1e-12, 1e15]. */
  price: price(),
  /** The asset a `pegged` asset is a claim on (only for `pegged`). */
  peg: id().optional(),
});

const constantProduct = z.strictObject({
  id: id(),
  kind: z.literal('constant-product'),
  holdings: z.record(z.string(), positive()).refine((h) => Object.keys(h).length === 2, {
    message: 'a constant-product pool holds exactly two assets',
  }),
  /** Swap fee, a fraction of the input, in [0, 1). */
  fee: ranged(0, 1, false, true).default(0),
});

const stableswap = z.strictObject({
  id: id(),
  kind: z.literal('stableswap'),
  holdings: z.record(z.string(), positive()).refine((h) => Object.keys(h).length === 2, {
    message: 'a stableswap pool holds exactly two assets',
  }),
  /** Amplification A as a Curve pool's A() reports it (Ann = A x 2 in the invariant). */
  amplification: ranged(0, 1e6, true, false),
  /** Swap fee, a fraction of the output, in [0, 1). */
  fee: ranged(0, 1, false, true).default(0),
});

const rateModel = z.strictObject({
  /** Annual borrow rate at zero utilisation. */
  base: nonNegative().default(0),
  /** Rate added from zero utilisation to the kink. */
  slope1: nonNegative().default(0.04),
  /** Utilisation where the second slope starts, in (0, 1). */
  kink: ranged(0, 1, true, true).default(0.8),
  /** Rate added from the kink to full utilisation. */
  slope2: nonNegative().default(0.75),
});

const reserve = z.strictObject({
  /** Loan-to-value for new borrows, a fraction in [0, 1). */
  ltv: ranged(0, 1, false, true).optional(),
  /** Collateral value share counted in the health factor, in (0, 1]. Present = usable as collateral. */
  liquidationThreshold: ranged(0, 1, true, false).optional(),
  /** Liquidator's bonus on repaid debt, in [0, 1): 0.05 means collateral worth 105% of the repay. */
  liquidationBonus: ranged(0, 1, false, true).optional(),
  /** Share of the bonus paid to the treasury (Aave's liquidationProtocolFee), in [0, 1]. */
  protocolFee: fraction().default(0),
  /** Maximum collateral held (token units). */
  supplyCap: positive().optional(),
  /** Whether suppliers can lend this asset and borrowers borrow it. */
  borrowable: z.boolean().default(false),
  /** Maximum total debt (token units). */
  borrowCap: positive().optional(),
  /** Share of interest paid to the treasury, in [0, 1). */
  reserveFactor: ranged(0, 1, false, true).default(0),
  rateModel: rateModel.default({ base: 0, slope1: 0.04, kink: 0.8, slope2: 0.75 }),
});

const closeFactor = z.strictObject({
  /** Share of a debt one liquidation call may repay, in (0, 1]. */
  default: ranged(0, 1, true, false).default(0.5),
  /** Full liquidation allowed below this health factor (Aave: 0.95). */
  full: z
    .union([z.literal(false), z.strictObject({ belowHealth: positive() })])
    .default({ belowHealth: 0.95 }),
});

/**
 * Where the market's oracle reads base-asset prices (`market` or a pool id), `lag` steps late;
 * optionally as a push feed (a report when the source moves by `deviation` from the last report,
 * or `heartbeat` after it) or as a time-weighted average over `window`.
 */
const oracleSpec = z
  .strictObject({
    source: z.string().default('market'),
    lag: count().default(0),
    push: z.strictObject({ deviation: ranged(0, 1, true, true), heartbeat: duration }).optional(),
    twap: z
      .strictObject({
        window: duration,
        mean: z.enum(['geometric', 'arithmetic']).default('geometric'),
      })
      .optional(),
    /** A price band: the oracle moves at most this fraction per step from its last step's price. */
    maxMove: ranged(0, 1, true, true).optional(),
  })
  .default({ source: 'market', lag: 0 });

/**
 * Circuit breakers: liquidations halt while tripped. `when: { drop, within }` trips when an
 * oracle price of the market has fallen by `drop` or more over `within` (whole steps, default one
 * step), checked before every liquidation round, and holds for `for`; `when: { fromStep, toStep }`
 * halts over those steps (a chain halt, a governance pause).
 */
const circuitBreakerSpec = z
  .array(
    z.strictObject({
      halt: z.literal('liquidations'),
      when: z.union([
        z.strictObject({ drop: ranged(0, 1, true, true), within: duration.optional() }),
        z.strictObject({ fromStep: count(), toStep: count() }),
      ]),
      for: duration.optional(),
    }),
  )
  .optional();

/**
 * Liquidation by descending (Dutch) auction, as a CDP's keepers face it: a position's collateral
 * is offered from the step it becomes liquidatable at `start` x its oracle price, falling by the
 * factor `decay` each step, never below `floor` x the oracle price; keepers take it when buying at
 * that price and selling pays (gas included). Replaces the fixed liquidation bonus.
 */
const auctionSpec = z.strictObject({
  start: ranged(0, 10, true, false).default(1),
  decay: ranged(0, 1, true, false),
  floor: ranged(0, 1, false, false).default(0),
});

const lending = z.strictObject({
  id: id(),
  kind: z.literal('lending'),
  oracle: oracleSpec,
  circuitBreakers: circuitBreakerSpec,
  assets: z.record(z.string(), reserve),
  closeFactor: closeFactor.default({ default: 0.5, full: { belowHealth: 0.95 } }),
  auction: auctionSpec.optional(),
  /** Who bears bad debt: a treasury first (optional), then the loss model. */
  badDebt: z
    .strictObject({
      coverFrom: z.enum(['treasury', 'none']).default('none'),
      then: z.enum(['socialise', 'deficit', 'latent']).default('socialise'),
    })
    .default({ coverFrom: 'none', then: 'socialise' }),
});

/**
 * A perpetual-futures venue (or, with `expiry`, dated futures) on one base asset, margined and
 * settled in a stablecoin (`quote`). Positions are linear contracts of one unit of `asset` each.
 * Prices: the index is the asset's price where `index` reads it; the mark is the index times the
 * venue's premium (moved by the book when liquidations trade, decaying back each step) and, for
 * dated futures, times the carry to expiry. Margin: an account's equity is its quote balance plus
 * unrealised PnL at the mark plus its other collateral at the price `priceFrom` gives, less the
 * haircut; it is liquidated when equity falls below the maintenance margin (a fraction of the
 * position's notional at the mark).
 */
const perp = z.strictObject({
  id: id(),
  kind: z.literal('perp'),
  /** The base (or pegged) asset the contracts track. */
  asset: id(),
  /** The stablecoin margin is kept, PnL settled and funding paid in. */
  quote: id(),
  /** Where the index reads the asset's price: `market` or a pool id. */
  index: z.string().default('market'),
  /** Margin needed to open, a fraction of notional (1 / maximum leverage), in (0, 1]. */
  initialMargin: ranged(0, 1, true, false),
  /** Margin below which a position is liquidated, a fraction of notional at the mark, in (0, 1]. */
  maintenanceMargin: ranged(0, 1, true, false),
  /**
   * Funding (perpetuals only), per `interval`: rate = premium + clamp(interestRate - premium,
   * -clamp, clamp), capped at +-cap, premium = (book price - index) / index. Longs pay shorts when the
   * rate is positive; it accrues every step in proportion to the step's share of the interval.
   */
  funding: z
    .strictObject({
      interval: duration.default('8h'),
      interestRate: ranged(-1, 1, false, false).default(0.0001),
      clamp: ranged(0, 1, false, false).default(0.0005),
      cap: ranged(0, 1, false, false).default(0.0075),
    })
    .optional(),
  /**
   * The venue's order book: liquidations close positions in it at its price, and closing `q`
   * contracts moves that price by the factor exp(-q / depth) (a sale; a purchase raises it); each
   * step, basis traders leave `premiumDecay` of the premium. The mark, which margin is judged at,
   * follows the book only within `markBand` of the index (venues smooth the basis into the mark,
   * so a burst of forced sales moves fills, not every account's margin).
   */
  book: z
    .strictObject({
      depth: positive(),
      premiumDecay: fraction().default(0.5),
      markBand: ranged(0, 1, false, true).default(0.005),
    })
    .optional(),
  /** Share of the contracts the book absorbs from liquidations that its makers hedge in the spot market. */
  spotHedge: fraction().default(0),
  /** Taken into the insurance fund from what a liquidated account has left, a fraction of notional. */
  liquidationFee: fraction().default(0),
  /** The insurance fund at the start (quote units). */
  insuranceFund: nonNegative().default(0),
  /** Auto-deleveraging: when the fund cannot cover a bankruptcy, opposite positions take it over. */
  adl: z.boolean().default(true),
  /**
   * Whether ADL also takes the venue's makers' opposite position (a liquidity vault such as
   * Hyperliquid's HLP, which took most ADL fills on 10 Oct 2025): before the ranked accounts
   * (`first`), after them (`last`), or not at all (`never`).
   */
  adlMakers: z.enum(['never', 'first', 'last']).default('never'),
  /** Cross-margin collateral other than the quote asset: haircut in [0, 1) and where it is priced. */
  collateral: z
    .record(
      z.string(),
      z.strictObject({
        haircut: ranged(0, 1, false, true).default(0),
        priceFrom: z.string().default('market'),
      }),
    )
    .default({}),
  /**
   * Dated futures: every position settles at the index at step `atStep`; the futures price is the
   * index x e^(basis x years to expiry) (`basis` the annual carry, continuously compounded).
   */
  expiry: z
    .strictObject({
      atStep: z
        .number()
        .int({ message: 'must be a whole number' })
        .min(1, { message: 'must be >= 1' }),
      basis: ranged(-1, 10, false, false).default(0),
    })
    .optional(),
});

/**
 * A CDP stablecoin (Maker-style): vaults lock one collateral asset each and mint `stablecoin`
 * against it up to a debt ceiling per collateral. A vault is liquidatable when its collateral value
 * falls below `liquidationRatio` x its debt; its collateral is then sold by descending auction, and
 * the auction must raise the debt plus the `penalty` on it (the tab): raised stablecoin repays the
 * debt first, then the penalty (system surplus); collateral left once the tab is raised stays with
 * the vault; debt the collateral cannot raise is system debt, covered by the surplus (the starting
 * `surplusBuffer` and penalties earned) and then left as a deficit. Debt grows at `stabilityFee`.
 */
const cdp = z.strictObject({
  id: id(),
  kind: z.literal('cdp'),
  /** The stablecoin the vaults mint (a `stable` asset). */
  stablecoin: id(),
  oracle: oracleSpec,
  circuitBreakers: circuitBreakerSpec,
  collateral: z.record(
    z.string(),
    z.strictObject({
      /** Minimum collateral value / debt, > 1 (Maker's 150% for ETH is 1.5). */
      liquidationRatio: ranged(1, 100, true, false),
      /** Liquidation penalty on the debt, in [0, 1): the tab is debt x (1 + penalty). */
      penalty: ranged(0, 1, false, true).default(0.13),
      /** Most stablecoin the vaults of this collateral may owe. */
      debtCeiling: positive(),
    }),
  ),
  /** Annual rate at which vault debt grows (Maker's stability fee), one rate for the CDP. */
  stabilityFee: ranged(0, 10, false, false).default(0),
  /** How the collateral of a liquidatable vault is sold (required: a CDP liquidates by auction). */
  auction: auctionSpec,
  /** Stablecoin the system holds at the start to cover bad debt before it becomes a deficit. */
  surplusBuffer: nonNegative().default(0),
});

/**
 * An options venue: European options on `asset`, priced by Black-Scholes on an implied-volatility
 * smile, held by named dealers who hedge their delta in the spot market. Contracts are signed
 * (long > 0) and settle in `quote`; a dealer net short options is short gamma and sells into falls.
 */
const optionsVenue = z.strictObject({
  id: id(),
  kind: z.literal('options'),
  /** The base (or pegged) asset the options are on. */
  asset: id(),
  /** The stablecoin premiums, payoffs and hedges are paid in; prices are in its units. */
  quote: id(),
  /** Continuously compounded annual rate. */
  rate: ranged(-1, 1, false, false).default(0),
  /**
   * The smile, quadratic in log-moneyness k = ln(K / F): vol = atm + skew k + curvature k^2, never
   * below `floor`; `atm` moves with the spot: atm_t = atm + spotVolBeta x ln(S_t / S_0) (a
   * negative beta raises volatility as the price falls, the leverage effect), and with realised
   * volatility: + realisedVolBeta x (rv_t - atm), rv_t the annualised EWMA of squared log returns
   * of the spot with half-life `realisedHalfLife`, starting at `atm` (so nothing moves until the
   * market does).
   */
  smile: z.strictObject({
    atm: ranged(0, 10, true, false),
    skew: ranged(-10, 10, false, false).default(0),
    curvature: ranged(0, 100, false, false).default(0),
    floor: ranged(0, 10, true, false).default(0.05),
    spotVolBeta: ranged(-10, 10, false, false).default(0),
    realisedVolBeta: ranged(-10, 10, false, false).default(0),
    realisedHalfLife: duration.default('1d'),
  }),
  /** The delta dealers hedge: smile-consistent (the smile moves with spot) or sticky-strike. */
  delta: z.enum(['sticky-moneyness', 'sticky-strike']).default('sticky-moneyness'),
  /**
   * Dealers trade spot toward minus their options' delta at the start of every `every`-th step and
   * after every liquidation round, when it is more than `band` (asset units) away; in the market or
   * a pool (`to`).
   */
  hedge: z
    .strictObject({
      every: z
        .number()
        .int({ message: 'must be a whole number' })
        .min(1, { message: 'must be >= 1' })
        .default(1),
      band: nonNegative().default(0),
      to: z.string().default('market'),
    })
    .default({ every: 1, band: 0, to: 'market' }),
  /**
   * Margin of accounts that write (sell) options here, per short contract: the option's value
   * plus max(stress x spot - out-of-the-money amount, floor x (spot for a call, strike for a put)),
   * the rule CBOE sets for uncovered options (stress 0.15 to 0.20, floor 0.10); a writer whose
   * margin falls below `maintenance` x that is liquidated: its options bought back at their value.
   */
  writing: z
    .strictObject({
      stress: ranged(0, 10, false, false).default(0.15),
      floor: ranged(0, 10, false, false).default(0.1),
      maintenance: ranged(0, 1, true, false).default(1),
    })
    .default({ stress: 0.15, floor: 0.1, maintenance: 1 }),
  /** The options held: a dealer, a kind, a strike, time to expiry from step 0, signed contracts. */
  positions: z
    .array(
      z.strictObject({
        dealer: id(),
        kind: z.enum(['call', 'put']),
        strike: price(),
        expiry: duration,
        contracts: ranged(-LARGEST, LARGEST, false, false),
      }),
    )
    .min(1, { message: 'must list at least one option position' }),
});

const venue = z.discriminatedUnion('kind', [
  constantProduct,
  stableswap,
  lending,
  cdp,
  perp,
  optionsVenue,
]);

/** The venue kinds a scenario may name. */
export const VENUE_KINDS = [
  'constant-product',
  'stableswap',
  'lending',
  'cdp',
  'perp',
  'options',
] as const;

const distribution = z.union([
  z.strictObject({ lognormal: z.strictObject({ median: positive(), sigma: nonNegative() }) }),
  z.strictObject({ fixed: positive() }),
  z.strictObject({
    uniform: z
      .strictObject({ min: positive(), max: positive() })
      .refine((u) => u.min <= u.max, { message: 'min must be <= max' }),
  }),
]);

const accountPosition = z.strictObject({
  venue: z.string(),
  /** Lend to borrowable reserves; mints the reserve's receipt token to the account. */
  supply: holdings.optional(),
  /** Pledge as collateral (held in the market's custody, not lent out). */
  deposit: holdings.optional(),
  /** Borrow from the market's reserves, paid to the account's wallet. */
  borrow: holdings.optional(),
  /** Perpetual venues: margin posted (the quote asset and accepted collateral, token units). */
  margin: holdings.optional(),
  /** Perpetual venues: a long (or short) position of this many contracts (units of the asset). */
  long: positive().optional(),
  short: positive().optional(),
});

const account = z.strictObject({ id: id(), positions: z.array(accountPosition) });

const leverage = z.union([
  z.strictObject({ fixed: ranged(0, 1e6, true, false) }),
  z.strictObject({ lognormal: z.strictObject({ median: positive(), sigma: nonNegative() }) }),
  z.strictObject({
    uniform: z
      .strictObject({ min: positive(), max: positive() })
      .refine((u) => u.min <= u.max, { message: 'min must be <= max' }),
  }),
]);

const populationPosition = z.union([
  z.strictObject({ venue: z.string(), supply: z.string() }),
  z.strictObject({ venue: z.string(), deposit: z.string(), borrow: z.string() }),
  /**
   * A perpetual position: `size` of `margin` posted, a `side`, and a leverage (notional / margin
   * value after haircut) drawn per account; draws above 1 / initialMargin are capped there.
   */
  z.strictObject({
    venue: z.string(),
    margin: z.string(),
    side: z.enum(['long', 'short']),
    leverage,
  }),
  /**
   * Writing options on an options venue: `size` of the venue's quote posted as margin, and as many
   * contracts of `write` sold as use `utilisation` of it under the venue's margin rule at the start.
   * Covered calls: `margin` is the option's asset, `size` units of it held, and `utilisation` x
   * that many calls written, each covered by one unit (no margin call; in the money at expiry the
   * writer pays (S - K) / S units per call). With `from: borrowed` the margin posted is what the
   * account borrowed of the quote in its lending positions (a levered vault), not `size`.
   */
  z.strictObject({
    venue: z.string(),
    margin: z.string(),
    write: z.strictObject({ kind: z.enum(['call', 'put']), strike: price(), expiry: duration }),
    utilisation: ranged(0, 1, true, false).default(0.5),
    from: z.enum(['size', 'borrowed']).default('size'),
    /**
     * An option-selling vault: at each expiry, after settling, write again for the same tenor at
     * the same strike relative to the spot (a 10%-out-of-the-money put is rolled into the next
     * 10%-out-of-the-money put), sized again at `utilisation` of the margin, collecting the
     * premium. Premiums are always collected when writing.
     */
    roll: z.boolean().default(false),
  }),
]);

/**
 * A leverage loop, in one of two forms. Receipt loop: `supply` an asset to one market and pledge its
 * receipt token in `pledgeIn`, borrowing the asset back there. Swap loop: `deposit` collateral in a
 * market, `borrow` another asset, swap it for the collateral at the starting market price, redeposit.
 */
const loop = z.strictObject({
  /** Receipt loop: where the looped asset is supplied; its receipt token is what gets pledged. */
  supply: z.strictObject({ venue: z.string(), asset: z.string() }).optional(),
  /** Receipt loop: the market where the receipt token is pledged and the asset borrowed back. */
  pledgeIn: z.string().optional(),
  /** Swap loop: the market and collateral asset deposited (size = equity in this asset). */
  deposit: z.strictObject({ venue: z.string(), asset: z.string() }).optional(),
  /** Swap loop: the asset borrowed and swapped for more collateral. */
  borrow: z.string().optional(),
  /** Assets / equity after looping; at most 1 / (1 - LTV). Give this or `loops`. */
  targetLeverage: ranged(1, Infinity, false, true).optional(),
  /** Number of borrow-and-resupply rounds: leverage = (1 - LTV^(n+1)) / (1 - LTV). */
  loops: count().optional(),
});

const population = z.strictObject({
  name: id(),
  count: count(MAX_POPULATION),
  positions: z.array(populationPosition).default([]),
  strategy: z.strictObject({ loop }).optional(),
  /** Size of each account: collateral deposited (token units), supply, or equity for loops. */
  size: distribution,
  /** Health factor at the start for borrowing positions; draws below `resampleBelow` are redrawn. */
  healthFactor: z
    .union([
      z.strictObject({
        lognormal: z.strictObject({ median: positive(), sigma: nonNegative() }),
        resampleBelow: positive().optional(),
      }),
      z.strictObject({ fixed: positive() }),
    ])
    .optional(),
  /**
   * A strategy its accounts follow during the run, by name (`deleverage`, `stopLoss`, or one a
   * program registers with the engine), with its parameters; `sellTo` is where it sells collateral
   * to repay debt: `market` or a pool id. The engine checks the parameters when it starts.
   */
  agent: z
    .strictObject({
      kind: id(),
      params: z.record(z.string(), z.unknown()).default({}),
      sellTo: z.string().default('market'),
    })
    .optional(),
});

/** A series of prices read from a CSV file (the CLI reads it) or written in the scenario. */
const series = {
  /**
   * Prices, one per step from step 0 (written by the CLI from `file` into the resolved scenario,
   * or given directly).
   */
  prices: z.array(price()).min(2, { message: 'must hold at least two prices' }).optional(),
  /** A CSV file, relative to the scenario file; the CLI reads `column` for rows dated `from`..`to`. */
  file: z.string().optional(),
  column: z.string().default('price'),
  dateColumn: z.string().default('date'),
  from: z.string().optional(),
  to: z.string().optional(),
  /** Where the prices came from (the CLI writes it when it reads a file). */
  source: z.string().optional(),
};

/** An annual drift and volatility. */
const diffusion = {
  /** Annual drift of the log price's expected growth (the price grows at e^(drift t) on average). */
  drift: z.number().default(0),
  /** Annual volatility. */
  volatility: nonNegative(),
};

const pricePath = z.union([
  z.strictObject({
    shocks: z.array(
      z.strictObject({
        step: z
          .number()
          .int({ message: 'must be a whole number' })
          .min(1, { message: 'must be >= 1' }),
        /** Relative change applied to the previous exogenous price, > -1. */
        change: ranged(-1, Infinity, true, true),
      }),
    ),
  }),
  z.strictObject({ process: z.literal('gbm'), ...diffusion }),
  /**
   * GJR-GARCH(1,1) returns (Glosten, Jagannathan and Runkle 1993): per step, r = mu dt + e with
   * e = sigma_t z, and sigma_{t+1}^2 = omega + (alpha + gamma [e < 0]) e^2 + beta sigma_t^2: falls
   * raise volatility more than rises (the leverage effect). `volatility` is the long-run annual
   * level, from which omega follows; `startVolatility` the first step's (default: long-run).
   */
  z
    .strictObject({
      process: z.literal('gjr-garch'),
      ...diffusion,
      alpha: fraction(),
      gamma: ranged(0, 1, false, false),
      beta: fraction(),
      startVolatility: positive().optional(),
    })
    .refine((g) => g.alpha + g.gamma / 2 + g.beta < 1, {
      message: 'alpha + gamma / 2 + beta must be below 1 (a stationary variance)',
    }),
  /**
   * Merton (1976) jump-diffusion: GBM plus jumps arriving at `intensity` a year, each multiplying the
   * price by e^J, J normal with mean `mean` and std `sigma`; the drift is compensated so the
   * price's expected growth is still e^(drift t).
   */
  z.strictObject({
    process: z.literal('merton'),
    ...diffusion,
    jumps: z.strictObject({
      intensity: ranged(0, 1e6, false, false),
      mean: ranged(-10, 10, false, false),
      sigma: ranged(0, 10, false, false),
    }),
  }),
  /**
   * Regime switching: GBM whose drift and volatility are those of the current regime; each step
   * the regime is left with probability 1 - e^(-step / meanDuration), for another chosen at random.
   * Starts in the first regime.
   */
  z.strictObject({
    process: z.literal('regimes'),
    regimes: z
      .array(z.strictObject({ ...diffusion, meanDuration: duration }))
      .min(2, { message: 'must list at least two regimes' }),
  }),
  /** Historical replay: the series' returns applied to the asset's starting price, a step a row. */
  z.strictObject({ replay: z.strictObject(series) }),
  /**
   * Block bootstrap of a series' log returns: blocks of `blockLength` consecutive returns, each
   * starting at a random row, joined until the path is long enough (blocks keep the clustering of
   * volatility that drives cascades); every replicate draws its own.
   */
  z.strictObject({
    bootstrap: z.strictObject({
      ...series,
      blockLength: z.number().int({ message: 'must be a whole number' }).min(1, {
        message: 'must be >= 1',
      }),
    }),
  }),
]);

/**
 * Correlated shocks between assets with a process (gbm, gjr-garch, merton, regimes): the normal
 * draws of each step are mixed by the Cholesky factor of this correlation matrix (identity where
 * a pair is not listed).
 */
const correlation = z.strictObject({
  assets: z.tuple([z.string(), z.string()]),
  rho: ranged(-1, 1, false, false),
});

const impact = z.strictObject({
  /** exponential: price x exp(-q / depth); linear: price x max(0, 1 - q / depth); q = net sold. */
  kind: z.enum(['exponential', 'linear']).default('exponential'),
  /** Tokens that, sold, move the price by 1/e (exponential) or to zero (linear). */
  depth: positive(),
});

const arbitrageur = z.strictObject({
  id: id().optional(),
  capital,
  /**
   * Discount buying in stableswap pools: when a pegged asset (or a stablecoin) trades below par by
   * more than this, buy it from the pool with the other asset until the discount is back to this,
   * within capital, and hold it (no redemption). Absent: stableswap pools are left alone.
   */
  pegDiscount: ranged(0, 1, false, true).optional(),
});

const liquidatorGroup = z.strictObject({
  id: id().optional(),
  count: z.number().int().min(1, { message: 'must be >= 1' }).default(1),
  capitalEach: capital,
  /** A call is taken only when its profit at the sale quote is at least this (USD). */
  minProfitUsd: nonNegative().default(0),
  /** Where seized collateral is sold: `market` or a pool id. */
  sellTo: z.string().default('market'),
  /**
   * A pool where the liquidator buys the debt asset it lacks for a call (a keeper buying DAI with
   * USDC), paying with the pool's other asset from its capital; the price it pays counts in the
   * call's cost, and its purchases move the pool (the stablecoin's peg).
   */
  fundFrom: z.string().optional(),
});

/**
 * The network's transaction cost per liquidation call (USD), with spikes over ranges of steps (the
 * gas auction of a crash). Liquidators take a call only when its profit clears gas plus their
 * minimum; gas is a cost to them, not a token the model moves.
 */
const gas = z.strictObject({
  usd: nonNegative().default(0),
  spikes: z
    .array(z.strictObject({ fromStep: count(), toStep: count(), usd: nonNegative() }))
    .default([]),
});

/** The scenario schema (version 1). Parsing fills defaults. */
export const scenarioSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1, { message: 'must not be empty' }),
  description: z.string().optional(),
  seed: count().default(1),
  /** Length of one step, e.g. `1h`. */
  step: duration.default('1h'),
  steps: count(MAX_STEPS).default(24),
  assets: z.array(asset).min(1, { message: 'must list at least one asset' }),
  venues: z.array(venue).default([]),
  arbitrageurs: z.array(arbitrageur).default([]),
  gas: gas.optional(),
  liquidators: z.array(liquidatorGroup).default([]),
  liquidation: z
    .strictObject({
      /** Order in which eligible positions are served in a round. */
      order: z.enum(['random', 'profit']).default('random'),
      /** Most liquidation rounds in one step; hitting it is reported. */
      roundCap: z.number().int().min(1, { message: 'must be >= 1' }).default(100),
    })
    .default({ order: 'random', roundCap: 100 }),
  accounts: z.array(account).default([]),
  populations: z.array(population).default([]),
  prices: z.record(z.string(), pricePath).default({}),
  correlations: z.array(correlation).default([]),
  impact: z.record(z.string(), impact).default({}),
});

/** A scenario as written (defaults may be missing). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled. */
export type Scenario = z.output<typeof scenarioSchema>;
export type AssetSpec = Scenario['assets'][number];
export type VenueSpec = Scenario['venues'][number];
export type LendingSpec = Extract<VenueSpec, { kind: 'lending' }>;
export type PoolSpec = Extract<VenueSpec, { kind: 'constant-product' | 'stableswap' }>;
export type PerpSpec = Extract<VenueSpec, { kind: 'perp' }>;
export type CdpSpec = Extract<VenueSpec, { kind: 'cdp' }>;
export type OptionsSpec = Extract<VenueSpec, { kind: 'options' }>;
export type ReserveSpec = LendingSpec['assets'][string];
export type PopulationSpec = Scenario['populations'][number];
export type DistributionSpec = PopulationSpec['size'];
export type PricePathSpec = Scenario['prices'][string];
export type LiquidatorSpec = Scenario['liquidators'][number];

/** The published JSON Schema of the scenario format (input side: defaults optional). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

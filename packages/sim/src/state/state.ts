// The engine's flat, typed-array state: what one run mutates, reset from the model between runs.
import type { BookGroup, MarketInfo, Model } from '@contagion/core';
import { createPerp, resetPerp, type PerpState } from '../perps/perp.js';
import { createOptions, resetOptions, type OptionsState } from '../options/options.js';

/** Row flags of a market book. */
export const FLAG_LIQUIDATED = 1;
/** The row's collateral is exhausted and its remaining debt was booked as bad debt. */
export const FLAG_BAD_DEBT = 2;

/** One lending market's mutable state. Columns are indexed by book row. */
export interface MarketState {
  readonly index: number;
  readonly info: MarketInfo;
  readonly rows: number;
  readonly account: Int32Array;
  /** The book's row groups and per-row starting collateral / debt (see `orderBook` in core). */
  readonly groups: readonly BookGroup[];
  readonly ratio: Float64Array;
  /** Per group: the furthest row any scan has reached (rows changed by a liquidation lie before it). */
  readonly reach: Int32Array;
  /** Collateral per slot (token units). */
  readonly coll: Float64Array[];
  /** Scaled debt per slot: debt = scaled x borrow index of the reserve. */
  readonly debt: Float64Array[];
  readonly flags: Uint8Array;
  /** Per reserve (index = reserve): underlying cash held. */
  readonly cash: Float64Array;
  /** Per reserve: total scaled debt. */
  readonly scaledDebt: Float64Array;
  /** Per reserve: borrow index, 1 at the start. */
  readonly borrowIndex: Float64Array;
  /** Per reserve: receipt tokens in existence (all holders, treasury included). */
  readonly receiptSupply: Float64Array;
  /** Per reserve: receipt tokens held by the treasury (reserve factor). */
  readonly treasuryShares: Float64Array;
  /**
   * Per reserve: the product of (rate after / rate before) over socialised losses, 1 at the start.
   * The rate divided by it is the rate had no loss been socialised (interest kept): the no-value
   * counterfactual of channel attribution.
   */
  readonly lossFactor: Float64Array;
  /** Per reserve: booked, uncovered deficit (loss model `deficit`). */
  readonly deficit: Float64Array;
  /** Per reserve, cumulative underlying: bad debt booked, covered by treasury, socialised, left latent. */
  readonly badDebtBooked: Float64Array;
  readonly badDebtCovered: Float64Array;
  readonly badDebtSocialised: Float64Array;
  readonly badDebtLatent: Float64Array;
  /** Per collateral slot: tokens in custody. */
  readonly custody: Float64Array;
  /** Per collateral slot: protocol fees received (tokens) by the treasury. */
  readonly treasuryColl: Float64Array;
  /** Per reserve: oracle price used now (USD). */
  readonly price: Float64Array;
  /**
   * Push oracles, per asset: the last report (NaN before the first) and the step it was made at;
   * the `Exo` pair runs the same feed over the exogenous path (the counterfactual of channels).
   */
  readonly report: Float64Array;
  readonly reportStep: Int32Array;
  readonly reportExo: Float64Array;
  readonly reportExoStep: Int32Array;
  /** Per collateral slot: price x threshold; per debt slot: price x borrow index (scan weights). */
  readonly collW: Float64Array;
  readonly debtW: Float64Array;
  /** Weights of the last full scan, to skip scans when nothing moved. */
  readonly scannedCollW: Float64Array;
  readonly scannedDebtW: Float64Array;
  /** The eligible rows of the last scan, in book order. */
  readonly eligible: Int32Array;
  nEligible: number;
  /** True when the scan weights differ from the last full scan's. */
  dirty: boolean;
  /**
   * Descending auctions, per row: the step its current auction began (-1: none) and the last step
   * it was found eligible; empty without auctions.
   */
  readonly auctionStep: Int32Array;
  readonly auctionSeen: Int32Array;
  /**
   * CDPs, per row: the penalty still to raise in the current auction (stablecoin units), set when
   * the auction begins (penalty x the debt then); empty for lending markets.
   */
  readonly penaltyOwed: Float64Array;
  /**
   * CDPs, per row: 1 while the vault's auction is open (from its start until the tab is raised or
   * the collateral runs out: a vault in auction stays in it even if its health recovers), and the
   * rows whose auctions were opened (closed ones are skipped and dropped as rounds collect).
   */
  readonly auctionOpen: Uint8Array;
  openAuctions: number[];
  /**
   * CDPs, per reserve: the system surplus (the starting buffer plus penalties raised, less bad debt
   * it covered) and the penalties raised in all (stablecoin units; zeros for lending markets).
   */
  readonly surplus: Float64Array;
  readonly penaltyIncome: Float64Array;
  /** Circuit breakers: liquidations halted through this step (-1: not halted). */
  haltedUntil: number;
  /** Steps in which liquidations were halted at some point, and the first such step (-1: none). */
  haltedSteps: number;
  firstHalt: number;
  /** The last step counted in `haltedSteps`. */
  haltCounted: number;
  /**
   * Oracle price bands, per asset: the price at the end of the last step and the latest read, for
   * the actual feed and for the counterfactual over the exogenous path (NaN: none yet).
   */
  readonly bandPrev: Float64Array;
  readonly bandLast: Float64Array;
  readonly bandPrevExo: Float64Array;
  readonly bandLastExo: Float64Array;
}

/** The whole mutable state of a run. */
export interface SimState {
  readonly model: Model;
  readonly markets: MarketState[];
  /** Perpetual and dated-futures venues. */
  readonly perps: PerpState[];
  /** Options venues (dealers and their hedges). */
  readonly options: OptionsState[];
  /** Pool reserves, two per pool: [pool * 2 + side]. */
  readonly poolReserves: Float64Array;
  /** Per asset: exogenous price now. */
  readonly exo: Float64Array;
  /** Per asset: impact depth (Infinity without impact) and 1 where the impact is linear. */
  readonly impactDepth: Float64Array;
  readonly impactLinear: Uint8Array;
  /** Per asset: net amount sold to the market so far (impact). */
  readonly sold: Float64Array;
  /** Per asset: market price now (exogenous x impact; receipts: rate x underlying). */
  readonly marketPrice: Float64Array;
  /** Per liquidator, per asset: holdings (capital, proceeds, unsold or unredeemed tokens). */
  readonly liquidatorHoldings: Float64Array[];
  /** Per arbitrageur, per asset. */
  readonly arbHoldings: Float64Array[];
  /**
   * Per liquidator / arbitrageur, per asset: 1 where capital is unlimited. Such a holding starts at 0
   * and may go negative (funds brought from outside), so every ledger sum stays finite.
   */
  readonly liquidatorUnlimited: Uint8Array[];
  readonly arbUnlimited: Uint8Array[];
  /** Per asset: the outside market's net position (negative: it paid out). */
  readonly marketHoldings: Float64Array;
  /** Per asset: tokens minted and burned during the run (receipt tokens). */
  readonly minted: Float64Array;
  readonly burned: Float64Array;
  /** Per asset: accounts' wallets (aggregate). */
  readonly wallets: Float64Array;
  /** A round's queue across markets: each eligible row's global book-group id and its row. */
  readonly queueGroup: Int32Array;
  readonly queueRow: Int32Array;
}

function market(model: Model, mi: number): MarketState {
  const info = model.markets[mi]!;
  const book = model.books[mi]!;
  const nR = info.reserves.length;
  const nC = info.collReserves.length;
  const nD = info.debtReserves.length;
  const rows = book.rows;
  return {
    index: mi,
    info,
    rows,
    account: book.account,
    groups: book.groups,
    ratio: book.ratio,
    reach: new Int32Array(book.groups.length),
    coll: book.coll.map((c) => new Float64Array(c.length)),
    debt: book.debt.map((d) => new Float64Array(d.length)),
    flags: new Uint8Array(rows),
    cash: new Float64Array(nR),
    scaledDebt: new Float64Array(nR),
    borrowIndex: new Float64Array(nR),
    receiptSupply: new Float64Array(nR),
    treasuryShares: new Float64Array(nR),
    lossFactor: new Float64Array(nR),
    deficit: new Float64Array(nR),
    badDebtBooked: new Float64Array(nR),
    badDebtCovered: new Float64Array(nR),
    badDebtSocialised: new Float64Array(nR),
    badDebtLatent: new Float64Array(nR),
    custody: new Float64Array(nC),
    treasuryColl: new Float64Array(nC),
    price: new Float64Array(nR),
    report: new Float64Array(model.assets.length),
    reportStep: new Int32Array(model.assets.length),
    reportExo: new Float64Array(model.assets.length),
    reportExoStep: new Int32Array(model.assets.length),
    collW: new Float64Array(nC),
    debtW: new Float64Array(nD),
    scannedCollW: new Float64Array(nC),
    scannedDebtW: new Float64Array(nD),
    eligible: new Int32Array(rows),
    nEligible: 0,
    dirty: true,
    auctionStep: new Int32Array(model.markets[mi]!.auction === undefined ? 0 : rows),
    auctionSeen: new Int32Array(model.markets[mi]!.auction === undefined ? 0 : rows),
    penaltyOwed: new Float64Array(info.cdp === undefined ? 0 : rows),
    auctionOpen: new Uint8Array(info.cdp === undefined ? 0 : rows),
    openAuctions: [],
    surplus: new Float64Array(nR),
    penaltyIncome: new Float64Array(nR),
    haltedUntil: -1,
    haltedSteps: 0,
    firstHalt: -1,
    haltCounted: -1,
    bandPrev: new Float64Array(model.assets.length),
    bandLast: new Float64Array(model.assets.length),
    bandPrevExo: new Float64Array(model.assets.length),
    bandLastExo: new Float64Array(model.assets.length),
  };
}

/** Rows a liquidation round can queue: every market's and perpetual venue's. */
function queueLength(model: Model): number {
  return (
    model.books.reduce((s, b) => s + b.rows, 0) + model.perpBooks.reduce((s, b) => s + b.rows, 0)
  );
}

/** Allocate the state of `model` (call {@link resetState} before each run). */
export function compile(model: Model): SimState {
  const nA = model.assets.length;
  const state: SimState = {
    model,
    markets: model.markets.map((_, mi) => market(model, mi)),
    perps: model.perps.map((_, pi) => createPerp(model, pi)),
    options: model.options.map((_, oi) => createOptions(model, oi)),
    poolReserves: new Float64Array(model.pools.length * 2),
    exo: new Float64Array(nA),
    sold: new Float64Array(nA),
    impactDepth: Float64Array.from(
      model.assets,
      (a) => model.scenario.impact[a.id]?.depth ?? Infinity,
    ),
    impactLinear: Uint8Array.from(model.assets, (a) =>
      model.scenario.impact[a.id]?.kind === 'linear' ? 1 : 0,
    ),
    marketPrice: new Float64Array(nA),
    liquidatorHoldings: model.liquidators.map(() => new Float64Array(nA)),
    arbHoldings: model.arbitrageurs.map(() => new Float64Array(nA)),
    liquidatorUnlimited: model.liquidators.map((l) =>
      Uint8Array.from(l.capital, (x) => (x === Infinity ? 1 : 0)),
    ),
    arbUnlimited: model.arbitrageurs.map((a) =>
      Uint8Array.from(a.capital, (x) => (x === Infinity ? 1 : 0)),
    ),
    marketHoldings: new Float64Array(nA),
    minted: new Float64Array(nA),
    burned: new Float64Array(nA),
    wallets: new Float64Array(nA),
    queueGroup: new Int32Array(queueLength(model)),
    queueRow: new Int32Array(queueLength(model)),
  };
  resetState(state);
  return state;
}

/** Put `state` back to the model's step-0 state, reusing every buffer. */
export function resetState(state: SimState): void {
  const { model } = state;
  for (const ms of state.markets) {
    const book = model.books[ms.index]!;
    book.coll.forEach((c, k) => ms.coll[k]!.set(c));
    book.debt.forEach((d, k) => ms.debt[k]!.set(d));
    ms.flags.fill(0);
    ms.groups.forEach((g, gi) => (ms.reach[gi] = g.start));
    const bal = model.reserveBalances[ms.index]!;
    bal.forEach((b, r) => {
      ms.cash[r] = b.cash;
      ms.scaledDebt[r] = b.debt;
      ms.receiptSupply[r] = b.receiptSupply;
    });
    ms.borrowIndex.fill(1);
    ms.lossFactor.fill(1);
    for (const a of [
      ms.treasuryShares,
      ms.deficit,
      ms.badDebtBooked,
      ms.badDebtCovered,
      ms.badDebtSocialised,
      ms.badDebtLatent,
      ms.treasuryColl,
    ])
      a.fill(0);
    ms.custody.set(model.custody[ms.index]!);
    ms.price.fill(0);
    ms.report.fill(NaN);
    ms.reportExo.fill(NaN);
    ms.reportStep.fill(-1);
    ms.reportExoStep.fill(-1);
    ms.collW.fill(0);
    ms.debtW.fill(0);
    ms.scannedCollW.fill(NaN);
    ms.scannedDebtW.fill(NaN);
    ms.nEligible = 0;
    ms.dirty = true;
    ms.auctionStep.fill(-1);
    ms.auctionSeen.fill(-2);
    ms.penaltyOwed.fill(0);
    ms.auctionOpen.fill(0);
    ms.openAuctions = [];
    ms.surplus.fill(0);
    ms.penaltyIncome.fill(0);
    if (ms.info.cdp !== undefined)
      ms.surplus[ms.info.cdp.stableReserve] = ms.info.cdp.surplusBuffer;
    ms.haltedUntil = -1;
    ms.haltedSteps = 0;
    ms.firstHalt = -1;
    ms.haltCounted = -1;
    for (const a of [ms.bandPrev, ms.bandLast, ms.bandPrevExo, ms.bandLastExo]) a.fill(NaN);
  }
  for (const ps of state.perps) resetPerp(ps, model);
  for (const os of state.options) resetOptions(os);
  model.pools.forEach((p, i) => {
    state.poolReserves[2 * i] = p.reserves[0];
    state.poolReserves[2 * i + 1] = p.reserves[1];
  });
  model.assets.forEach((a, i) => {
    state.exo[i] = a.kind === 'receipt' ? NaN : a.price;
  });
  state.sold.fill(0);
  model.liquidators.forEach((l, i) =>
    state.liquidatorHoldings[i]!.set(l.capital.map(finiteOrZero)),
  );
  model.arbitrageurs.forEach((a, i) => state.arbHoldings[i]!.set(a.capital.map(finiteOrZero)));
  state.marketHoldings.fill(0);
  state.minted.fill(0);
  state.burned.fill(0);
  state.wallets.set(model.wallets);
}

function finiteOrZero(x: number): number {
  return x === Infinity ? 0 : x;
}

/** Spendable amount of asset `a` in `hold`: Infinity where capital is unlimited. */
export function spendable(hold: Float64Array, unlimited: Uint8Array, a: number): number {
  return unlimited[a] === 1 ? Infinity : hold[a]!;
}

/**
 * Bytes of kernel state per book row: every column the kernel reads or writes per row (the book's
 * account and ratio columns it shares with the model included), market and perp venue rows alike,
 * the event log excluded.
 */
export function bytesPerRow(state: SimState): number {
  let bytes = 0;
  let rows = 0;
  for (const ms of state.markets) {
    rows += ms.rows;
    bytes +=
      ms.account.byteLength +
      ms.flags.byteLength +
      ms.eligible.byteLength +
      ms.ratio.byteLength +
      ms.auctionStep.byteLength +
      ms.auctionSeen.byteLength;
    for (const c of ms.coll) bytes += c.byteLength;
    for (const d of ms.debt) bytes += d.byteLength;
  }
  for (const ps of state.perps) {
    rows += ps.rows;
    bytes +=
      ps.account.byteLength +
      ps.size.byteLength +
      ps.entry.byteLength +
      ps.cash.byteLength +
      ps.flags.byteLength +
      ps.eligible.byteLength;
    for (const c of ps.coll) bytes += c.byteLength;
  }
  bytes += state.queueGroup.byteLength + state.queueRow.byteLength;
  return rows === 0 ? 0 : bytes / rows;
}

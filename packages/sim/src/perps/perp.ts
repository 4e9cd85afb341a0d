// Perpetual futures (and dated futures) venues: mark and index, funding, margin liquidation through
// the venue's own book, the insurance fund, and auto-deleveraging of opposite positions.
//
// Conventions (stated in docs/design.md "Perpetual futures"):
// - Prices on the venue are in its quote asset. A position is a signed number of contracts (long
//   > 0) on one unit of the asset each. `cash` is the quote balance less size x entry, so an
//   account's value at mark m is cash + size x m; every trade moves cash and contracts between two
//   parties, so both sums (with the venue's makers) are conserved exactly.
// - Equity = cash + size x mark + sum of other collateral x price x (1 - haircut) / quote price.
//   Liquidatable when size != 0 and equity < maintenanceMargin x |size| x mark.
// - A liquidation sells the account's other collateral for the quote asset where it is priced,
//   then closes the whole position in the venue's book (the makers take it at a price the book
//   impact sets, and hedge `spotHedge` of it in the spot market). What is left pays the liquidation
//   fee into the insurance fund and returns to the account; a negative balance is paid by the fund.
// - When the fund cannot pay what the book would leave owed and ADL is on, the position is instead
//   closed against opposite positions at its bankruptcy price (where the account's value is
//   exactly zero; the fund is not touched), highest ranked first: PnL share x effective leverage
//   (profitable positions first, as the venues rank them); the ranking is taken once per
//   liquidation round. Any part no one can take closes in the book; the fund pays what that leaves
//   owed, and what it cannot pay is the venue's deficit.
import type { Model, PerpInfo } from '@contagion/core';
import { marketTrade } from '../prices/market.js';
import { poolInputFor, poolSide, poolSpot, poolSwap } from '../pools/pool.js';
import type { SimState } from '../state/state.js';
import {
  CLOSED_IN_BOOK,
  DELEVERAGED,
  SETTLED,
  VENUE_ENGINE,
  type EventLog,
} from '../events/event-log.js';

/** Row flags (the values lending books use). */
const FLAG_LIQUIDATED = 1;
const FLAG_BAD_DEBT = 2;

/** Seconds in the year of an annual basis (365 days). */
const YEAR_SECONDS = 365 * 86400;

/** Counters of one perpetual venue (quote units unless named otherwise). */
export interface PerpTally {
  liquidations: number;
  /** Notional of positions liquidated, at the mark. */
  liquidatedNotional: number;
  /** Insurance fund: paid out to cover bankruptcies, and fees taken in. */
  insuranceDrawn: number;
  insuranceFees: number;
  /** ADL: counterparty positions reduced, their notional at the mark, and what they gave up against the mark. */
  adlCount: number;
  adlNotional: number;
  adlLoss: number;
  /** Funding paid by the side that pays (makers included). */
  fundingPaid: number;
  /** Losses nobody covered. */
  deficit: number;
  /** Per collateral slot: tokens sold in liquidations and the quote they raised. */
  readonly collSold: Float64Array;
  readonly collProceeds: Float64Array;
  /**
   * Per channel (shock, price, value): notional liquidated and deficit left (USD at the quote's
   * price then). Shock: the account is below maintenance margin at exogenous prices alone (index
   * and collateral at their exogenous prices, no book premium); price: only at the prices the run
   * made (a book premium, a depegged collateral, impact of others' sales).
   */
  readonly channelLiq: Float64Array;
  readonly channelBad: Float64Array;
}

/** One perpetual venue's mutable state. Columns are indexed by book row. */
export interface PerpState {
  readonly index: number;
  readonly info: PerpInfo;
  readonly rows: number;
  readonly account: Int32Array;
  readonly size: Float64Array;
  readonly entry: Float64Array;
  readonly cash: Float64Array;
  readonly coll: Float64Array[];
  readonly flags: Uint8Array;
  /** Per collateral slot: tokens in the venue's custody, now and at the start. */
  readonly custody: Float64Array;
  readonly startCustody: Float64Array;
  /**
   * Log premium of the book over the index: the book's mid is index x carry x exp(premium), where
   * liquidations fill; the mark counts the premium only within the venue's mark band.
   */
  premium: number;
  indexPrice: number;
  bookMid: number;
  mark: number;
  /** Per collateral slot: price in quote units after haircut. */
  readonly collPx: Float64Array;
  insurance: number;
  /** The venue's makers: contracts, cash (as for accounts) and spot hedge holdings per asset. */
  makerSize: number;
  makerCash: number;
  readonly makerSpot: Float64Array;
  /** Uncovered deficit (quote), held by the venue as a negative balance. */
  deficit: number;
  expired: boolean;
  readonly eligible: Int32Array;
  nEligible: number;
  /** ADL rankings of long and short positions, for the round `rankedAt` (step x 2^20 + round). */
  rankedAt: number;
  rankLong: Int32Array;
  rankShort: Int32Array;
  cursorLong: number;
  cursorShort: number;
  /** Lowest mark and index so far. */
  markTrough: number;
  indexTrough: number;
  readonly total: PerpTally;
  readonly stepTally: PerpTally;
}

function tally(nC: number): PerpTally {
  return {
    liquidations: 0,
    liquidatedNotional: 0,
    insuranceDrawn: 0,
    insuranceFees: 0,
    adlCount: 0,
    adlNotional: 0,
    adlLoss: 0,
    fundingPaid: 0,
    deficit: 0,
    collSold: new Float64Array(nC),
    collProceeds: new Float64Array(nC),
    channelLiq: new Float64Array(3),
    channelBad: new Float64Array(3),
  };
}

function clearTally(t: PerpTally): void {
  t.liquidations = 0;
  t.liquidatedNotional = 0;
  t.insuranceDrawn = 0;
  t.insuranceFees = 0;
  t.adlCount = 0;
  t.adlNotional = 0;
  t.adlLoss = 0;
  t.fundingPaid = 0;
  t.deficit = 0;
  t.collSold.fill(0);
  t.collProceeds.fill(0);
  t.channelLiq.fill(0);
  t.channelBad.fill(0);
}

/** Allocate perpetual venue `pi` of `model` (reset before each run). */
export function createPerp(model: Model, pi: number): PerpState {
  const info = model.perps[pi]!;
  const book = model.perpBooks[pi]!;
  const nC = info.collateral.length;
  return {
    index: pi,
    info,
    rows: book.rows,
    account: book.account,
    size: new Float64Array(book.rows),
    entry: book.entry,
    cash: new Float64Array(book.rows),
    coll: book.coll.map((c) => new Float64Array(c.length)),
    flags: new Uint8Array(book.rows),
    custody: new Float64Array(nC),
    startCustody: new Float64Array(nC),
    premium: 0,
    indexPrice: 0,
    bookMid: 0,
    mark: 0,
    collPx: new Float64Array(nC),
    insurance: 0,
    makerSize: 0,
    makerCash: 0,
    makerSpot: new Float64Array(model.assets.length),
    deficit: 0,
    expired: false,
    eligible: new Int32Array(book.rows),
    nEligible: 0,
    rankedAt: -1,
    rankLong: new Int32Array(0),
    rankShort: new Int32Array(0),
    cursorLong: 0,
    cursorShort: 0,
    markTrough: Infinity,
    indexTrough: Infinity,
    total: tally(nC),
    stepTally: tally(nC),
  };
}

/** Put a perpetual venue back to step 0. */
export function resetPerp(ps: PerpState, model: Model): void {
  const book = model.perpBooks[ps.index]!;
  ps.size.set(book.size);
  ps.cash.set(book.cash);
  let makerSize = 0;
  let makerCash = 0;
  for (let i = 0; i < ps.rows; i++) {
    makerSize -= book.size[i]!;
    makerCash += book.size[i]! * book.entry[i]!;
  }
  // The makers hold the other side of every position, opened at the starting mark.
  ps.makerSize = makerSize;
  ps.makerCash = makerCash;
  book.coll.forEach((c, k) => {
    ps.coll[k]!.set(c);
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i]!;
    ps.custody[k] = s;
    ps.startCustody[k] = s;
  });
  ps.flags.fill(0);
  ps.premium = 0;
  ps.insurance = ps.info.insuranceFund;
  ps.makerSpot.fill(0);
  ps.deficit = 0;
  ps.expired = false;
  ps.nEligible = 0;
  ps.rankedAt = -1;
  ps.markTrough = Infinity;
  ps.indexTrough = Infinity;
  clearTally(ps.total);
  clearTally(ps.stepTally);
}

/** USD price of asset `a` where `source` reads it: the market (-1) or a pool's spot. */
function sourceUsd(state: SimState, source: number, a: number): number {
  if (source < 0) return state.marketPrice[a]!;
  const side = poolSide(state, source, a);
  const other = state.model.pools[source]!.assets[1 - side]!;
  return poolSpot(state, source, side) * state.marketPrice[other]!;
}

/** Carry factor of dated futures at step `t`: e^(basis x years to expiry) (1 for perpetuals). */
function carry(state: SimState, info: PerpInfo, t: number): number {
  if (info.expiry === undefined) return 1;
  const left = Math.max(0, info.expiry.atStep - t);
  return Math.exp((info.expiry.basis * left * state.model.stepSeconds) / YEAR_SECONDS);
}

/** Read the index and collateral prices now and set the mark. */
export function refreshPerp(state: SimState, ps: PerpState, t: number): void {
  const info = ps.info;
  const q = state.marketPrice[info.quote]!;
  ps.indexPrice = sourceUsd(state, info.indexSource, info.asset) / q;
  const base = ps.indexPrice * carry(state, info, t);
  ps.bookMid = base * Math.exp(ps.premium);
  const band = info.markBandLog;
  ps.mark = base * Math.exp(Math.min(band, Math.max(-band, ps.premium)));
  info.collateral.forEach((c, k) => {
    ps.collPx[k] = (sourceUsd(state, c.priceFrom, c.asset) * (1 - c.haircut)) / q;
  });
  if (ps.mark < ps.markTrough) ps.markTrough = ps.mark;
  if (ps.indexPrice < ps.indexTrough) ps.indexTrough = ps.indexPrice;
}

/** Equity of row `i` at the current mark and collateral prices (quote units). */
export function perpEquity(ps: PerpState, i: number): number {
  let e = ps.cash[i]! + ps.size[i]! * ps.mark;
  for (let k = 0; k < ps.coll.length; k++) e += ps.coll[k]![i]! * ps.collPx[k]!;
  return e;
}

/** Whether row `i` is below its maintenance margin. */
export function perpLiquidatable(ps: PerpState, i: number): boolean {
  const s = ps.size[i]!;
  if (s === 0) return false;
  return perpEquity(ps, i) < ps.info.maintenanceMargin * Math.abs(s) * ps.mark;
}

/**
 * The funding rate per interval now: premium + clamp(interest - premium, -clamp, clamp), capped at
 * +-cap, with premium = book mid / (index x carry) - 1 (the book's premium over the index).
 */
export function fundingRate(ps: PerpState): number {
  const f = ps.info.funding;
  if (f === undefined) return 0;
  const p = Math.expm1(ps.premium);
  const r = p + Math.min(f.clamp, Math.max(-f.clamp, f.interestRate - p));
  return Math.min(f.cap, Math.max(-f.cap, r));
}

/**
 * Start of a step for a perpetual venue (after prices are set, before liquidations): the premium
 * decays, prices are read, funding for the step is paid (longs pay shorts when the rate is
 * positive: size x mark x rate x step / interval each), and dated futures settle at expiry.
 */
export function startPerpStep(
  ctx: { state: SimState; step: number; log: EventLog },
  ps: PerpState,
): void {
  const { state, step } = ctx;
  clearTally(ps.stepTally);
  if (ps.expired) {
    refreshPerp(state, ps, step);
    return;
  }
  ps.premium *= ps.info.premiumDecay;
  const exp = ps.info.expiry;
  if (exp !== undefined && step >= exp.atStep) ps.premium = 0;
  refreshPerp(state, ps, step);
  const f = ps.info.funding;
  if (f !== undefined) {
    const perContract = ps.mark * fundingRate(ps) * (state.model.stepSeconds / f.intervalSeconds);
    if (perContract !== 0) {
      let paid = 0;
      const size = ps.size;
      const cash = ps.cash;
      for (let i = 0; i < ps.rows; i++) {
        const pay = size[i]! * perContract;
        cash[i] = cash[i]! - pay;
        if (pay > 0) paid += pay;
      }
      const makerPay = ps.makerSize * perContract;
      ps.makerCash -= makerPay;
      if (makerPay > 0) paid += makerPay;
      ps.stepTally.fundingPaid += paid;
      ps.total.fundingPaid += paid;
    }
  }
  if (exp !== undefined && step >= exp.atStep) settleExpiry(state, ps, step, ctx.log);
}

/** Dated futures at expiry: every position closes with the makers at the mark (the index). */
function settleExpiry(state: SimState, ps: PerpState, t: number, log: EventLog): void {
  const m = ps.mark;
  const q = state.marketPrice[ps.info.quote]!;
  for (let i = 0; i < ps.rows; i++) {
    const s = ps.size[i]!;
    if (s === 0) continue;
    const short = ps.cash[i]! + s * m < 0;
    const channel = short ? perpChannel(state, ps, i, t) : 0;
    const health = short ? perpEquity(ps, i) / (ps.info.maintenanceMargin * Math.abs(s) * m) : 0;
    ps.cash[i] = ps.cash[i]! + s * m;
    ps.size[i] = 0;
    ps.makerCash -= s * m;
    ps.makerSize += s;
    if (!short) continue;
    // An account settled short of its margin (it should have been liquidated before): its
    // collateral is sold, the fund pays what it can, the rest is the deficit; it counts as a
    // liquidation of the venue, and is logged as one.
    const deficitBefore = ps.total.deficit;
    sellCollateral(state, ps, i);
    coverNegative(ps, i);
    const notional = Math.abs(s) * m;
    const bad = (ps.total.deficit - deficitBefore) * q;
    for (const tally of [ps.stepTally, ps.total]) {
      tally.liquidations++;
      tally.liquidatedNotional += notional;
    }
    ps.total.channelLiq[channel] = ps.total.channelLiq[channel]! + notional * q;
    ps.total.channelBad[channel] = ps.total.channelBad[channel]! + bad;
    logPerp(
      log,
      state,
      ps,
      i,
      t,
      0,
      SETTLED,
      channel,
      Math.abs(s),
      0,
      notional,
      m,
      s * m,
      bad,
      health,
    );
  }
  ps.expired = true;
}

/** Write a perp venue's liquidation to the event log (see the log's column notes). */
function logPerp(
  log: EventLog,
  state: SimState,
  ps: PerpState,
  i: number,
  t: number,
  round: number,
  how: number,
  channel: number,
  contracts: number,
  fee: number,
  notional: number,
  mark: number,
  raised: number,
  bad: number,
  health: number,
): void {
  const info = ps.info;
  const e = log.next();
  log.int.step[e] = t;
  log.int.round[e] = round;
  log.int.market[e] = state.markets.length + ps.index;
  log.int.row[e] = i;
  log.int.collAsset[e] = info.asset;
  log.int.debtAsset[e] = info.quote;
  log.int.liquidator[e] = VENUE_ENGINE;
  log.int.soldTo[e] = how;
  log.int.channel[e] = channel;
  log.f64.seized[e] = contracts;
  log.f64.fee[e] = fee;
  log.f64.repaid[e] = notional;
  log.f64.collPrice[e] = mark;
  log.f64.debtPrice[e] = state.marketPrice[info.quote]!;
  log.f64.proceeds[e] = raised;
  log.f64.priceAfter[e] = ps.bookMid;
  log.f64.badDebt[e] = bad;
  log.f64.unredeemed[e] = 0;
  log.f64.healthBefore[e] = health;
}

/** Fill `eligible` with the rows below maintenance margin now. */
export function scanPerp(state: SimState, ps: PerpState, t: number): void {
  ps.nEligible = 0;
  if (ps.expired) return;
  refreshPerp(state, ps, t);
  const { size, cash, coll, collPx } = ps;
  const m = ps.mark;
  const mmr = ps.info.maintenanceMargin;
  const nC = coll.length;
  let n = 0;
  for (let i = 0; i < ps.rows; i++) {
    const s = size[i]!;
    if (s === 0) continue;
    let e = cash[i]! + s * m;
    for (let k = 0; k < nC; k++) e += coll[k]![i]! * collPx[k]!;
    if (e < mmr * Math.abs(s) * m) ps.eligible[n++] = i;
  }
  ps.nEligible = n;
}

/** Sell row `i`'s other collateral for the quote asset where each is priced; proceeds to its cash. */
function sellCollateral(state: SimState, ps: PerpState, i: number): void {
  const info = ps.info;
  info.collateral.forEach((c, k) => {
    const x = ps.coll[k]![i]!;
    if (!(x > 0)) return;
    let got: number;
    if (c.priceFrom < 0) got = marketTrade(state, c.asset, x, info.quote);
    else got = poolSwap(state, c.priceFrom, poolSide(state, c.priceFrom, c.asset), x);
    ps.coll[k]![i] = 0;
    ps.custody[k] = ps.custody[k]! - x;
    ps.cash[i] = ps.cash[i]! + got;
    ps.stepTally.collSold[k] = ps.stepTally.collSold[k]! + x;
    ps.total.collSold[k] = ps.total.collSold[k]! + x;
    ps.stepTally.collProceeds[k] = ps.stepTally.collProceeds[k]! + got;
    ps.total.collProceeds[k] = ps.total.collProceeds[k]! + got;
  });
}

/**
 * Largest move of the book's log price one close makes (a factor e^20 either way): beyond it the
 * exponential book would ask more than any real one holds, and buying back a large short against a
 * thin book would overflow. Contracts past it fill at the capped price.
 */
const MAX_BOOK_MOVE = 20;

/** Quote raised (negative: paid) by closing `s` contracts in the book at price `m`, depth `d`. */
function bookProceeds(s: number, m: number, d: number): number {
  if (d === Infinity) return s * m;
  const x = s / d;
  if (Math.abs(x) <= MAX_BOOK_MOVE) return -m * d * Math.expm1(-x);
  // Up to the cap along the curve, the rest at the capped price.
  const c = Math.sign(x) * MAX_BOOK_MOVE;
  return -m * d * Math.expm1(-c) + (s - c * d) * m * Math.exp(-c);
}

/**
 * Close `s` contracts of row `i` in the book: the makers take them at the book's average price,
 * the premium moves by -s / depth, and the makers hedge `spotHedge` of them in the spot market.
 */
function closeInBook(state: SimState, ps: PerpState, i: number, s: number): void {
  const info = ps.info;
  const got = bookProceeds(s, ps.bookMid, info.depth);
  ps.cash[i] = ps.cash[i]! + got;
  ps.size[i] = ps.size[i]! - s;
  ps.makerCash -= got;
  ps.makerSize += s;
  if (info.depth !== Infinity)
    ps.premium -= Math.sign(s) * Math.min(MAX_BOOK_MOVE, Math.abs(s / info.depth));
  const h = info.spotHedge * s;
  if (h !== 0) hedgeSpot(state, ps, h);
}

/** The makers sell `h` of the asset (negative: buy) where the index reads it. */
function hedgeSpot(state: SimState, ps: PerpState, h: number): void {
  const { asset, indexSource: src } = ps.info;
  const hold = ps.makerSpot;
  if (src < 0) {
    // Sales are paid in the venue's quote asset.
    const pay = marketTrade(state, asset, h, ps.info.quote);
    hold[asset] = hold[asset]! - h;
    hold[ps.info.quote] = hold[ps.info.quote]! + pay;
    return;
  }
  const side = poolSide(state, src, asset);
  const other = state.model.pools[src]!.assets[1 - side]!;
  if (h > 0) {
    const got = poolSwap(state, src, side, h);
    hold[asset] = hold[asset]! - h;
    hold[other] = hold[other]! + got;
  } else {
    const input = poolInputFor(state, src, 1 - side, -h);
    if (!Number.isFinite(input)) return;
    const got = poolSwap(state, src, 1 - side, input);
    hold[other] = hold[other]! - input;
    hold[asset] = hold[asset]! + got;
  }
}

/** A negative balance of row `i`: the fund pays what it can, the rest is the venue's deficit. */
function coverNegative(ps: PerpState, i: number): void {
  ps.flags[i] = ps.flags[i]! | FLAG_LIQUIDATED;
  const owed = -ps.cash[i]!;
  if (!(owed > 0)) return;
  const draw = Math.min(owed, ps.insurance);
  ps.insurance -= draw;
  ps.stepTally.insuranceDrawn += draw;
  ps.total.insuranceDrawn += draw;
  const left = owed - draw;
  ps.cash[i] = 0;
  if (left > 0) {
    ps.flags[i] = ps.flags[i]! | FLAG_BAD_DEBT;
    ps.deficit += left;
    ps.stepTally.deficit += left;
    ps.total.deficit += left;
  }
}

/** Rank positions on each side for ADL now: PnL share x effective leverage, highest first. */
function rankForAdl(ps: PerpState, key: number): void {
  if (ps.rankedAt === key) return;
  ps.rankedAt = key;
  const longs: number[] = [];
  const shorts: number[] = [];
  const score = new Float64Array(ps.rows);
  for (let i = 0; i < ps.rows; i++) {
    const s = ps.size[i]!;
    if (s === 0) continue;
    const eq = perpEquity(ps, i);
    if (!(eq > 0)) continue;
    const pnlShare = (Math.sign(s) * (ps.mark - ps.entry[i]!)) / ps.entry[i]!;
    const lev = (Math.abs(s) * ps.mark) / eq;
    // Profitable positions rank by PnL share x leverage, losing ones by PnL share / leverage.
    score[i] = pnlShare >= 0 ? pnlShare * lev : pnlShare / lev;
    (s > 0 ? longs : shorts).push(i);
  }
  const order = (a: number, b: number) =>
    score[b]! - score[a]! || ps.account[a]! - ps.account[b]! || a - b;
  ps.rankLong = Int32Array.from(longs.sort(order));
  ps.rankShort = Int32Array.from(shorts.sort(order));
  ps.cursorLong = 0;
  ps.cursorShort = 0;
}

/**
 * Liquidate row `i` if it is below maintenance margin at current prices; returns whether it was.
 * `roundKey` identifies the liquidation round (ADL rankings are taken once per round).
 */
export function liquidatePerpRow(
  state: SimState,
  ps: PerpState,
  i: number,
  t: number,
  round: number,
  log: EventLog,
): boolean {
  if (ps.expired) return false;
  refreshPerp(state, ps, t);
  if (!perpLiquidatable(ps, i)) return false;
  const info = ps.info;
  const s0 = ps.size[i]!;
  const notional = Math.abs(s0) * ps.mark;
  const markBefore = ps.mark;
  const health = perpEquity(ps, i) / (info.maintenanceMargin * notional);
  const channel = perpChannel(state, ps, i, t);
  const deficitBefore = ps.total.deficit;
  sellCollateral(state, ps, i);
  refreshPerp(state, ps, t);
  const afterBook = ps.cash[i]! + bookProceeds(s0, ps.bookMid, info.depth);
  const cashBefore = ps.cash[i]!;
  let how = CLOSED_IN_BOOK;
  if (afterBook >= 0 || !info.adl || -afterBook <= ps.insurance) {
    closeInBook(state, ps, i, s0);
  } else {
    if (deleverage(state, ps, i, t * 1048576 + round, t) > 0) how = DELEVERAGED;
  }
  const raised = ps.cash[i]! - cashBefore;
  let fee = 0;
  if (ps.cash[i]! > 0) {
    fee = Math.min(ps.cash[i]!, info.liquidationFee * notional);
    ps.cash[i] = ps.cash[i]! - fee;
    ps.insurance += fee;
    ps.stepTally.insuranceFees += fee;
    ps.total.insuranceFees += fee;
  } else coverNegative(ps, i);
  const q = state.marketPrice[info.quote]!;
  const bad = (ps.total.deficit - deficitBefore) * q;
  logPerp(
    log,
    state,
    ps,
    i,
    t,
    round,
    how,
    channel,
    Math.abs(s0),
    fee,
    notional,
    markBefore,
    raised,
    bad,
    health,
  );
  ps.flags[i] = ps.flags[i]! | FLAG_LIQUIDATED;
  ps.stepTally.liquidations++;
  ps.total.liquidations++;
  ps.stepTally.liquidatedNotional += notional;
  ps.total.liquidatedNotional += notional;
  ps.total.channelLiq[channel] = ps.total.channelLiq[channel]! + notional * q;
  ps.total.channelBad[channel] =
    ps.total.channelBad[channel]! + (ps.total.deficit - deficitBefore) * q;
  refreshPerp(state, ps, t);
  return true;
}

/**
 * The channel that put row `i` below maintenance margin: 0 (shock) when it is below at exogenous
 * prices alone (index = the asset's exogenous price, collateral at its exogenous price, no premium),
 * else 1 (price).
 */
function perpChannel(state: SimState, ps: PerpState, i: number, t: number): number {
  const info = ps.info;
  const q = state.exo[info.quote]!;
  const mark = (state.exo[info.asset]! / q) * carry(state, info, t);
  const s = ps.size[i]!;
  let e = ps.cash[i]! + s * mark;
  info.collateral.forEach((c, k) => {
    e += (ps.coll[k]![i]! * state.exo[c.asset]! * (1 - c.haircut)) / q;
  });
  return e < info.maintenanceMargin * Math.abs(s) * mark ? 0 : 1;
}

/**
 * ADL: close row `i` against the top-ranked opposite positions (and the makers, as `adlMakers`
 * says) at its bankruptcy price; what they cannot take closes in the book. Returns the contracts
 * ADL filled.
 */
function deleverage(
  state: SimState,
  ps: PerpState,
  i: number,
  roundKey: number,
  t: number,
): number {
  const s0 = ps.size[i]!;
  const dir = Math.sign(s0);
  // The bankruptcy price, where the account's value is zero: cash + s x p = 0. Filled there, the
  // account owes nothing and the fund is not needed.
  const pb = -ps.cash[i]! / s0;
  rankForAdl(ps, roundKey);
  const rank = dir > 0 ? ps.rankShort : ps.rankLong;
  let cursor = dir > 0 ? ps.cursorShort : ps.cursorLong;
  let left = Math.abs(s0);
  if (ps.info.adlMakers === 'first') left = deleverageMakers(ps, i, dir, left, pb);
  while (left > 0 && cursor < rank.length) {
    const j = rank[cursor]!;
    const sj = ps.size[j]!;
    if (Math.sign(sj) !== -dir || (ps.flags[j]! & FLAG_LIQUIDATED) !== 0) {
      cursor++;
      continue;
    }
    const d = Math.min(Math.abs(sj), left);
    adlFill(ps, i, dir, d, pb);
    ps.cash[j] = ps.cash[j]! - dir * d * pb;
    ps.size[j] = sj + dir * d;
    left -= d;
    if (ps.size[j] === 0) cursor++;
  }
  if (dir > 0) ps.cursorShort = cursor;
  else ps.cursorLong = cursor;
  if (left > 0 && ps.info.adlMakers === 'last') left = deleverageMakers(ps, i, dir, left, pb);
  const filled = Math.abs(s0) - left;
  if (left > 0) closeInBook(state, ps, i, dir * left);
  else {
    ps.size[i] = 0;
    // Float dust from the bankruptcy price: snap a balance within rounding of zero.
    if (Math.abs(ps.cash[i]!) <= Math.abs(s0) * Math.abs(pb) * 1e-12) {
      const dust = ps.cash[i]!;
      ps.cash[i] = 0;
      ps.makerCash += dust;
    }
  }
  void t;
  return filled;
}

/**
 * ADL against the makers: they take up to their opposite position of row `i`'s `left` contracts
 * (direction `dir`) at the bankruptcy price `pb`. Returns the contracts still to place.
 */
function deleverageMakers(ps: PerpState, i: number, dir: number, left: number, pb: number): number {
  if (Math.sign(ps.makerSize) !== -dir) return left;
  const d = Math.min(Math.abs(ps.makerSize), left);
  adlFill(ps, i, dir, d, pb);
  ps.makerCash -= dir * d * pb;
  ps.makerSize += dir * d;
  return left - d;
}

/**
 * Row `i` gives up `d` contracts of direction `dir` at the bankruptcy price `pb` (the caller
 * credits the counterparty); counts the fill, its notional at the mark and what the counterparty
 * gave up against the mark.
 */
function adlFill(ps: PerpState, i: number, dir: number, d: number, pb: number): void {
  ps.cash[i] = ps.cash[i]! + dir * d * pb;
  ps.size[i] = ps.size[i]! - dir * d;
  const n = d * ps.mark;
  const loss = d * dir * (pb - ps.mark);
  for (const t of [ps.stepTally, ps.total]) {
    t.adlCount++;
    t.adlNotional += n;
    t.adlLoss += loss;
  }
}

/** Sums over the accounts: cash (and its positive part, quote units), contracts and |contracts|. */
export function perpTotals(ps: PerpState): {
  cash: number;
  positiveCash: number;
  size: number;
  gross: number;
} {
  let cash = 0;
  let positiveCash = 0;
  let size = 0;
  let gross = 0;
  for (let i = 0; i < ps.rows; i++) {
    const c = ps.cash[i]!;
    cash += c;
    if (c > 0) positiveCash += c;
    size += ps.size[i]!;
    gross += Math.abs(ps.size[i]!);
  }
  return { cash, positiveCash, size, gross };
}

/** Open interest: contracts held long (accounts and makers), times the mark. */
export function openInterest(ps: PerpState): number {
  let long = ps.makerSize > 0 ? ps.makerSize : 0;
  for (let i = 0; i < ps.rows; i++) if (ps.size[i]! > 0) long += ps.size[i]!;
  return long * ps.mark;
}

/** Total equity of the venue's accounts (quote units). */
export function accountsEquity(ps: PerpState): number {
  let e = 0;
  for (let i = 0; i < ps.rows; i++) e += perpEquity(ps, i);
  return e;
}

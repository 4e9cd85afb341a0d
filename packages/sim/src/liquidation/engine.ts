// Liquidation rounds across every market in one loop: snapshot, seeded arrival, calls, sales, bad debt.
import { buyDiscounts } from '../agents/arbitrage.js';
import { shuffleInPlace } from '@contagion/core';
import { KEPT, REDEEMED, SOLD_TO_MARKET } from '../events/event-log.js';
import { bookBadDebt, exchangeRate, healCdp, redeem, redeemQuote } from '../lending/reserve.js';
import { refreshWeights } from '../oracles/oracle.js';
import { poolInputFor, poolQuote, poolSide, poolSpot, poolSwap } from '../pools/pool.js';
import { marketQuote, marketTrade } from '../prices/market.js';
import type { RunContext } from '../run/context.js';
import {
  FLAG_BAD_DEBT,
  FLAG_LIQUIDATED,
  spendable,
  type MarketState,
  type SimState,
} from '../state/state.js';
import { recheckMarket, rowHealthParts, scanMarket } from './scan.js';
import { liquidatePerpRow, scanPerp } from '../perps/perp.js';
import { hedgeOptions, liquidateWriters } from '../options/options.js';

/** Result of selling or redeeming seized collateral: USD value realised, tokens left unredeemed. */
interface Realised {
  usd: number;
  unredeemed: number;
  soldTo: number;
  priceAfter: number;
}

const scratchRealised: Realised = { usd: 0, unredeemed: 0, soldTo: 0, priceAfter: 0 };

function payAssetFor(ctx: RunContext, debtAsset: number): number {
  return ctx.state.model.assets[debtAsset]!.kind === 'stable' ? debtAsset : ctx.numeraireStable;
}

/**
 * Realise `q` tokens of `a` for liquidator `l`: receipts are redeemed at their issuer (up to its
 * cash) and the underlying realised in turn; stablecoins are kept at their market price; base assets
 * are sold where the liquidator sells (a pool holding the asset, else the market). With `execute`
 * false nothing moves and the result is a quote. Unredeemable receipt tokens realise nothing.
 */
function realise(
  ctx: RunContext,
  l: number,
  a: number,
  q: number,
  debtAsset: number,
  execute: boolean,
): Realised {
  const state = ctx.state;
  const info = state.model.assets[a]!;
  const hold = state.liquidatorHoldings[l]!;
  const out = scratchRealised;
  if (info.kind === 'receipt') {
    const issuer = state.markets[info.issuer!]!;
    const r = info.issuerReserve!;
    const rate = exchangeRate(issuer, r);
    const paid = execute ? redeem(state, issuer, r, q) : redeemQuote(issuer, r, q);
    // Tokens the issuer could not pay for; float dust from paid / rate is not a shortfall.
    const left = q - paid / rate;
    const unredeemed = left > q * 1e-12 ? left : 0;
    if (execute && unredeemed > 0) hold[a] = hold[a]! + unredeemed;
    const u = info.underlying!;
    // Realising the underlying writes into the same scratch record; read its value first.
    const usd = paid > 0 ? realise(ctx, l, u, paid, debtAsset, execute).usd : 0;
    out.usd = usd;
    out.unredeemed = unredeemed;
    out.soldTo = REDEEMED;
    out.priceAfter = exchangeRate(issuer, r) * state.marketPrice[u]!;
    return out;
  }
  out.unredeemed = 0;
  if (info.kind === 'stable') {
    if (execute) hold[a] = hold[a]! + q;
    out.usd = q * state.marketPrice[a]!;
    out.soldTo = KEPT;
    out.priceAfter = state.marketPrice[a]!;
    return out;
  }
  const pool = state.model.liquidators[l]!.sellTo;
  const side = pool >= 0 ? poolSide(state, pool, a) : -1;
  if (side >= 0) {
    const other = state.model.pools[pool]!.assets[1 - side]!;
    const got = execute ? poolSwap(state, pool, side, q) : poolQuote(state, pool, side, q);
    if (execute) hold[other] = hold[other]! + got;
    out.usd = got * state.marketPrice[other]!;
    out.soldTo = pool;
    out.priceAfter = poolSpot(state, pool, side) * state.marketPrice[other]!;
    return out;
  }
  const pay = payAssetFor(ctx, debtAsset);
  if (execute) {
    const got = marketTrade(state, a, q, pay);
    hold[pay] = hold[pay]! + got;
    out.usd = got * state.marketPrice[pay]!;
  } else out.usd = marketQuote(state, a, q);
  out.soldTo = SOLD_TO_MARKET;
  out.priceAfter = state.marketPrice[a]!;
  return out;
}

/** Side of the debt asset in the pool a liquidator funds from (-1: no such pool or side). */
function fundingSide(state: SimState, pool: number, dAsset: number): number {
  return pool < 0 ? -1 : poolSide(state, pool, dAsset);
}

/** Debt asset (pool side `side`) liquidator `l` can buy in `pool` with its holding of the other side. */
function buyable(state: SimState, l: number, pool: number, side: number): number {
  const other = state.model.pools[pool]!.assets[1 - side]!;
  const have = spendable(state.liquidatorHoldings[l]!, state.liquidatorUnlimited[l]!, other);
  // Unlimited funds can buy all but a sliver of the pool's side.
  if (have === Infinity) return state.poolReserves[2 * pool + side]! * (1 - 1e-9);
  return have > 0 ? poolQuote(state, pool, 1 - side, have) : 0;
}

/** The terms of a call (module scratch: no object per call in the hot loop). */
interface CallTerms {
  repay: number;
  seize: number;
  exhausted: boolean;
  fee: number;
  net: number;
  bought: number;
  input: number;
  payWith: number;
  cost: number;
  profit: number;
}
const blankTerms = (): CallTerms => ({
  repay: 0,
  seize: 0,
  exhausted: false,
  fee: 0,
  net: 0,
  bought: 0,
  input: 0,
  payWith: 0,
  cost: 0,
  profit: 0,
});
const CALL = blankTerms();
const TRY = blankTerms();
/** The row's prices and terms for {@link callTerms}, set once per row. */
const K = {
  pd: 0,
  pc: 0,
  coll: 0,
  onePlusB: 1,
  bonus: 0,
  protocolFee: 0,
  cAsset: 0,
  dAsset: 0,
  gasUsd: 0,
  held: 0,
  fund: -1,
};
/** The last sale quote: liquidators selling the same amount to the same place share it. */
const Q = { sellTo: -99, net: -1, usd: 0 };

/**
 * The terms of liquidator `l` repaying `want` on the row in `K`: collateral seized (all of it when
 * it does not cover the repay), the protocol fee, the debt asset bought in the funding pool and the
 * input it costs, the cost at market prices and the profit at the sale quote (NaN when the pool
 * cannot supply it). Writes `out` and returns it.
 */
function callTerms(
  out: CallTerms,
  ctx: RunContext,
  l: number,
  want: number,
  q: typeof Q,
): CallTerms {
  const state = ctx.state;
  const liq = state.model.liquidators[l]!;
  let repay = want;
  let seize = (repay * K.pd * K.onePlusB) / K.pc;
  let exhausted = false;
  if (seize >= K.coll) {
    seize = K.coll;
    repay = (K.coll * K.pc) / (K.pd * K.onePlusB);
    exhausted = true;
  }
  const fee = ((seize * K.bonus) / K.onePlusB) * K.protocolFee;
  const net = seize - fee;
  // The debt asset it holds at its market price; what it must buy, at what the pool charges.
  const bought = K.fund < 0 ? 0 : Math.max(0, repay - K.held);
  const input = bought > 0 ? poolInputFor(state, liq.fundFrom, 1 - K.fund, bought) : 0;
  const payWith = bought > 0 ? state.model.pools[liq.fundFrom]!.assets[1 - K.fund]! : K.dAsset;
  const cost = Number.isFinite(input)
    ? (repay - bought) * state.marketPrice[K.dAsset]! + input * state.marketPrice[payWith]!
    : NaN;
  if (liq.sellTo !== q.sellTo || net !== q.net) {
    q.usd = realise(ctx, l, K.cAsset, net, K.dAsset, false).usd;
    q.sellTo = liq.sellTo;
    q.net = net;
  }
  out.repay = repay;
  out.seize = seize;
  out.exhausted = exhausted;
  out.fee = fee;
  out.net = net;
  out.bought = bought;
  out.input = input;
  out.payWith = payWith;
  out.cost = cost;
  out.profit = q.usd - cost - K.gasUsd;
  return out;
}

function largestSlot(cols: readonly Float64Array[], i: number, w: Float64Array): number {
  let best = -1;
  let bestV = 0;
  for (let k = 0; k < cols.length; k++) {
    const v = cols[k]![i]! * w[k]!;
    if (v > bestV) {
      bestV = v;
      best = k;
    }
  }
  return best;
}

/**
 * Attribute a liquidation to the first channel whose addition puts the row below health 1: exogenous
 * prices alone (shock), then the oracle's actual base prices with receipts valued as if no loss had
 * been socialised (price), then everything (value).
 */
function channelOf(
  ctx: RunContext,
  ms: MarketState,
  cSlot: number,
  dSlot: number,
  single: boolean,
  i: number,
): number {
  const mi = ms.index;
  if (single) {
    const c = ms.coll[cSlot]![i]!;
    const d = ms.debt[dSlot]![i]!;
    if (c * ctx.exoCollW[mi]![cSlot]! < d * ctx.exoDebtW[mi]![dSlot]!) return 0;
    return c * ctx.pxCollW[mi]![cSlot]! < d * ctx.pxDebtW[mi]![dSlot]! ? 1 : 2;
  }
  const [ce, de] = rowHealthParts(ms, i, ctx.exoCollW[mi]!, ctx.exoDebtW[mi]!);
  if (ce < de) return 0;
  const [cp, dp] = rowHealthParts(ms, i, ctx.pxCollW[mi]!, ctx.pxDebtW[mi]!);
  return cp < dp ? 1 : 2;
}

/**
 * Try to liquidate row `i` of `ms` (in book group `gi`); returns true when a liquidator took the
 * call. A row of a single group holds one collateral and one debt, read directly; a mixed row is
 * weighed over all its slots and seized from its largest collateral, repaid on its largest debt.
 */
function liquidateRow(ctx: RunContext, ms: MarketState, gi: number, i: number): boolean {
  const state = ctx.state;
  const { info } = ms;
  const g = ms.groups[gi]!;
  const single = g.collSlot >= 0;
  let cSlot = g.collSlot;
  let dSlot = g.debtSlot;
  let cw: number;
  let dw: number;
  if (single) {
    cw = ms.coll[cSlot]![i]! * ms.collW[cSlot]!;
    dw = ms.debt[dSlot]![i]! * ms.debtW[dSlot]!;
  } else {
    [cw, dw] = rowHealthParts(ms, i, ms.collW, ms.debtW);
    cSlot = largestSlot(ms.coll, i, ms.collW);
    dSlot = largestSlot(ms.debt, i, ms.debtW);
  }
  // A CDP vault whose auction is open is sold until its tab is raised, healthy again or not.
  const open = info.cdp !== undefined && ms.auctionOpen[i] === 1;
  if (!((cw < dw || open) && cw > 0 && dw > 0) || cSlot < 0 || dSlot < 0) return false;
  const health = cw / dw;
  const cRes = info.collReserves[cSlot]!;
  const dRes = info.debtReserves[dSlot]!;
  const cInfo = info.reserves[cRes]!;
  const dAsset = info.reserves[dRes]!.asset;
  const cAsset = cInfo.asset;
  const pc = ms.price[cRes]!;
  const pd = ms.price[dRes]!;
  const index = ms.borrowIndex[dRes]!;
  const coll = ms.coll[cSlot]![i]!;
  const debt = ms.debt[dSlot]![i]! * index;
  // A CDP's auction raises the tab: the debt plus the penalty still owed on it.
  const penalty = info.cdp === undefined ? 0 : ms.penaltyOwed[i]!;
  const tab = debt + penalty;
  const cf = info.fullCloseBelow > 0 && health < info.fullCloseBelow ? 1 : info.closeFactor;
  // Collateral per unit of debt value the keeper receives: 1 + bonus, or for a descending auction
  // 1 / (start x decay^k), k the steps since the position was first offered (the clock keeps
  // running once it has started), never past 1 / floor.
  const auction = info.auction;
  const onePlusB =
    auction === undefined ? 1 + cInfo.liquidationBonus : 1 / auctionFactor(ctx, ms, i);
  const gasUsd = ctx.gasUsd;
  const order = ctx.liquidatorOrder;
  const nL = order.length;
  const start = ctx.liquidatorCursor;
  // Liquidators selling to the same place get the same quote for the same amount: quote once.
  Q.sellTo = -99;
  Q.net = -1;
  Q.usd = 0;
  for (let j = 0; j < nL; j++) {
    const l = order[(start + j) % nL]!;
    const liq = state.model.liquidators[l]!;
    const hold = state.liquidatorHoldings[l]!;
    const held = spendable(hold, state.liquidatorUnlimited[l]!, dAsset);
    // A liquidator that can buy the debt asset in a pool may spend what its other asset buys.
    const fund = held === Infinity ? -1 : fundingSide(state, liq.fundFrom, dAsset);
    const capital = fund < 0 ? held : held + buyable(state, l, liq.fundFrom, fund);
    if (!(capital > 0)) continue;
    // The whole call, or for a keeper buying the debt asset (which pays more the more it buys)
    // the largest part that pays (bisection), down to what it holds already.
    K.pd = pd;
    K.pc = pc;
    K.coll = coll;
    K.onePlusB = onePlusB;
    K.bonus = auction === undefined ? cInfo.liquidationBonus : 0;
    K.protocolFee = auction === undefined ? cInfo.protocolFee : 0;
    K.cAsset = cAsset;
    K.dAsset = dAsset;
    K.gasUsd = gasUsd;
    K.held = held;
    K.fund = fund;
    const call = callTerms(CALL, ctx, l, Math.min(cf * tab, capital), Q);
    if (!(call.profit >= liq.minProfitUsd) && call.bought > 0) {
      let lo = 0;
      let hi = call.repay;
      for (let it = 0; it < 50; it++) {
        const mid = (lo + hi) / 2;
        // Strictly above the minimum: at a vanishing size the profit tends to it, and dust is no bid.
        if (callTerms(TRY, ctx, l, mid, Q).profit > liq.minProfitUsd) lo = mid;
        else hi = mid;
      }
      if (lo > 0) callTerms(CALL, ctx, l, lo, Q);
    }
    if (!(call.profit >= liq.minProfitUsd)) continue;
    const { repay, seize, exhausted, fee, net, bought, input, payWith } = call;
    // Take the call: attribute it, repay, seize, pay the fee, realise the collateral.
    ctx.tally.gasUsd += gasUsd;
    const channel = channelOf(ctx, ms, cSlot, dSlot, single, i);
    ctx.liquidatorCursor = (start + j + 1) % nL;
    if (bought > 0) {
      const got = poolSwap(state, liq.fundFrom, 1 - fund, input);
      hold[payWith] = hold[payWith]! - input;
      hold[dAsset] = hold[dAsset]! + got;
    }
    hold[dAsset] = hold[dAsset]! - repay;
    ms.cash[dRes] = ms.cash[dRes]! + repay;
    // Stablecoin repaid to a CDP is burned (its room to mint grows back).
    if (info.cdp !== undefined) state.burned[dAsset] = state.burned[dAsset]! + repay;
    // A CDP's auction splits what it raises between the debt and the penalty in proportion to the
    // tab, so the vault stays in auction until the whole tab is raised; the penalty goes to the
    // surplus. (When the collateral runs out, the deficit left after the surplus covers is Maker's
    // debt - raised whatever the split.)
    const toDebt = penalty > 0 ? (repay * debt) / tab : repay;
    if (penalty > 0) {
      const toPenalty = repay - toDebt;
      ms.penaltyOwed[i] = Math.max(0, penalty - toPenalty);
      ms.surplus[dRes] = ms.surplus[dRes]! + toPenalty;
      ms.penaltyIncome[dRes] = ms.penaltyIncome[dRes]! + toPenalty;
      healCdp(ms, dRes);
    }
    const scaled = toDebt / index;
    // Repaying the whole debt leaves float dust of either sign: snap it to zero, and only it (a real
    // over-repayment would stay negative and fail the audit).
    const left = ms.debt[dSlot]![i]! - scaled;
    ms.debt[dSlot]![i] = Math.abs(left) <= ms.debt[dSlot]![i]! * 1e-12 ? 0 : left;
    ms.scaledDebt[dRes] = ms.scaledDebt[dRes]! - scaled;
    ms.coll[cSlot]![i] = exhausted ? 0 : coll - seize;
    ms.custody[cSlot] = ms.custody[cSlot]! - seize;
    ms.treasuryColl[cSlot] = ms.treasuryColl[cSlot]! + fee;
    const r = realise(ctx, l, cAsset, net, dAsset, true);
    // A single row's only collateral is gone when exhausted; a mixed row may hold more.
    const bad = exhausted ? settleIfExhausted(ctx, ms, i, single ? dSlot : -1) : 0;
    // An auction that ran out of collateral forgives the penalty it could not raise; one whose tab
    // is raised (the debt is repaid with its share of the penalty) closes.
    if (exhausted && penalty > 0) ms.penaltyOwed[i] = 0;
    if (info.cdp !== undefined && (exhausted || ms.debt[dSlot]![i] === 0)) {
      ms.auctionOpen[i] = 0;
      ms.penaltyOwed[i] = 0;
    }
    // A row with bad debt has no collateral left and is never called again: write, do not read.
    ms.flags[i] = bad > 0 ? FLAG_LIQUIDATED | FLAG_BAD_DEBT : FLAG_LIQUIDATED;
    record(ctx, ms, i, l, cAsset, dAsset, seize, fee, repay, pc, pd, r, channel, bad, health);
    return true;
  }
  return false;
}

/**
 * Book bad debt when the row has no collateral left; returns its value (USD at oracle prices).
 * `onlyDebtSlot` >= 0 says the row holds no other collateral or debt (a single group's row).
 */
function settleIfExhausted(
  ctx: RunContext,
  ms: MarketState,
  i: number,
  onlyDebtSlot: number,
): number {
  if (onlyDebtSlot < 0) for (let k = 0; k < ms.coll.length; k++) if (ms.coll[k]![i]! > 0) return 0;
  let value = 0;
  ms.info.debtReserves.forEach((ri, k) => {
    if (onlyDebtSlot >= 0 && k !== onlyDebtSlot) return;
    const idx = ms.borrowIndex[ri]!;
    const amount = ms.debt[k]![i]! * idx;
    if (!(amount > 0)) return;
    const latent = bookBadDebt(ctx.state, ms, ri, amount);
    const writeOff = (amount - latent) / idx;
    ms.debt[k]![i] = latent / idx;
    ms.scaledDebt[ri] = ms.scaledDebt[ri]! - writeOff;
    value += amount * ms.price[ri]!;
  });
  return value;
}

function record(
  ctx: RunContext,
  ms: MarketState,
  i: number,
  l: number,
  cAsset: number,
  dAsset: number,
  seize: number,
  fee: number,
  repay: number,
  pc: number,
  pd: number,
  r: Realised,
  channel: number,
  bad: number,
  health: number,
): void {
  const log = ctx.log;
  const e = log.next();
  log.int.step[e] = ctx.step;
  log.int.round[e] = ctx.round;
  log.int.market[e] = ms.index;
  log.int.row[e] = i;
  log.int.collAsset[e] = cAsset;
  log.int.debtAsset[e] = dAsset;
  log.int.liquidator[e] = l;
  log.int.soldTo[e] = r.soldTo;
  log.int.channel[e] = channel;
  log.f64.seized[e] = seize;
  log.f64.fee[e] = fee;
  log.f64.repaid[e] = repay;
  log.f64.collPrice[e] = pc;
  log.f64.debtPrice[e] = pd;
  log.f64.proceeds[e] = r.usd;
  log.f64.priceAfter[e] = r.priceAfter;
  log.f64.badDebt[e] = bad;
  log.f64.unredeemed[e] = r.unredeemed;
  log.f64.healthBefore[e] = health;
  const t = ctx.tally;
  const m = ms.index;
  const notional = repay * pd;
  t.stepLiqCount[m] = t.stepLiqCount[m]! + 1;
  t.stepLiqNotional[m] = t.stepLiqNotional[m]! + notional;
  t.stepSeizedValue[m] = t.stepSeizedValue[m]! + seize * pc;
  t.stepBadDebt[m] = t.stepBadDebt[m]! + bad;
  t.channelLiq[m * 3 + channel] = t.channelLiq[m * 3 + channel]! + notional;
  t.channelBad[m * 3 + channel] = t.channelBad[m * 3 + channel]! + bad;
  t.seizedTokens[cAsset] = t.seizedTokens[cAsset]! + seize;
  t.seizedTokenValue[cAsset] = t.seizedTokenValue[cAsset]! + seize * pc;
  t.unredeemed[cAsset] = t.unredeemed[cAsset]! + r.unredeemed;
}

/** Sum of the values `touch` read, kept in a module variable only so the reads are not dropped. */
export let touchSink = 0;

/** Calls per block of the round loop (see `touch`). */
const BLOCK = 64;

/**
 * Read the cache lines a call on row `i` of group `gi` reads first; the sum only keeps the reads
 * alive. Rows come in random order, so these reads miss; issued together in a tight loop, the misses
 * overlap instead of stalling one call after another.
 */
function touch(ms: MarketState, gi: number, i: number): number {
  const g = ms.groups[gi]!;
  if (g.collSlot >= 0) return ms.coll[g.collSlot]![i]! + ms.debt[g.debtSlot]![i]!;
  let s = 0;
  for (let k = 0; k < ms.coll.length; k++) s += ms.coll[k]![i]!;
  for (let k = 0; k < ms.debt.length; k++) s += ms.debt[k]![i]!;
  return s;
}

/**
 * Fill the round's queue with every market's eligible rows, in (market, row) order. A queue entry
 * is a global group id (market and book group, see `RunContext.groupMarket`) and a row.
 */
/**
 * Whether a market's circuit breakers halt its liquidations now: a scheduled window covers the
 * step, a halt tripped earlier still holds, or an oracle price has just fallen by a breaker's drop
 * over its window (which trips a halt for its duration). Counts the market's halted steps.
 */
function liquidationsHalted(ctx: RunContext, ms: MarketState): boolean {
  const breakers = ms.info.circuitBreakers;
  if (breakers.length === 0) return false;
  const t = ctx.step;
  const nR = ms.price.length;
  const hist = ctx.oracleHist[ms.index]!;
  let halted = ms.haltedUntil >= t;
  for (const b of breakers) {
    if (b.kind === 'window') {
      if (t >= b.fromStep && t <= b.toStep) halted = true;
      continue;
    }
    const u = Math.max(0, t - b.withinSteps);
    for (let r = 0; r < nR; r++) {
      if (ms.price[r]! <= (1 - b.drop) * hist[u * nR + r]!) {
        ms.haltedUntil = Math.max(ms.haltedUntil, t + b.forSteps - 1);
        halted = true;
      }
    }
  }
  if (halted && ms.haltCounted !== t) {
    ms.haltCounted = t;
    ms.haltedSteps++;
    if (ms.firstHalt < 0) ms.firstHalt = t;
  }
  return halted;
}

/**
 * Queue a CDP's open auctions that the health scan did not find (vaults a partial sale made
 * healthy again, whose tab is not yet raised), after its eligible rows; drop closed auctions from
 * the list. Returns the queue's new length.
 */
function queueOpenAuctions(ctx: RunContext, ms: MarketState, n: number): number {
  const q = ctx.state.queueGroup;
  const rows = ctx.state.queueRow;
  const base = ctx.groupBase[ms.index]!;
  const eligible = new Set<number>();
  for (let j = 0; j < ms.nEligible; j++) eligible.add(ms.eligible[j]!);
  const still: number[] = [];
  for (const i of ms.openAuctions) {
    if (ms.auctionOpen[i] !== 1) continue;
    still.push(i);
    if (eligible.has(i)) continue;
    let gi = 0;
    while (i >= ms.groups[gi]!.end) gi++;
    q[n] = base + gi;
    rows[n] = i;
    n++;
    ms.auctionSeen[i] = ctx.step;
  }
  ms.openAuctions = still;
  return n;
}

/**
 * A CDP auction begins on row `i`: the penalty it must raise on top of the debt is the vault's
 * collateral's penalty times the debt now (Maker's tab = debt x chop, fixed when the vault is
 * barked).
 */
function startTab(ms: MarketState, i: number): void {
  const info = ms.info;
  const cSlot = largestSlot(ms.coll, i, ms.collW);
  const dRes = info.cdp!.stableReserve;
  const dSlot = info.reserves[dRes]!.debtSlot;
  const p = cSlot < 0 ? 0 : info.reserves[info.collReserves[cSlot]!]!.penalty;
  ms.penaltyOwed[i] = p * ms.debt[dSlot]![i]! * ms.borrowIndex[dRes]!;
}

function collectEligible(ctx: RunContext): number {
  let n = 0;
  const q = ctx.state.queueGroup;
  const rows = ctx.state.queueRow;
  for (const ms of ctx.state.markets) {
    refreshWeights(ctx, ms);
    if (ms.dirty) scanMarket(ms);
    else recheckMarket(ms);
    if (liquidationsHalted(ctx, ms)) continue;
    const e = ms.eligible;
    if (ms.info.auction !== undefined) {
      // Auctions: a row eligible now but not in the step before starts a new auction.
      const cdp = ms.info.cdp !== undefined;
      for (let j = 0; j < ms.nEligible; j++) {
        const i = e[j]!;
        const open = cdp && ms.auctionOpen[i] === 1;
        if (!open && (ms.auctionSeen[i]! < ctx.step - 1 || ms.auctionStep[i]! < 0)) {
          ms.auctionStep[i] = ctx.step;
          if (cdp) {
            startTab(ms, i);
            ms.auctionOpen[i] = 1;
            ms.openAuctions.push(i);
          }
        }
        ms.auctionSeen[i] = ctx.step;
      }
    }
    const base = ctx.groupBase[ms.index]!;
    let gi = 0;
    for (let j = 0; j < ms.nEligible; j++) {
      const i = e[j]!;
      while (i >= ms.groups[gi]!.end) gi++;
      q[n] = base + gi;
      rows[n] = i;
      n++;
    }
    if (ms.info.cdp !== undefined) n = queueOpenAuctions(ctx, ms, n);
  }
  // Perpetual venues queue as ids past the last book group.
  const nGroups = ctx.groupMarket.length;
  for (const ps of ctx.state.perps) {
    scanPerp(ctx.state, ps, ctx.step);
    for (let j = 0; j < ps.nEligible; j++) {
      q[n] = nGroups + ps.index;
      rows[n] = ps.eligible[j]!;
      n++;
    }
  }
  return n;
}

/**
 * The bonus (USD at oracle prices) the next call on row `i` would pay, before the sale: the repay
 * allowed by the close factor, or what the largest collateral covers, times the bonus. Liquidator
 * capital and the sale quote are left out: they differ by liquidator.
 */
/**
 * The descending auction's price factor for row `i` now: max(floor, start x decay^k), k the steps
 * since its auction began. An auction begins when the row is found eligible after a step in which
 * it was not (`collectEligible` keeps the clock), so a position that recovers, or a partial call
 * that leaves it healthy, ends its auction; a later fall starts a new one.
 */
function auctionFactor(ctx: RunContext, ms: MarketState, i: number): number {
  const a = ms.info.auction!;
  const began = ms.auctionStep[i]! < 0 ? ctx.step : ms.auctionStep[i]!;
  return Math.max(a.floor, a.start * a.decay ** (ctx.step - began));
}

function callBonus(ctx: RunContext, ms: MarketState, i: number): number {
  const [cw, dw] = rowHealthParts(ms, i, ms.collW, ms.debtW);
  const cSlot = largestSlot(ms.coll, i, ms.collW);
  const dSlot = largestSlot(ms.debt, i, ms.debtW);
  if (cSlot < 0 || dSlot < 0 || dw <= 0) return 0;
  const cRes = ms.info.collReserves[cSlot]!;
  const dRes = ms.info.debtReserves[dSlot]!;
  // A descending auction pays the keeper 1/f - 1 on what it repays, as a bonus does.
  const bonus =
    ms.info.auction === undefined
      ? ms.info.reserves[cRes]!.liquidationBonus
      : 1 / auctionFactor(ctx, ms, i) - 1;
  const health = cw / dw;
  const cf =
    ms.info.fullCloseBelow > 0 && health < ms.info.fullCloseBelow ? 1 : ms.info.closeFactor;
  const debtValue = ms.debt[dSlot]![i]! * ms.borrowIndex[dRes]! * ms.price[dRes]!;
  const collValue = ms.coll[cSlot]![i]! * ms.price[cRes]!;
  return Math.min(cf * debtValue, collValue / (1 + bonus)) * bonus;
}

/** Order the queue: seeded shuffle, or the largest call bonus first, ties by account then market. */
function orderQueue(ctx: RunContext, n: number): void {
  const u = ctx.agents;
  const q = ctx.state.queueGroup;
  const rows = ctx.state.queueRow;
  if (ctx.state.model.scenario.liquidation.order === 'random') {
    shuffleInPlace(q, u, n, rows);
    return;
  }
  const nGroups = ctx.groupMarket.length;
  const nM = ctx.state.markets.length;
  const keys = Array.from({ length: n }, (_, k) => {
    const i = rows[k]!;
    if (q[k]! >= nGroups) {
      // A perpetual venue's prize is its liquidation fee on the position's notional.
      const ps = ctx.state.perps[q[k]! - nGroups]!;
      const prize = ps.info.liquidationFee * Math.abs(ps.size[i]!) * ps.mark;
      return { g: q[k]!, i, m: nM + ps.index, account: ps.account[i]!, prize };
    }
    const ms = ctx.state.markets[ctx.groupMarket[q[k]!]!]!;
    return { g: q[k]!, i, m: ms.index, account: ms.account[i]!, prize: callBonus(ctx, ms, i) };
  });
  keys.sort((a, b) => b.prize - a.prize || a.account - b.account || a.m - b.m);
  keys.forEach((k, j) => {
    q[j] = k.g;
    rows[j] = k.i;
  });
}

/**
 * Run liquidation rounds for the current step until a round liquidates nothing or the round cap is
 * hit. Eligibility comes from one snapshot per round; oracles that read pools, and receipt token
 * values, are re-read between rounds.
 */
export function liquidationRounds(ctx: RunContext): void {
  const t = ctx.tally;
  const cap = ctx.state.model.scenario.liquidation.roundCap;
  for (let round = 1; ; round++) {
    ctx.round = round;
    const n = collectEligible(ctx);
    // Option writers are checked every round, even one with no market or perp row eligible.
    let writers = 0;
    if (n === 0) {
      for (const os of ctx.state.options) writers += liquidateWriters(ctx.state, os, ctx.step);
      if (writers === 0) break;
    }
    orderQueue(ctx, n);
    shuffleInPlace(ctx.liquidatorOrder, ctx.agents);
    ctx.liquidatorCursor = 0;
    let taken = 0;
    const qg = ctx.state.queueGroup;
    const qr = ctx.state.queueRow;
    const gm = ctx.groupMarket;
    const gx = ctx.groupIndex;
    const markets = ctx.state.markets;
    let sink = 0;
    const nGroups = gm.length;
    for (let b = 0; b < n; b += BLOCK) {
      const end = Math.min(n, b + BLOCK);
      for (let k = b; k < end; k++)
        if (qg[k]! < nGroups) sink += touch(markets[gm[qg[k]!]!]!, gx[qg[k]!]!, qr[k]!);
      for (let k = b; k < end; k++) {
        const g = qg[k]!;
        if (g >= nGroups) {
          const ps = ctx.state.perps[g - nGroups]!;
          if (liquidatePerpRow(ctx.state, ps, qr[k]!, ctx.step, round, ctx.log)) taken++;
        } else if (liquidateRow(ctx, markets[gm[g]!]!, gx[g]!, qr[k]!)) taken++;
      }
    }
    touchSink = sink;
    // Option writers below their maintenance margin, in the same round.
    if (n > 0)
      for (const os of ctx.state.options) writers += liquidateWriters(ctx.state, os, ctx.step);
    taken += writers;
    t.stepRounds++;
    if (taken === 0) {
      t.stepUntaken = n;
      break;
    }
    t.stepWaves++;
    // Prices as the round's sales left them, then discount buyers in stableswap pools trade.
    ctx.afterRound();
    buyDiscounts(ctx.state);
    // Dealers rehedge at the prices the round's sales left: short gamma sells into the fall.
    for (const os of ctx.state.options) hedgeOptions(ctx.state, os, ctx.step, true);
    if (round >= cap) {
      t.roundCapHits++;
      break;
    }
  }
}

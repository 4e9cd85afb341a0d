// Oracle prices per market: the market price or a pool's spot, lagged by k steps, read as it stands,
// as a push feed (deviation + heartbeat) or as a TWAP; receipts by rate.
import type { RunContext } from '../run/context.js';
import type { MarketState, SimState } from '../state/state.js';
import { exchangeRate } from '../lending/reserve.js';
import { poolPricedSide } from '@contagion/core';
import { poolSpot } from '../pools/pool.js';

/** Which prices an oracle reads: what happened, or counterfactuals for channel attribution. */
export const PriceView = Object.freeze({
  /** Actual oracle prices, receipts at their current exchange rate. */
  Actual: 0,
  /** Actual oracle prices of base assets, receipts as if no loss had been socialised (no value channel). */
  NoValue: 1,
  /** Exogenous prices only (no impact, no fire sales), receipts as if no loss had been socialised. */
  Exogenous: 2,
} as const);
/** One of {@link PriceView}'s values. */
export type PriceView = (typeof PriceView)[keyof typeof PriceView];

/**
 * The oracle's source price of base asset `a` at step `u` (not after now): with no lag, the current
 * step reads live (a pool's spot moves within a step); otherwise the price recorded once markets
 * relaxed at step `u`. The exogenous view reads the exogenous path.
 */
function sourceAt(ctx: RunContext, ms: MarketState, a: number, u: number, view: PriceView): number {
  const state = ctx.state;
  const model = state.model;
  const nA = model.assets.length;
  const src = ms.info.oracleSource;
  const side = src >= 0 ? poolPricedSide(model.pools[src]!, model.assets, a) : -1;
  if (view === PriceView.Exogenous) {
    // No trades since step 0: a pegged asset keeps the pool's starting ratio to its peg (its
    // standing discount is not a fire sale); other assets follow their exogenous paths.
    if (side >= 0 && model.assets[a]!.kind === 'pegged') {
      const pool = model.pools[src]!;
      return ctx.poolStartSpot[2 * src + side]! * ctx.exoPath[u * nA + pool.assets[1 - side]!]!;
    }
    return ctx.exoPath[u * nA + a]!;
  }
  const live = u === ctx.step && ms.info.oracleLag === 0;
  if (src >= 0) {
    if (side >= 0) {
      const other = model.pools[src]!.assets[1 - side]!;
      if (live) return poolSpot(state, src, side) * state.marketPrice[other]!;
      const spot0 = ctx.poolHist[u * state.model.pools.length + src]!;
      const spot = side === 0 ? spot0 : 1 / spot0;
      return spot * ctx.marketHist[u * nA + other]!;
    }
  }
  return live ? state.marketPrice[a]! : ctx.marketHist[u * nA + a]!;
}

/**
 * The oracle's price of base or pegged asset `a`, within the market's price band when it has one:
 * at most `oracleMaxMove` (a fraction) from its price at the end of the last step.
 */
function baseOraclePrice(ctx: RunContext, ms: MarketState, a: number, view: PriceView): number {
  const p = unbandedPrice(ctx, ms, a, view);
  const m = ms.info.oracleMaxMove;
  if (Number.isNaN(m)) return p;
  const exo = view === PriceView.Exogenous;
  const prev = (exo ? ms.bandPrevExo : ms.bandPrev)[a]!;
  const v = Number.isNaN(prev) ? p : Math.min(prev * (1 + m), Math.max(prev * (1 - m), p));
  (exo ? ms.bandLastExo : ms.bandLast)[a] = v;
  return v;
}

/** End of a step: each band's reference becomes the step's last price. */
export function closeBands(ms: MarketState): void {
  if (Number.isNaN(ms.info.oracleMaxMove)) return;
  ms.bandPrev.set(ms.bandLast);
  ms.bandPrevExo.set(ms.bandLastExo);
}

function unbandedPrice(ctx: RunContext, ms: MarketState, a: number, view: PriceView): number {
  const t = Math.max(0, ctx.step - ms.info.oracleLag);
  const mode = ms.info.oracle;
  if (mode.kind === 'read') return sourceAt(ctx, ms, a, t, view);
  if (mode.kind === 'twap') {
    // Mean over the window's steps, the current one included; before step 0, the step-0 price.
    const w = mode.windowSteps;
    let acc = 0;
    for (let k = 0; k < w; k++) {
      const x = sourceAt(ctx, ms, a, Math.max(0, t - k), view);
      acc += mode.mean === 'geometric' ? Math.log(x) : x;
    }
    return mode.mean === 'geometric' ? Math.exp(acc / w) : acc / w;
  }
  // Push feed: a new report when the source has moved by `deviation` from the last one, or once
  // `heartbeat` has passed since it; checked at every oracle read (after markets relax, between
  // liquidation rounds, at the end of a step). The actual and the no-value views share one feed.
  const exo = view === PriceView.Exogenous;
  const report = exo ? ms.reportExo : ms.report;
  const at = exo ? ms.reportExoStep : ms.reportStep;
  const cur = sourceAt(ctx, ms, a, t, view);
  const last = report[a]!;
  const stale = (ctx.step - at[a]!) * ctx.state.model.stepSeconds >= mode.heartbeatSeconds;
  if (Number.isNaN(last) || stale || Math.abs(cur / last - 1) >= mode.deviation) {
    report[a] = cur;
    at[a] = ctx.step;
  }
  return report[a]!;
}

/** Oracle price (USD) of asset `a` as market `ms` sees it now, under `view`. */
export function oraclePrice(
  ctx: RunContext,
  ms: MarketState,
  a: number,
  view: PriceView = PriceView.Actual,
): number {
  const state: SimState = ctx.state;
  const info = state.model.assets[a]!;
  if (info.kind === 'receipt') {
    const issuer = state.markets[info.issuer!]!;
    // Counterfactual views take the rate as if no loss had been socialised, interest included.
    const rate = exchangeRate(issuer, info.issuerReserve!);
    const r = view === PriceView.Actual ? rate : rate / issuer.lossFactor[info.issuerReserve!]!;
    return r * oraclePrice(ctx, ms, info.underlying!, view);
  }
  if (info.kind === 'stable') {
    return view === PriceView.Exogenous
      ? ctx.exoPath[ctx.step * state.model.assets.length + a]!
      : state.marketPrice[a]!;
  }
  return baseOraclePrice(ctx, ms, a, view);
}

/**
 * Refresh a market's oracle prices and scan weights (collateral: price x threshold; debt: price x
 * borrow index), and the counterfactual weights. Marks the market dirty when a weight moved since
 * its last full scan.
 */
export function refreshWeights(ctx: RunContext, ms: MarketState): void {
  const { info } = ms;
  const mi = ms.index;
  const exoC = ctx.exoCollW[mi]!;
  const exoD = ctx.exoDebtW[mi]!;
  const pxC = ctx.pxCollW[mi]!;
  const pxD = ctx.pxDebtW[mi]!;
  info.reserves.forEach((r, ri) => {
    ms.price[ri] = oraclePrice(ctx, ms, r.asset);
  });
  info.collReserves.forEach((ri, k) => {
    const r = info.reserves[ri]!;
    ms.collW[k] = ms.price[ri]! * r.liquidationThreshold;
    exoC[k] = oraclePrice(ctx, ms, r.asset, PriceView.Exogenous) * r.liquidationThreshold;
    pxC[k] = oraclePrice(ctx, ms, r.asset, PriceView.NoValue) * r.liquidationThreshold;
    if (ms.collW[k] !== ms.scannedCollW[k]) ms.dirty = true;
  });
  info.debtReserves.forEach((ri, k) => {
    const r = info.reserves[ri]!;
    const idx = ms.borrowIndex[ri]!;
    ms.debtW[k] = ms.price[ri]! * idx;
    exoD[k] = oraclePrice(ctx, ms, r.asset, PriceView.Exogenous) * idx;
    pxD[k] = oraclePrice(ctx, ms, r.asset, PriceView.NoValue) * idx;
    if (ms.debtW[k] !== ms.scannedDebtW[k]) ms.dirty = true;
  });
}

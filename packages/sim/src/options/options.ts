// Options venues: dealers' European options priced on a moving smile, and the delta hedges they
// trade in the spot market: short gamma sells into falls (the gamma feedback loop), long gamma buys.
//
// Conventions (docs/design.md "Options and dealers"): contracts signed (long > 0) on one unit of the
// asset; prices in quote units; the spot is the asset's price where the hedges trade (the market,
// or a pool) over the quote's; a dealer holds a spot hedge H and trades toward -delta of its options
// whenever |-delta - H| exceeds the band; exposures are reported in USD: gamma as the change in
// dollar delta for a 1% move (gamma x S^2 / 100), vega per vol point (vega / 100).
import {
  smileGreeks,
  writerRequirement,
  type Model,
  type OptionsInfo,
  type Smile,
} from '@contagion/core';
import { marketPriceAfter, marketTrade } from '../prices/market.js';
import { poolInputFor, poolSide, poolSpot, poolSwap } from '../pools/pool.js';
import type { SimState } from '../state/state.js';

/** One options venue's mutable state. */
export interface OptionsState {
  readonly index: number;
  readonly info: OptionsInfo;
  /** Per dealer: spot hedge held (asset units). */
  readonly hedge: Float64Array;
  /** Spot holdings of the venue's dealers per asset (hedges and what they paid or received). */
  readonly holdings: Float64Array;
  /** Spot at step 0 (quote units). */
  startSpot: number;
  /** Net asset units the hedges sold to the market (for the price impact they caused). */
  hedgeSold: number;
  /** Hedge trades: USD value traded, gross over the run and signed (bought > 0) this step. */
  hedgeVolumeUsd: number;
  stepHedgeFlowUsd: number;
  /** Hedge trades' net asset units bought over the run (negative: sold). */
  hedgeNet: number;
  /** Exposures now (USD): dollar gamma per 1% move, vega per vol point; delta in asset units. */
  gammaUsd: number;
  vegaUsd: number;
  /** Dealers' theta per day (USD: the value their options gain (> 0) or lose in a day). */
  thetaUsd: number;
  delta: number;
  atm: number;
  /**
   * Realised volatility (annualised EWMA of squared log returns of the spot), its peak, and what
   * it is measured from: the spot at the last observation and the squared returns since the
   * last update (the move within the previous step, added to the gap when the next step opens).
   */
  realisedVol: number;
  maxRealisedVol: number;
  lastSpot: number;
  pendingSq: number;
  /** Lowest dollar gamma seen (most short), and the highest share of the price the hedges took. */
  minGammaUsd: number;
  maxHedgeImpact: number;
  /** Exposures at step 0. */
  startGammaUsd: number;
  startVegaUsd: number;
  startThetaUsd: number;
  /** Writers, per row: margin left (quote units), contracts still short, and the series written. */
  readonly writerMargin: Float64Array;
  /** Covered-call writers: units of the option's asset held (0 for writers margined in the quote). */
  readonly writerUnderlying: Float64Array;
  /** Per writer row over the run: premiums collected, payouts made, deficit left, liquidations. */
  readonly writerPremium: Float64Array;
  readonly writerPayout: Float64Array;
  readonly writerDeficit: Float64Array;
  readonly writerLiquidated: Float64Array;
  readonly writerContracts: Float64Array;
  readonly writerStrike: Float64Array;
  readonly writerExpiry: Float64Array;
  /** Writers' premiums collected, payouts made (settlements and buy-backs) and rolls, over the run. */
  premiums: number;
  payouts: number;
  rolls: number;
  /** Writers' dollar gamma per 1% move and vega per vol point (USD; short: negative), at step 0. */
  writersStartGammaUsd: number;
  writersStartVegaUsd: number;
  writersStartThetaUsd: number;
  /** Writers' liquidations: count and the value bought back (quote units), over the run and this step. */
  writerLiquidations: number;
  writerBoughtBack: number;
  stepWriterLiquidations: number;
  stepWriterBoughtBack: number;
  /** What writers' margin did not cover (bought back or settled at expiry), over the run and this step. */
  deficit: number;
  stepDeficit: number;
}

/** Allocate options venue `oi` of `model`. */
export function createOptions(model: Model, oi: number): OptionsState {
  const info = model.options[oi]!;
  return {
    index: oi,
    info,
    hedge: new Float64Array(info.dealers.length),
    holdings: new Float64Array(model.assets.length),
    startSpot: NaN,
    hedgeSold: 0,
    hedgeVolumeUsd: 0,
    stepHedgeFlowUsd: 0,
    hedgeNet: 0,
    gammaUsd: 0,
    vegaUsd: 0,
    thetaUsd: 0,
    delta: 0,
    atm: info.smile.atm,
    realisedVol: info.smile.atm,
    maxRealisedVol: info.smile.atm,
    lastSpot: NaN,
    pendingSq: 0,
    minGammaUsd: Infinity,
    maxHedgeImpact: 0,
    startGammaUsd: 0,
    startVegaUsd: 0,
    startThetaUsd: 0,
    writerMargin: new Float64Array(info.writers.rows),
    writerUnderlying: new Float64Array(info.writers.rows),
    writerPremium: new Float64Array(info.writers.rows),
    writerPayout: new Float64Array(info.writers.rows),
    writerDeficit: new Float64Array(info.writers.rows),
    writerLiquidated: new Float64Array(info.writers.rows),
    writerContracts: new Float64Array(info.writers.rows),
    writerStrike: new Float64Array(info.writers.rows),
    writerExpiry: new Float64Array(info.writers.rows),
    premiums: 0,
    payouts: 0,
    rolls: 0,
    writersStartGammaUsd: 0,
    writersStartVegaUsd: 0,
    writersStartThetaUsd: 0,
    writerLiquidations: 0,
    writerBoughtBack: 0,
    stepWriterLiquidations: 0,
    stepWriterBoughtBack: 0,
    deficit: 0,
    stepDeficit: 0,
  };
}

/** Put an options venue back to step 0. */
export function resetOptions(os: OptionsState): void {
  os.hedge.fill(0);
  os.holdings.fill(0);
  os.startSpot = NaN;
  os.hedgeSold = 0;
  os.hedgeVolumeUsd = 0;
  os.stepHedgeFlowUsd = 0;
  os.hedgeNet = 0;
  os.gammaUsd = 0;
  os.vegaUsd = 0;
  os.thetaUsd = 0;
  os.delta = 0;
  os.atm = os.info.smile.atm;
  os.realisedVol = os.info.smile.atm;
  os.maxRealisedVol = os.info.smile.atm;
  os.lastSpot = NaN;
  os.pendingSq = 0;
  os.minGammaUsd = Infinity;
  os.maxHedgeImpact = 0;
  os.startGammaUsd = 0;
  os.startVegaUsd = 0;
  os.startThetaUsd = 0;
  os.writerMargin.set(os.info.writers.margin);
  os.writerUnderlying.set(os.info.writers.underlying);
  os.writerPremium.fill(0);
  os.writerPayout.fill(0);
  os.writerDeficit.fill(0);
  os.writerLiquidated.fill(0);
  os.writerContracts.set(os.info.writers.contracts);
  os.writerStrike.set(os.info.writers.strike);
  os.writerExpiry.set(os.info.writers.expiryYears);
  os.premiums = 0;
  os.payouts = 0;
  os.rolls = 0;
  os.writersStartGammaUsd = 0;
  os.writersStartVegaUsd = 0;
  os.writersStartThetaUsd = 0;
  os.writerLiquidations = 0;
  os.writerBoughtBack = 0;
  os.stepWriterLiquidations = 0;
  os.stepWriterBoughtBack = 0;
  os.deficit = 0;
  os.stepDeficit = 0;
}

/**
 * An expiry within this of the current time (years, about 0.03 s) has passed: a rolled series'
 * expiry is a sum of floats (start + tenor) and would otherwise land a hair after its step.
 */
const EXPIRED = 1e-9;

/** Spot (quote units) and smile now, for the writers (the smile as the spot has moved it). */
function writerMarket(state: SimState, os: OptionsState): { spot: number; smile: Smile } {
  const q = state.marketPrice[os.info.quote]!;
  const spot = spotUsd(state, os.info) / q;
  return { spot, smile: smileNow(os, spot) };
}

/**
 * Writer `i` pays `owed` (quote units) to the buyers of its options (the outside market): from its
 * margin, the rest is the venue's deficit.
 */
function payOut(state: SimState, os: OptionsState, i: number, owed: number): void {
  os.payouts += owed;
  os.writerPayout[i] = os.writerPayout[i]! + owed;
  const pay = Math.min(os.writerMargin[i]!, owed);
  os.writerMargin[i] = os.writerMargin[i]! - pay;
  const q = os.info.quote;
  state.marketHoldings[q] = state.marketHoldings[q]! + owed;
  const short = owed - pay;
  if (short > 0) {
    os.writerDeficit[i] = os.writerDeficit[i]! + short;
    os.deficit += short;
    os.stepDeficit += short;
  }
}

/**
 * Covered-call writer `i` settles in the asset it holds: `units` (= n x (S - K) / S) to the
 * buyers, worth `owed` quote units. One unit covers each call, so it always can.
 */
function deliver(state: SimState, os: OptionsState, i: number, units: number, owed: number): void {
  os.payouts += owed;
  os.writerPayout[i] = os.writerPayout[i]! + owed;
  os.writerUnderlying[i] = os.writerUnderlying[i]! - units;
  const a = os.info.asset;
  state.marketHoldings[a] = state.marketHoldings[a]! + units;
}

/**
 * Writers below their maintenance margin are liquidated: their options bought back at their value
 * on the smile (a round of the shared loop; in row order). Expired options are settled first
 * (`startStep`): each writer pays the intrinsic value. Returns the writers liquidated.
 */
export function liquidateWriters(state: SimState, os: OptionsState, t: number): number {
  const w = os.info.writers;
  if (w.rows === 0) return 0;
  const { spot, smile } = writerMarket(state, os);
  if (!(spot > 0)) return 0;
  const elapsed = (t * state.model.stepSeconds) / (365 * 86400);
  const rule = os.info.writing;
  let taken = 0;
  for (let i = 0; i < w.rows; i++) {
    const n = os.writerContracts[i]!;
    if (!(n > 0)) continue;
    const T = os.writerExpiry[i]! - elapsed;
    // A covered call is margined by the units it holds, one per call: never called.
    if (!(T > EXPIRED) || os.writerUnderlying[i]! > 0) continue;
    const put = w.put[i] === 1;
    const value = writerValue(os, i, spot, smile, T);
    const need = n * writerRequirement(rule, put, os.writerStrike[i]!, spot, value);
    if (os.writerMargin[i]! >= rule.maintenance * need) continue;
    payOut(state, os, i, n * value);
    os.writerContracts[i] = 0;
    os.writerLiquidations++;
    os.writerLiquidated[i] = os.writerLiquidated[i]! + 1;
    os.stepWriterLiquidations++;
    os.writerBoughtBack += n * value;
    os.stepWriterBoughtBack += n * value;
    taken++;
  }
  return taken;
}

/**
 * Writers' options that expired by step `t` settle: each pays its intrinsic value. A vault
 * (`roll`) then writes the next series: the same tenor, the strike at the same ratio to the spot,
 * as many contracts as use its utilisation of what margin it has, collecting the premium.
 */
export function settleWriters(state: SimState, os: OptionsState, t: number): void {
  const w = os.info.writers;
  os.stepWriterLiquidations = 0;
  os.stepWriterBoughtBack = 0;
  os.stepDeficit = 0;
  if (w.rows === 0) return;
  const q = state.marketPrice[os.info.quote]!;
  const spot = spotUsd(state, os.info) / q;
  const elapsed = (t * state.model.stepSeconds) / (365 * 86400);
  let smile: Smile | undefined;
  for (let i = 0; i < w.rows; i++) {
    const n = os.writerContracts[i]!;
    if (os.writerExpiry[i]! - elapsed > EXPIRED) continue;
    // A vault bought back before expiry writes again at the expiry of the series it sold.
    if (!(n > 0) && w.roll[i] !== 1) continue;
    const K = os.writerStrike[i]!;
    const intrinsic = w.put[i] === 1 ? Math.max(0, K - spot) : Math.max(0, spot - K);
    const covered = os.writerUnderlying[i]! > 0;
    if (covered) deliver(state, os, i, (n * intrinsic) / spot, n * intrinsic);
    else payOut(state, os, i, n * intrinsic);
    os.writerContracts[i] = 0;
    if (w.roll[i] !== 1 || !(spot > 0)) continue;
    if (!covered && !(os.writerMargin[i]! > 0)) continue;
    // The next series, at the strike's ratio to the spot it was first written at.
    smile ??= smileNow(os, spot);
    const ratio = w.strike[i]! / os.startSpot;
    os.writerStrike[i] = ratio * spot;
    os.writerExpiry[i] = elapsed + w.tenorYears[i]!;
    const value = writerValue(os, i, spot, smile, w.tenorYears[i]!);
    const need = writerRequirement(os.info.writing, w.put[i] === 1, ratio * spot, spot, value);
    const m = covered
      ? w.utilisation[i]! * os.writerUnderlying[i]!
      : (w.utilisation[i]! * os.writerMargin[i]!) / need;
    os.writerContracts[i] = m;
    collect(state, os, i, m * value);
    os.rolls++;
  }
}

/** USD price of the asset where the venue's hedges trade (the market, or a pool's spot). */
function spotUsd(state: SimState, info: OptionsInfo): number {
  if (info.hedgeTo < 0) return state.marketPrice[info.asset]!;
  const side = poolSide(state, info.hedgeTo, info.asset);
  const other = state.model.pools[info.hedgeTo]!.assets[1 - side]!;
  return poolSpot(state, info.hedgeTo, side) * state.marketPrice[other]!;
}

/**
 * The smile now: its ATM level moved by the spot (spotVolBeta x ln(S / S0)) and by realised
 * volatility (realisedVolBeta x (rv - atm)), never below the floor.
 */
function smileNow(os: OptionsState, spot: number): Smile {
  const s = os.info.smile;
  const atm = Math.max(
    s.floor,
    s.atm +
      s.spotVolBeta * Math.log(spot / os.startSpot) +
      s.realisedVolBeta * (os.realisedVol - s.atm),
  );
  os.atm = atm;
  return { atm, skew: s.skew, curvature: s.curvature, floor: s.floor };
}

/** d atm / d S of the moving smile at `spot`: spotVolBeta / S while the ATM level is above its floor. */
function atmSlope(os: OptionsState, spot: number): number {
  const s = os.info.smile;
  return os.atm > s.floor ? s.spotVolBeta / spot : 0;
}

/**
 * Realised volatility: `open` is called when a step opens (after the exogenous move), `close`
 * when it ends. Each return is counted once: the move within step t - 1 (close / open) and the
 * gap into step t (open / close) are summed as step t's squared return, so the gap reaches the
 * smile in the step it happens. rv^2 <- lambda rv^2 + (1 - lambda) r^2 x (year / step), lambda =
 * 2^(-step / halfLife).
 */
export function observeRealised(state: SimState, os: OptionsState, open: boolean): void {
  const spot = spotUsd(state, os.info) / state.marketPrice[os.info.quote]!;
  if (!(spot > 0)) return;
  const last = os.lastSpot;
  os.lastSpot = spot;
  if (!(last > 0)) return;
  const r = Math.log(spot / last);
  os.pendingSq += r * r;
  if (!open) {
    // The smile as the step closes, for the step's row.
    smileNow(os, spot);
    return;
  }
  const dt = state.model.stepSeconds;
  const lambda = Math.pow(2, -dt / os.info.smile.realisedHalfLife);
  const v = os.realisedVol;
  os.realisedVol = Math.sqrt(lambda * v * v + (1 - lambda) * os.pendingSq * ((365 * 86400) / dt));
  os.maxRealisedVol = Math.max(os.maxRealisedVol, os.realisedVol);
  os.pendingSq = 0;
}

/**
 * Greeks of every dealer's options at step `t` (time to expiry = expiry - t x step): per-dealer
 * delta into `deltas`; the venue's dollar gamma per 1% and vega per vol point into the state.
 */
function measure(state: SimState, os: OptionsState, t: number, deltas: Float64Array): void {
  const info = os.info;
  const q = state.marketPrice[info.quote]!;
  const spot = spotUsd(state, info) / q;
  if (Number.isNaN(os.startSpot)) os.startSpot = spot;
  const elapsed = (t * state.model.stepSeconds) / (365 * 86400);
  deltas.fill(0);
  let gamma = 0;
  let vega = 0;
  let theta = 0;
  if (!(spot > 0)) {
    // A spot at nothing: puts are certain to pay (delta -1 each), calls worthless.
    for (const p of info.positions)
      if (p.expiryYears - elapsed > 0 && p.kind === 'put')
        deltas[p.dealer] = deltas[p.dealer]! - p.contracts;
    os.gammaUsd = 0;
    os.vegaUsd = 0;
    os.thetaUsd = 0;
    os.delta = deltas.reduce((a, b) => a + b, 0);
    return;
  }
  const smile = smileNow(os, spot);
  const slope = atmSlope(os, spot);
  for (const p of info.positions) {
    const T = p.expiryYears - elapsed;
    if (!(T > 0)) continue; // expired: cash-settled, no delta left
    const g = smileGreeks(
      { kind: p.kind, spot, strike: p.strike, expiry: T, rate: info.rate },
      smile,
      info.delta,
      slope,
    );
    deltas[p.dealer] = deltas[p.dealer]! + p.contracts * g.delta;
    gamma += p.contracts * g.gamma;
    vega += p.contracts * g.vega;
    theta += p.contracts * g.theta;
  }
  os.gammaUsd = (gamma * spot * spot * q) / 100;
  os.vegaUsd = (vega * q) / 100;
  os.thetaUsd = (theta * q) / 365;
  let d = 0;
  for (const x of deltas) d += x;
  os.delta = d;
  if (os.gammaUsd < os.minGammaUsd) os.minGammaUsd = os.gammaUsd;
}

const scratch = new Map<number, Float64Array>();

/** Most hedge-and-remeasure passes in one call (the loop converges long before, unless unstable). */
const HEDGE_PASSES = 50;

/**
 * Step 0: dealers start hedged. Each holds minus its options' delta in spot already (bought or
 * borrowed before the run, so nothing trades), which the ledger counts from the start.
 */
export function startOptions(state: SimState, os: OptionsState): void {
  const deltas = new Float64Array(os.info.dealers.length);
  measure(state, os, 0, deltas);
  deltas.forEach((d, i) => {
    os.hedge[i] = -d;
    os.holdings[os.info.asset] = os.holdings[os.info.asset]! - d;
  });
  os.minGammaUsd = os.gammaUsd;
  os.startGammaUsd = os.gammaUsd;
  observeRealised(state, os, false);
  os.startVegaUsd = os.vegaUsd;
  os.startThetaUsd = os.thetaUsd;
  // Writers sold their options at the start: they hold the premiums.
  const w = os.info.writers;
  if (w.rows > 0) {
    const { spot, smile } = writerMarket(state, os);
    for (let i = 0; i < w.rows; i++) {
      const n = os.writerContracts[i]!;
      if (!(n > 0)) continue;
      collect(state, os, i, n * writerValue(os, i, spot, smile, os.writerExpiry[i]!));
    }
    [os.writersStartGammaUsd, os.writersStartVegaUsd, os.writersStartThetaUsd] = writersExposure(
      state,
      os,
      0,
    );
  }
}

/**
 * Writers' dollar gamma per 1% move, vega per vol point and theta per day now (USD; short gamma
 * and vega negative, the time decay they earn positive).
 */
export function writersExposure(
  state: SimState,
  os: OptionsState,
  t: number,
): [number, number, number] {
  const w = os.info.writers;
  if (w.rows === 0) return [0, 0, 0];
  const q = state.marketPrice[os.info.quote]!;
  const { spot, smile } = writerMarket(state, os);
  if (!(spot > 0)) return [0, 0, 0];
  const elapsed = (t * state.model.stepSeconds) / (365 * 86400);
  let gamma = 0;
  let vega = 0;
  let theta = 0;
  for (let i = 0; i < w.rows; i++) {
    const n = os.writerContracts[i]!;
    const T = os.writerExpiry[i]! - elapsed;
    if (!(n > 0) || !(T > EXPIRED)) continue;
    const g = smileGreeks(
      {
        kind: w.put[i] === 1 ? 'put' : 'call',
        spot,
        strike: os.writerStrike[i]!,
        expiry: T,
        rate: os.info.rate,
      },
      smile,
    );
    gamma -= n * g.gamma;
    vega -= n * g.vega;
    theta -= n * g.theta;
  }
  return [(gamma * spot * spot * q) / 100, (vega * q) / 100, (theta * q) / 365];
}

/** The value of one of writer `i`'s options at `spot` with `years` to expiry (quote units). */
function writerValue(
  os: OptionsState,
  i: number,
  spot: number,
  smile: Smile,
  years: number,
): number {
  return smileGreeks(
    {
      kind: os.info.writers.put[i] === 1 ? 'put' : 'call',
      spot,
      strike: os.writerStrike[i]!,
      expiry: years,
      rate: os.info.rate,
    },
    smile,
  ).price;
}

/** Writer `i` is paid `premium` (quote units) by the buyers of its options (the outside market). */
function collect(state: SimState, os: OptionsState, i: number, premium: number): void {
  const q = os.info.quote;
  os.writerMargin[i] = os.writerMargin[i]! + premium;
  state.marketHoldings[q] = state.marketHoldings[q]! - premium;
  os.premiums += premium;
  os.writerPremium[i] = os.writerPremium[i]! + premium;
}

/**
 * Dealers hedge: each trades spot toward minus its options' delta when it is further than the band
 * (on steps that are multiples of `every`; `force` hedges whatever the step, between liquidation
 * rounds). The hedges move the price where they trade, which lending oracles may read.
 */
export function hedgeOptions(state: SimState, os: OptionsState, t: number, force = false): void {
  const info = os.info;
  let deltas = scratch.get(info.dealers.length);
  if (deltas === undefined)
    scratch.set(info.dealers.length, (deltas = new Float64Array(info.dealers.length)));
  measure(state, os, t, deltas);
  if (!force && t % info.hedgeEvery !== 0) return;
  // A hedge moves the price, which moves delta: trade again until no dealer is outside its band
  // (the gamma loop within the step), at most HEDGE_PASSES times.
  for (let pass = 0; pass < HEDGE_PASSES; pass++) {
    let traded = false;
    for (let d = 0; d < info.dealers.length; d++) {
      const trade = -deltas[d]! - os.hedge[d]!;
      if (!(Math.abs(trade) > info.hedgeBand) || trade === 0) continue;
      // A relative floor keeps the loop from chasing float dust.
      if (Math.abs(trade) <= 1e-9 * Math.max(1, Math.abs(os.hedge[d]!))) continue;
      const [done, usd] = tradeSpot(state, os, trade);
      if (done === 0) continue;
      os.hedge[d] = os.hedge[d]! + done;
      os.hedgeNet += done;
      os.hedgeVolumeUsd += Math.abs(usd);
      os.stepHedgeFlowUsd += Math.sign(done) * Math.abs(usd);
      traded = true;
    }
    if (!traded) break;
    measure(state, os, t, deltas);
  }
  const impact = hedgeImpact(state, os);
  if (impact > os.maxHedgeImpact) os.maxHedgeImpact = impact;
}

/**
 * Buy `amount` of the asset (negative: sell) where the hedges trade; returns the amount traded
 * (a pool fills a purchase only up to 99% of what it holds) and its USD value.
 */
function tradeSpot(state: SimState, os: OptionsState, amount: number): [number, number] {
  const { asset, quote, hedgeTo } = os.info;
  const hold = os.holdings;
  if (hedgeTo < 0) {
    // marketTrade sells a positive amount; a purchase is a negative sale.
    const pay = marketTrade(state, asset, -amount, quote);
    hold[asset] = hold[asset]! + amount;
    hold[quote] = hold[quote]! + pay;
    os.hedgeSold -= amount;
    return [amount, Math.abs(pay) * state.marketPrice[quote]!];
  }
  const side = poolSide(state, hedgeTo, asset);
  const other = state.model.pools[hedgeTo]!.assets[1 - side]!;
  if (amount < 0) {
    const got = poolSwap(state, hedgeTo, side, -amount);
    hold[asset] = hold[asset]! + amount;
    hold[other] = hold[other]! + got;
    return [amount, got * state.marketPrice[other]!];
  }
  const want = Math.min(amount, 0.99 * state.poolReserves[2 * hedgeTo + side]!);
  const input = poolInputFor(state, hedgeTo, 1 - side, want);
  if (!(want > 0) || !Number.isFinite(input)) return [0, 0];
  const got = poolSwap(state, hedgeTo, 1 - side, input);
  hold[other] = hold[other]! - input;
  hold[asset] = hold[asset]! + got;
  return [got, input * state.marketPrice[other]!];
}

/**
 * The share of the asset's market price the hedges' net sales took away: 1 - P / P without them
 * (0 when they bought, negative when their net purchases lifted it; hedges in a pool: 0).
 */
export function hedgeImpact(state: SimState, os: OptionsState): number {
  if (os.info.hedgeTo >= 0 || os.hedgeSold === 0) return 0;
  const a = os.info.asset;
  const without = marketPriceAfter(state, a, -os.hedgeSold);
  return without > 0 ? 1 - state.marketPrice[a]! / without : 0;
}

/** One group's (population's) option writing over the run, quote units. */
export interface WriterGroupMetrics {
  readonly positions: number;
  readonly liquidations: number;
  readonly premiums: number;
  readonly payouts: number;
  readonly netIncome: number;
  readonly deficit: number;
  /**
   * What was posted at the start: margin plus covered units at the starting spot (for a levered
   * vault, the loan it posted; its collateral is in the lending market's figures).
   */
  readonly posted: number;
  /** netIncome / posted over the run. */
  readonly yield: number;
}

/** Writers' results per account group (population or listed accounts), in the model's group order. */
export function writersByGroup(
  state: SimState,
  os: OptionsState,
): Record<string, WriterGroupMetrics> {
  const w = os.info.writers;
  const out: Record<string, WriterGroupMetrics> = {};
  if (w.rows === 0) return out;
  const groups = state.model.accountGroups;
  let g = 0;
  let acc: { -readonly [K in keyof WriterGroupMetrics]: number } | undefined;
  const flush = () => {
    if (acc === undefined) return;
    acc.netIncome = acc.premiums - acc.payouts;
    acc.yield = acc.posted > 0 ? acc.netIncome / acc.posted : 0;
    out[groups[g]!.name] = acc;
    acc = undefined;
  };
  for (let i = 0; i < w.rows; i++) {
    const a = w.account[i]!;
    while (a >= groups[g]!.start + groups[g]!.count) {
      flush();
      g++;
    }
    acc ??= {
      positions: 0,
      liquidations: 0,
      premiums: 0,
      payouts: 0,
      netIncome: 0,
      deficit: 0,
      posted: 0,
      yield: 0,
    };
    acc.positions++;
    acc.liquidations += os.writerLiquidated[i]!;
    acc.premiums += os.writerPremium[i]!;
    acc.payouts += os.writerPayout[i]!;
    acc.deficit += os.writerDeficit[i]!;
    acc.posted += w.margin[i]! + w.underlying[i]! * os.startSpot;
  }
  flush();
  return out;
}

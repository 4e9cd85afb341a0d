// Per-step records: one row per step and venue (plus a `system` row), and a long table of prices.
import { poolPricedSide } from '@contagion/core';
import type { MarketState, SimState } from '../state/state.js';
import { exchangeRate, reserveDebt } from '../lending/reserve.js';
import { regionEnd } from '../liquidation/scan.js';
import { poolSpot } from '../pools/pool.js';
import type { RunContext } from '../run/context.js';
import { accountsEquity, openInterest, perpTotals } from '../perps/perp.js';
import { hedgeImpact } from '../options/options.js';

/** One row of steps.csv. Values in USD unless named otherwise; empty where a field does not apply. */
export interface StepRow {
  step: number;
  venue: string;
  kind: 'lending' | 'cdp' | 'constant-product' | 'stableswap' | 'perp' | 'options' | 'system';
  liquidations: number;
  liquidatedValue: number;
  seizedValue: number;
  badDebt: number;
  badDebtCumulative: number;
  latentBadDebt: number;
  collateralValue: number;
  debtValue: number;
  suppliedValue: number;
  cashValue: number;
  utilisation: number;
  receiptRate: number;
  price: number;
  /** Pools: both reserves at market prices. */
  liquidityValue: number;
  rounds: number;
  untaken: number;
  systemLeverage: number;
  rehypothecationMultiplier: number;
  /** Perpetual venues: insurance fund, ADL volume and funding paid this step, open interest (USD). */
  insuranceFund: number;
  adlVolume: number;
  fundingPaid: number;
  openInterest: number;
  /**
   * Options venues: dealers' dollar gamma per 1% move and vega per vol point, their hedge trades this
   * step (USD, bought > 0), and the share of the asset's price their net sales have taken.
   */
  gammaExposure: number;
  vegaExposure: number;
  hedgeFlow: number;
  hedgeImpact: number;
  /** Options venues: the smile's ATM implied volatility and the realised volatility it may follow. */
  atmVol: number;
  realisedVol: number;
  /**
   * System row: USD delta to base and pegged assets held through leveraged positions (lending
   * collateral less borrowed base assets, perp accounts' net contracts, option dealers' options
   * delta plus hedges, at market prices), and gross leverage across lending and perp venues:
   * (pledged value + perp notional) / (pledged value - debt + perp accounts' equity).
   */
  deltaExposure: number;
  grossLeverage: number;
}

/** One row of prices.csv: the price of a base or pegged asset as one source sees it at the end of a step. */
export interface PriceRow {
  step: number;
  asset: string;
  /** `exogenous`, `market`, a pool id (spot) or a lending market id (its oracle). */
  source: string;
  price: number;
}

/**
 * Value (USD at the market's oracle) of debt left uncovered by collateral on positions that still
 * hold collateral: sum of max(0, debt - collateral), underwater and not yet liquidated.
 */
export function latentShortfall(ms: MarketState): number {
  const nC = ms.coll.length;
  const nD = ms.debt.length;
  const cp = ms.info.collReserves.map((ri) => ms.price[ri]!);
  const dp = ms.info.debtReserves.map((ri) => ms.price[ri]! * ms.borrowIndex[ri]!);
  let total = 0;
  // A row short of collateral is below health 1 too, so it lies in its group's scan region.
  for (let gi = 0; gi < ms.groups.length; gi++) {
    const end = regionEnd(ms, gi);
    for (let i = ms.groups[gi]!.start; i < end; i++) total += shortfall(ms, i, nC, nD, cp, dp);
  }
  return total;
}

function shortfall(
  ms: MarketState,
  i: number,
  nC: number,
  nD: number,
  cp: number[],
  dp: number[],
): number {
  let d = 0;
  for (let k = 0; k < nD; k++) d += ms.debt[k]![i]! * dp[k]!;
  if (d === 0) return 0;
  let c = 0;
  for (let k = 0; k < nC; k++) c += ms.coll[k]![i]! * cp[k]!;
  // Rows whose collateral is gone had their bad debt booked (even when the loss model leaves it
  // on the books): latent here means underwater and not yet liquidated.
  return c < d && c > 0 ? d - c : 0;
}

/** Pledged collateral value (USD, oracle) of a market, split into receipt tokens and the rest. */
function pledged(
  state: SimState,
  ms: MarketState,
): [total: number, receipts: number, debt: number] {
  let total = 0;
  let receipts = 0;
  ms.info.collReserves.forEach((ri, k) => {
    const v = ms.custody[k]! * ms.price[ri]!;
    total += v;
    if (state.model.assets[ms.info.reserves[ri]!.asset]!.kind === 'receipt') receipts += v;
  });
  let debt = 0;
  for (const ri of ms.info.debtReserves) debt += reserveDebt(ms, ri) * ms.price[ri]!;
  return [total, receipts, debt];
}

const blank = (step: number, venue: string, kind: StepRow['kind']): StepRow => ({
  step,
  venue,
  kind,
  liquidations: 0,
  liquidatedValue: 0,
  seizedValue: 0,
  badDebt: 0,
  badDebtCumulative: 0,
  latentBadDebt: 0,
  collateralValue: NaN,
  debtValue: NaN,
  suppliedValue: NaN,
  cashValue: NaN,
  utilisation: NaN,
  receiptRate: NaN,
  price: NaN,
  liquidityValue: NaN,
  rounds: NaN,
  untaken: NaN,
  systemLeverage: NaN,
  rehypothecationMultiplier: NaN,
  insuranceFund: NaN,
  adlVolume: NaN,
  fundingPaid: NaN,
  openInterest: NaN,
  gammaExposure: NaN,
  vegaExposure: NaN,
  hedgeFlow: NaN,
  hedgeImpact: NaN,
  atmVol: NaN,
  realisedVol: NaN,
  deltaExposure: NaN,
  grossLeverage: NaN,
});

/**
 * Rows of steps.csv for the current step (oracle prices as last refreshed). `withLatent` false skips
 * the pass over underwater positions (NaN), for steps whose rows are not kept.
 */
export function stepRows(ctx: RunContext, withLatent = true): StepRow[] {
  const { state, tally: t, step } = ctx;
  const rows: StepRow[] = [];
  let sysColl = 0;
  let sysReceipts = 0;
  let sysDebt = 0;
  let delta = 0;
  let perpNotional = 0;
  let perpEquity = 0;
  let vega = 0;
  const riskAsset = (a: number) => {
    const k = state.model.assets[a]!.kind;
    return k === 'base' || k === 'pegged';
  };
  for (const ms of state.markets) {
    const m = ms.index;
    const row = blank(step, ms.info.id, ms.info.cdp === undefined ? 'lending' : 'cdp');
    const [coll, receipts, debt] = pledged(state, ms);
    ms.info.reserves.forEach((r, ri) => {
      if (!riskAsset(r.asset)) return;
      const p = state.marketPrice[r.asset]!;
      if (r.collSlot >= 0) delta += ms.custody[r.collSlot]! * p;
      if (r.debtSlot >= 0) delta -= reserveDebt(ms, ri) * p;
    });
    sysColl += coll;
    sysReceipts += receipts;
    sysDebt += debt;
    let supplied = 0;
    let cash = 0;
    let rate = NaN;
    for (const ri of ms.info.debtReserves) {
      const p = ms.price[ri]!;
      const r = exchangeRate(ms, ri);
      if (Number.isNaN(rate)) rate = r;
      supplied += ms.receiptSupply[ri]! * r * p;
      cash += ms.cash[ri]! * p;
    }
    Object.assign(row, {
      liquidations: t.stepLiqCount[m]!,
      liquidatedValue: t.stepLiqNotional[m]!,
      seizedValue: t.stepSeizedValue[m]!,
      badDebt: t.stepBadDebt[m]!,
      badDebtCumulative: t.badDebtValue[m]!,
      latentBadDebt: withLatent ? latentShortfall(ms) : NaN,
      collateralValue: coll,
      debtValue: debt,
      suppliedValue: supplied,
      cashValue: cash,
      utilisation: cash + debt > 0 ? debt / (cash + debt) : 0,
      receiptRate: rate,
    });
    rows.push(row);
  }
  for (const ps of state.perps) {
    const row = blank(step, ps.info.id, 'perp');
    // Venue amounts are in its quote asset: USD at the quote's market price.
    const q = state.marketPrice[ps.info.quote]!;
    const st = ps.stepTally;
    // Accounts hold the contracts the makers do not: -makerSize, net.
    delta -= ps.makerSize * ps.mark * q;
    if (withLatent) {
      perpNotional += perpTotals(ps).gross * ps.mark * q;
      perpEquity += accountsEquity(ps) * q;
    }
    let seized = 0;
    for (const x of st.collProceeds) seized += x;
    Object.assign(row, {
      liquidations: st.liquidations,
      liquidatedValue: st.liquidatedNotional * q,
      seizedValue: seized * q,
      badDebt: st.deficit * q,
      badDebtCumulative: ps.total.deficit * q,
      latentBadDebt: 0,
      collateralValue: withLatent ? accountsEquity(ps) * q : NaN,
      price: ps.mark * q,
      insuranceFund: ps.insurance * q,
      adlVolume: st.adlNotional * q,
      fundingPaid: st.fundingPaid * q,
      openInterest: withLatent ? openInterest(ps) * q : NaN,
    });
    rows.push(row);
  }
  for (const os of state.options) {
    const row = blank(step, os.info.id, 'options');
    const q = state.marketPrice[os.info.quote]!;
    row.liquidations = os.stepWriterLiquidations;
    row.liquidatedValue = os.stepWriterBoughtBack * q;
    row.badDebt = os.stepDeficit * q;
    row.badDebtCumulative = os.deficit * q;
    // What the dealers hold of the asset (their hedges as filled) and their options' delta.
    delta += (os.delta + os.holdings[os.info.asset]!) * state.marketPrice[os.info.asset]!;
    vega += os.vegaUsd;
    Object.assign(row, {
      price: state.marketPrice[os.info.asset]!,
      gammaExposure: os.gammaUsd,
      vegaExposure: os.vegaUsd,
      hedgeFlow: os.stepHedgeFlowUsd,
      hedgeImpact: hedgeImpact(state, os),
      atmVol: os.atm,
      realisedVol: os.realisedVol,
    });
    rows.push(row);
  }
  state.model.pools.forEach((p, i) => {
    const row = blank(step, p.id, p.kind);
    // The price of the pool's pegged asset if it holds one, else its base asset (the first asset
    // when both or neither are).
    const kinds = p.assets.map((a) => state.model.assets[a]!.kind);
    const rank = (k: string) => (k === 'pegged' ? 2 : k === 'base' ? 1 : 0);
    const side = rank(kinds[1]!) > rank(kinds[0]!) ? 1 : 0;
    row.price = poolSpot(state, i, side) * state.marketPrice[p.assets[1 - side]!]!;
    row.liquidityValue =
      state.poolReserves[2 * i]! * state.marketPrice[p.assets[0]]! +
      state.poolReserves[2 * i + 1]! * state.marketPrice[p.assets[1]]!;
    rows.push(row);
  });
  const sys = blank(step, 'system', 'system');
  sys.rounds = t.stepRounds;
  sys.untaken = t.stepUntaken;
  sys.liquidations = rows.reduce((s, r) => s + r.liquidations, 0);
  sys.liquidatedValue = rows.reduce((s, r) => s + r.liquidatedValue, 0);
  sys.badDebt = rows.reduce((s, r) => s + r.badDebt, 0);
  sys.badDebtCumulative = rows.reduce((s, r) => s + r.badDebtCumulative, 0);
  sys.latentBadDebt = rows.reduce((s, r) => s + r.latentBadDebt, 0);
  sys.collateralValue = sysColl;
  sys.debtValue = sysDebt;
  sys.systemLeverage = sysColl - sysDebt !== 0 ? sysColl / (sysColl - sysDebt) : NaN;
  sys.rehypothecationMultiplier =
    sysColl - sysReceipts > 0 ? sysColl / (sysColl - sysReceipts) : NaN;
  sys.deltaExposure = delta;
  sys.vegaExposure = vega;
  const equity = sysColl - sysDebt + perpEquity;
  sys.grossLeverage =
    withLatent || state.perps.length === 0
      ? equity > 0
        ? (sysColl + perpNotional) / equity
        : sysColl + perpNotional > 0
          ? Infinity // insolvent: positions with no equity behind them
          : NaN
      : NaN;
  rows.push(sys);
  return rows;
}

/**
 * The system row's leverage figures alone, as {@link stepRows} computes them without the latent
 * pass (the same sums in the same order, so the same doubles): for steps whose rows are not kept,
 * where only the run's peaks are wanted.
 */
export function systemLeverage(ctx: RunContext): { system: number; gross: number } {
  const { state } = ctx;
  let sysColl = 0;
  let sysDebt = 0;
  for (const ms of state.markets) {
    const [coll, , debt] = pledged(state, ms);
    sysColl += coll;
    sysDebt += debt;
  }
  const equity = sysColl - sysDebt;
  return {
    system: sysColl - sysDebt !== 0 ? sysColl / (sysColl - sysDebt) : NaN,
    gross:
      state.perps.length === 0
        ? equity > 0
          ? sysColl / equity
          : sysColl > 0
            ? Infinity
            : NaN
        : NaN,
  };
}

/** Rows of prices.csv for the current step. */
export function priceRows(ctx: RunContext): PriceRow[] {
  const { state, step } = ctx;
  const out: PriceRow[] = [];
  state.model.assets.forEach((a, ai) => {
    if (a.kind !== 'base' && a.kind !== 'pegged') return;
    out.push({ step, asset: a.id, source: 'exogenous', price: state.exo[ai]! });
    out.push({ step, asset: a.id, source: 'market', price: state.marketPrice[ai]! });
    state.model.pools.forEach((p, pi) => {
      const side = poolPricedSide(p, state.model.assets, ai);
      if (side >= 0)
        out.push({
          step,
          asset: a.id,
          source: p.id,
          price: poolSpot(state, pi, side) * state.marketPrice[p.assets[1 - side]!]!,
        });
    });
    for (const ms of state.markets) {
      const ri = ms.info.reserves.findIndex((r) => r.asset === ai);
      if (ri >= 0) out.push({ step, asset: a.id, source: ms.info.id, price: ms.price[ri]! });
    }
  });
  return out;
}

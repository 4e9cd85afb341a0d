// One step of the engine, in DESIGN order: prices, markets relax, oracles, interest, liquidations, record.
import { yearFraction, type GasInfo } from '@contagion/core';
import { arbitrage } from '../agents/arbitrage.js';
import { actAgents } from '../agents/agents.js';
import { accrueInterest, exchangeRate } from '../lending/reserve.js';
import { liquidationRounds } from '../liquidation/engine.js';
import { closeBands, refreshWeights } from '../oracles/oracle.js';
import { poolSpot } from '../pools/pool.js';
import { refreshMarketPrice } from '../prices/market.js';
import { commitStepTally, resetStepTally } from '../metrics/tally.js';
import { refreshPerp, startPerpStep } from '../perps/perp.js';
import { hedgeOptions, observeRealised, settleWriters } from '../options/options.js';
import type { RunContext } from './context.js';
import type { Troughs } from './troughs.js';

/** Market prices of receipt tokens: exchange rate x the underlying's market price. */
export function refreshReceiptPrices(ctx: RunContext): void {
  const state = ctx.state;
  state.model.assets.forEach((a, i) => {
    if (a.kind !== 'receipt') return;
    const ms = state.markets[a.issuer!]!;
    state.marketPrice[i] = exchangeRate(ms, a.issuerReserve!) * state.marketPrice[a.underlying!]!;
  });
}

/** Record market and pool prices after markets relax (what lagged oracles read later). */
export function recordHistory(ctx: RunContext): void {
  const { state, step } = ctx;
  const nA = state.model.assets.length;
  const nP = state.model.pools.length;
  ctx.marketHist.set(state.marketPrice, step * nA);
  for (let p = 0; p < nP; p++) ctx.poolHist[step * nP + p] = poolSpot(state, p, 0);
}

/** Gas per liquidation call at step `t`: the last spike covering it, else the base cost. */
export function gasAt(gas: GasInfo, t: number): number {
  let usd = gas.usd;
  for (const s of gas.spikes) if (t >= s.fromStep && t <= s.toStep) usd = s.usd;
  return usd;
}

/** End of a step's oracle reads: record each market's prices and close its price bands. */
export function closeOracles(ctx: RunContext): void {
  for (const ms of ctx.state.markets) {
    ctx.oracleHist[ms.index]!.set(ms.price, ctx.step * ms.price.length);
    closeBands(ms);
  }
}

/** Advance the run by one step (ctx.step is the new step number). */
export function advance(ctx: RunContext, troughs: Troughs): void {
  const { state } = ctx;
  const nA = state.model.assets.length;
  resetStepTally(ctx.tally);
  ctx.gasUsd = gasAt(state.model.gas, ctx.step);
  // 1. exogenous prices
  for (let a = 0; a < nA; a++) {
    if (state.model.assets[a]!.kind === 'receipt') continue;
    state.exo[a] = ctx.exoPath[ctx.step * nA + a]!;
    refreshMarketPrice(state, a);
  }
  troughs.observe(ctx);
  // 2. markets relax
  arbitrage(state);
  refreshReceiptPrices(ctx);
  recordHistory(ctx);
  // 3. oracles
  for (const ms of state.markets) refreshWeights(ctx, ms);
  troughs.observe(ctx);
  // 4. agents (accounts with a strategy), then interest and funding
  actAgents(ctx, ctx.agentRows);
  const dt = yearFraction(state.model.stepSeconds);
  for (const ms of state.markets) accrueInterest(state, ms, dt);
  for (const ps of state.perps) startPerpStep(ctx, ps);
  // Dealers hedge their options' delta at the prices the step opened with.
  for (const os of state.options) {
    os.stepHedgeFlowUsd = 0;
    observeRealised(state, os, true);
    settleWriters(state, os, ctx.step);
    hedgeOptions(state, os, ctx.step);
  }
  refreshReceiptPrices(ctx);
  // 5. liquidation rounds (lending, CDP and perpetual venues in one loop)
  liquidationRounds(ctx);
  for (const os of state.options) observeRealised(state, os, false);
  commitStepTally(ctx.tally);
  refreshReceiptPrices(ctx);
  for (const ps of state.perps) refreshPerp(state, ps, ctx.step);
  for (const ms of state.markets) refreshWeights(ctx, ms);
  closeOracles(ctx);
  troughs.observe(ctx);
}

// The outside market: exogenous price times permanent impact; sales and purchases move it.
import type { ImpactKind } from '@contagion/core';
import type { SimState } from '../state/state.js';
import { impactFactor, impactProceeds } from './impact.js';

function impactKind(state: SimState, a: number): ImpactKind {
  return state.impactLinear[a] === 1 ? 'linear' : 'exponential';
}

/** Market price of `a` after a further net sale of `q` (negative: purchase), without trading. */
export function marketPriceAfter(state: SimState, a: number, q: number): number {
  return (
    state.exo[a]! * impactFactor(impactKind(state, a), state.sold[a]! + q, state.impactDepth[a]!)
  );
}

/** Recompute the market price of base/stable asset `a` from its exogenous price and impact. */
export function refreshMarketPrice(state: SimState, a: number): void {
  state.marketPrice[a] = marketPriceAfter(state, a, 0);
}

/** Numeraire proceeds of selling `amount` of `a` to the market now (negative amount: cost to buy). */
export function marketQuote(state: SimState, a: number, amount: number): number {
  const depth = state.impactDepth[a]!;
  return impactProceeds(impactKind(state, a), state.exo[a]!, state.sold[a]!, amount, depth);
}

/**
 * Sell `amount` of `a` to the market (negative: buy), paid in asset `payAsset` at its market price.
 * Returns the amount of `payAsset` received (negative: paid).
 */
export function marketTrade(state: SimState, a: number, amount: number, payAsset: number): number {
  const usd = marketQuote(state, a, amount);
  const pay = usd / state.marketPrice[payAsset]!;
  state.sold[a] = state.sold[a]! + amount;
  state.marketHoldings[a] = state.marketHoldings[a]! + amount;
  state.marketHoldings[payAsset] = state.marketHoldings[payAsset]! - pay;
  refreshMarketPrice(state, a);
  return pay;
}

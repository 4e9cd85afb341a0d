// The outside market: exogenous price times permanent impact; sales and purchases move it.
import type { ImpactKind } from '@contagion/core';
import type { SimState } from '../state/state.js';
import { impactFactor, impactProceeds } from './impact.js';

/** Impact settings of asset `a`: kind and depth (Infinity when the scenario gives none). */
export function impactOf(state: SimState, a: number): [ImpactKind, number] {
  return [state.impactLinear[a] === 1 ? 'linear' : 'exponential', state.impactDepth[a]!];
}

/** Recompute the market price of base/stable asset `a` from its exogenous price and impact. */
export function refreshMarketPrice(state: SimState, a: number): void {
  const kind = state.impactLinear[a] === 1 ? 'linear' : 'exponential';
  state.marketPrice[a] = state.exo[a]! * impactFactor(kind, state.sold[a]!, state.impactDepth[a]!);
}

/** Numeraire proceeds of selling `amount` of `a` to the market now (negative amount: cost to buy). */
export function marketQuote(state: SimState, a: number, amount: number): number {
  const [kind, depth] = impactOf(state, a);
  return impactProceeds(kind, state.exo[a]!, state.sold[a]!, amount, depth);
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

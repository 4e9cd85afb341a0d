// Constant-product pool operations on the state's reserve array (float twin of core's amm math).
import type { SimState } from '../state/state.js';

/** Side (0 or 1) of `asset` in pool `p`, or -1. */
export function poolSide(state: SimState, p: number, asset: number): number {
  const assets = state.model.pools[p]!.assets;
  return assets[0] === asset ? 0 : assets[1] === asset ? 1 : -1;
}

/** Output of selling `amountIn` of side `sideIn` into pool `p`, without trading. */
export function poolQuote(state: SimState, p: number, sideIn: number, amountIn: number): number {
  const fee = state.model.pools[p]!.fee;
  const rin = state.poolReserves[2 * p + sideIn]!;
  const rout = state.poolReserves[2 * p + 1 - sideIn]!;
  const x = amountIn * (1 - fee);
  return (rout * x) / (rin + x);
}

/** Sell `amountIn` of side `sideIn` into pool `p`; returns the output paid out. */
export function poolSwap(state: SimState, p: number, sideIn: number, amountIn: number): number {
  const out = poolQuote(state, p, sideIn, amountIn);
  state.poolReserves[2 * p + sideIn] = state.poolReserves[2 * p + sideIn]! + amountIn;
  state.poolReserves[2 * p + 1 - sideIn] = state.poolReserves[2 * p + 1 - sideIn]! - out;
  return out;
}

/** Input of side `sideIn` needed to take `amountOut` of the other side out of pool `p`. */
export function poolInputFor(
  state: SimState,
  p: number,
  sideIn: number,
  amountOut: number,
): number {
  const fee = state.model.pools[p]!.fee;
  const rin = state.poolReserves[2 * p + sideIn]!;
  const rout = state.poolReserves[2 * p + 1 - sideIn]!;
  if (amountOut >= rout) return Infinity;
  return (rin * amountOut) / ((rout - amountOut) * (1 - fee));
}

/** Spot price of side `side` in units of the other side. */
export function poolSpot(state: SimState, p: number, side: number): number {
  return state.poolReserves[2 * p + 1 - side]! / state.poolReserves[2 * p + side]!;
}

// Pool operations on the state's reserve array, by pool kind: constant-product (x y = k, fee on the
// input; the float twin of core's amm math) or stableswap (core's float stableswap functions).
import { stableswapIn, stableswapOut, stableswapSpot } from '@contagion/core';
import type { SimState } from '../state/state.js';

/** Side (0 or 1) of `asset` in pool `p`, or -1. */
export function poolSide(state: SimState, p: number, asset: number): number {
  const assets = state.model.pools[p]!.assets;
  return assets[0] === asset ? 0 : assets[1] === asset ? 1 : -1;
}

/** Output of selling `amountIn` of side `sideIn` into pool `p`, without trading. */
export function poolQuote(state: SimState, p: number, sideIn: number, amountIn: number): number {
  const pool = state.model.pools[p]!;
  const rin = state.poolReserves[2 * p + sideIn]!;
  const rout = state.poolReserves[2 * p + 1 - sideIn]!;
  if (pool.kind === 'stableswap') return stableswapOut(amountIn, rin, rout, pool.amp, pool.fee);
  const x = amountIn * (1 - pool.fee);
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
  const pool = state.model.pools[p]!;
  const rin = state.poolReserves[2 * p + sideIn]!;
  const rout = state.poolReserves[2 * p + 1 - sideIn]!;
  if (pool.kind === 'stableswap') return stableswapIn(amountOut, rin, rout, pool.amp, pool.fee);
  if (amountOut >= rout) return Infinity;
  return (rin * amountOut) / ((rout - amountOut) * (1 - pool.fee));
}

/** Marginal (spot) price of side `side` in units of the other side, before fees. */
export function poolSpot(state: SimState, p: number, side: number): number {
  const pool = state.model.pools[p]!;
  const x = state.poolReserves[2 * p + side]!;
  const y = state.poolReserves[2 * p + 1 - side]!;
  return pool.kind === 'stableswap' ? stableswapSpot(x, y, pool.amp) : y / x;
}

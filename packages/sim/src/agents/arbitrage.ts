// Arbitrageurs pull each pool toward the market price, within their capital, trading with the market.
import { spendable, type SimState } from '../state/state.js';
import { marketPriceAfter, marketQuote, marketTrade } from '../prices/market.js';
import { stableswapSpot } from '@contagion/core';
import { poolInputFor, poolQuote, poolSpot, poolSwap } from '../pools/pool.js';

/** Largest x in [0, hi] with g(x) <= 0 for an increasing g (bisection to float precision). */
function rootIncreasing(g: (x: number) => number, hi: number): number {
  let lo = 0;
  if (g(hi) <= 0) return hi;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) <= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * One arbitrage pass over every constant-product pool that pairs a base asset with a stablecoin. Each arbitrageur in
 * turn trades the pool until its marginal price (fee included) meets the market's marginal price
 * after the arbitrageur's own trade with the market, or its capital in the stablecoin runs out.
 */
export function arbitrage(state: SimState): void {
  const { model } = state;
  model.pools.forEach((pool, p) => {
    if (pool.kind === 'stableswap') {
      buyDiscount(state, p);
      return;
    }
    const kinds: string[] = pool.assets.map((a) => model.assets[a]!.kind);
    const found =
      kinds[0] === 'base' && kinds[1] === 'stable'
        ? 0
        : kinds[1] === 'base' && kinds[0] === 'stable'
          ? 1
          : -1;
    if (found < 0) return;
    const side: number = found;
    const a = pool.assets[side]!;
    const b = pool.assets[1 - side]!;
    const keep = 1 - pool.fee;
    state.arbHoldings.forEach((hold, ai) => {
      const x = state.poolReserves[2 * p + side]!;
      const y = state.poolReserves[2 * p + 1 - side]!;
      const mb = state.marketPrice[b]!;
      const spot = y / x;
      const target = state.marketPrice[a]! / mb;
      const capital = spendable(hold, state.arbUnlimited[ai]!, b);
      if (capital <= 0) return;
      if (spot / keep < target) {
        // Pool cheap: buy `a` from the pool, sell it to the market.
        const k = x * y;
        const g = (q: number) => k / (x - q) ** 2 / keep - marketPriceAfter(state, a, q) / mb;
        let q = rootIncreasing(g, x * (1 - 1e-9));
        while (q > 0 && poolInputFor(state, p, 1 - side, q) > capital)
          q = rootIncreasing((z) => poolInputFor(state, p, 1 - side, z) - capital, q);
        if (q <= 0) return;
        const paid = poolInputFor(state, p, 1 - side, q);
        const got = poolSwap(state, p, 1 - side, paid);
        hold[b] = hold[b]! - paid;
        hold[b] = hold[b]! + marketTrade(state, a, got, b);
      } else if (spot * keep > target) {
        // Pool dear: buy `a` from the market, sell it into the pool.
        const g = (q: number) => {
          const xin = x + q * keep;
          return marketPriceAfter(state, a, -q) / mb - (keep * (x * y)) / (xin * xin);
        };
        let q = rootIncreasing(g, x * 100);
        const cost = (z: number) => -marketQuote(state, a, -z) / mb;
        while (q > 0 && cost(q) > capital) q = rootIncreasing((z) => cost(z) - capital, q);
        if (q <= 0) return;
        hold[b] = hold[b]! + marketTrade(state, a, -q, b);
        const out = poolQuote(state, p, side, q);
        poolSwap(state, p, side, q);
        hold[b] = hold[b]! + out;
      }
    });
  });
}

/**
 * Discount buyers in every stableswap pool. The engine runs this after each liquidation round too:
 * buyers watch the pool block by block, while liquidation sales arrive round by round.
 */
export function buyDiscounts(state: SimState): void {
  state.model.pools.forEach((pool, p) => {
    if (pool.kind === 'stableswap') buyDiscount(state, p);
  });
}

/**
 * Discount buyers in a stableswap pool (a par pair): each arbitrageur with a `pegDiscount` in turn,
 * when one side's spot is below 1 - pegDiscount, pays the other side into the pool until that spot
 * is back to 1 - pegDiscount or its capital in the paying asset runs out, and holds what it bought.
 * Nobody redeems a pegged asset for its peg here, so this is the only force toward par.
 */
function buyDiscount(state: SimState, p: number): void {
  const pool = state.model.pools[p]!;
  state.model.arbitrageurs.forEach((arb, ai) => {
    const floor = 1 - arb.pegDiscount;
    if (Number.isNaN(floor)) return;
    for (const cheap of [0, 1]) {
      if (poolSpot(state, p, cheap) >= floor) continue;
      const pay = pool.assets[1 - cheap]!;
      const hold = state.arbHoldings[ai]!;
      const capital = spendable(hold, state.arbUnlimited[ai]!, pay);
      if (capital <= 0) continue;
      // Spend q of the paying side: the cheap side's spot rises with q.
      const spotAfter = (q: number): number => {
        const x = state.poolReserves[2 * p + cheap]!;
        const y = state.poolReserves[2 * p + 1 - cheap]!;
        const out = poolQuote(state, p, 1 - cheap, q);
        return stableswapSpot(x - out, y + q, pool.amp);
      };
      const depth = state.poolReserves[2 * p + cheap]!;
      const hi = Math.min(capital, depth * 10);
      const q = rootIncreasing((z) => spotAfter(z) - floor, hi);
      if (q <= 0) continue;
      const got = poolSwap(state, p, 1 - cheap, q);
      hold[pay] = hold[pay]! - q;
      hold[pool.assets[cheap]!] = hold[pool.assets[cheap]!]! + got;
    }
  });
}

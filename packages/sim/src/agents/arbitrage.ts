// Arbitrageurs pull each pool toward the market price, within their capital, trading with the market.
import { spendable, type SimState } from '../state/state.js';
import { marketPriceAfter, marketQuote, marketTrade } from '../prices/market.js';
import { poolInputFor, poolQuote, poolSwap } from '../pools/pool.js';

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
    // Closed forms below are the constant product's; stableswap pools pair assets at par, which
    // no arbitrageur here trades back (a pegged asset's redemption is not modelled).
    if (pool.kind !== 'constant-product') return;
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

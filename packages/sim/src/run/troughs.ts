// Lowest prices seen during a run: market, pool spot and each market's oracle, per asset.
import { poolSpot } from '../pools/pool.js';
import type { RunContext } from './context.js';

/** Running minima, observed after each phase that can move a price. */
export class Troughs {
  /** Per asset: lowest market price. */
  readonly market: Float64Array;
  /** Per pool and side: lowest spot (USD). */
  readonly pool: Float64Array;
  /** Per pool and side: lowest spot in units of the other side. */
  readonly ratio: Float64Array;
  /** Per market, per reserve: lowest oracle price. */
  readonly oracle: Float64Array[];

  constructor(ctx: RunContext) {
    const s = ctx.state;
    this.market = new Float64Array(s.model.assets.length).fill(Infinity);
    this.pool = new Float64Array(s.model.pools.length * 2).fill(Infinity);
    this.ratio = new Float64Array(s.model.pools.length * 2).fill(Infinity);
    this.oracle = s.markets.map((ms) => new Float64Array(ms.info.reserves.length).fill(Infinity));
  }

  /** Take the minimum with the prices now. */
  observe(ctx: RunContext): void {
    const s = ctx.state;
    for (let a = 0; a < this.market.length; a++)
      this.market[a] = Math.min(this.market[a]!, s.marketPrice[a]!);
    s.model.pools.forEach((p, i) => {
      for (let side = 0; side < 2; side++) {
        const spot = poolSpot(s, i, side);
        const usd = spot * s.marketPrice[p.assets[1 - side]!]!;
        this.pool[2 * i + side] = Math.min(this.pool[2 * i + side]!, usd);
        this.ratio[2 * i + side] = Math.min(this.ratio[2 * i + side]!, spot);
      }
    });
    s.markets.forEach((ms, m) => {
      const o = this.oracle[m]!;
      for (let r = 0; r < o.length; r++) o[r] = Math.min(o[r]!, ms.price[r]!);
    });
  }
}

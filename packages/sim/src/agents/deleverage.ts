// Deleveragers: accounts that sell collateral and repay debt before liquidators can reach them.
import type { RunContext } from '../run/context.js';
import { marketQuote, marketTrade } from '../prices/market.js';
import { poolQuote, poolSide, poolSwap } from '../pools/pool.js';
import type { SimState } from '../state/state.js';

/** Per market: the book rows of deleveraging accounts (single collateral and debt) and their slots. */
export interface DeleverageTables {
  readonly rows: Int32Array[];
  /** Per listed row: its collateral slot, debt slot and account group. */
  readonly cSlot: Int32Array[];
  readonly dSlot: Int32Array[];
  readonly group: Int32Array[];
}

/** The rows deleveraging strategies act on (rows in mixed groups are left out). */
export function deleverageTables(state: SimState): DeleverageTables {
  const model = state.model;
  const groupOf = new Int32Array(model.accountCount).fill(-1);
  model.accountGroups.forEach((g, gi) => {
    if (g.deleverage !== undefined) groupOf.fill(gi, g.start, g.start + g.count);
  });
  const out: DeleverageTables = { rows: [], cSlot: [], dSlot: [], group: [] };
  for (const ms of state.markets) {
    const rows: number[] = [];
    const cs: number[] = [];
    const ds: number[] = [];
    const gs: number[] = [];
    for (const g of ms.groups) {
      if (g.collSlot < 0 || g.debtSlot < 0) continue;
      for (let i = g.start; i < g.end; i++) {
        const grp = groupOf[ms.account[i]!]!;
        if (grp < 0) continue;
        rows.push(i);
        cs.push(g.collSlot);
        ds.push(g.debtSlot);
        gs.push(grp);
      }
    }
    out.rows.push(Int32Array.from(rows));
    out.cSlot.push(Int32Array.from(cs));
    out.dSlot.push(Int32Array.from(ds));
    out.group.push(Int32Array.from(gs));
  }
  return out;
}

/** Largest x in [0, hi] with g(x) <= 0 for an increasing g (bisection). */
function largestBelow(g: (x: number) => number, hi: number): number {
  if (g(hi) <= 0) return hi;
  let lo = 0;
  for (let k = 0; k < 100 && hi - lo > 1e-12 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (g(mid) <= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Each deleveraging position with health in [1, below) at the market's oracle sells collateral
 * (to the market, or into its pool) and repays debt with the proceeds until its health reaches
 * `to` or its debt is repaid; what the sale brings beyond the debt goes to the account's wallet.
 * A sale that would lower the position's collateral/debt ratio (a quote below the oracle's view)
 * is not made: the book's bounded scans rely on untouched ratios only rising.
 */
export function deleverage(ctx: RunContext, tables: DeleverageTables): void {
  const { state } = ctx;
  const groups = state.model.accountGroups;
  for (const ms of state.markets) {
    const rows = tables.rows[ms.index]!;
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j]!;
      const cSlot = tables.cSlot[ms.index]![j]!;
      const dSlot = tables.dSlot[ms.index]![j]!;
      const plan = groups[tables.group[ms.index]![j]!]!.deleverage!;
      const c = ms.coll[cSlot]![i]!;
      const s = ms.debt[dSlot]![i]!;
      if (!(c > 0 && s > 0)) continue;
      const cw = ms.collW[cSlot]!;
      const dw = ms.debtW[dSlot]!;
      const health = (c * cw) / (s * dw);
      if (!(health >= 1 && health < plan.below)) continue;
      const cRes = ms.info.collReserves[cSlot]!;
      const dRes = ms.info.debtReserves[dSlot]!;
      const cAsset = ms.info.reserves[cRes]!.asset;
      const dAsset = ms.info.reserves[dRes]!.asset;
      const index = ms.borrowIndex[dRes]!;
      const owed = s * index;
      const side = plan.sellTo >= 0 ? poolSide(state, plan.sellTo, cAsset) : -1;
      const proceeds = (q: number): number =>
        side >= 0
          ? poolQuote(state, plan.sellTo, side, q)
          : marketQuote(state, cAsset, q) / state.marketPrice[dAsset]!;
      const after = (q: number): number => {
        const left = s - Math.min(proceeds(q), owed) / index;
        return left <= 0 ? Infinity : ((c - q) * cw) / (left * dw);
      };
      // Sell no more than repays the whole debt, nor more than the collateral.
      const full = largestBelow((q) => proceeds(q) - owed, c);
      const q = largestBelow((x) => after(x) - plan.to, full);
      if (!(q > 0)) continue;
      const repaid = Math.min(proceeds(q), owed);
      if ((c - q) * s < c * (s - repaid / index)) continue; // the ratio would fall
      ms.coll[cSlot]![i] = c - q;
      ms.custody[cSlot] = ms.custody[cSlot]! - q;
      const got =
        side >= 0 ? poolSwap(state, plan.sellTo, side, q) : marketTrade(state, cAsset, q, dAsset);
      const repay = Math.min(got, owed);
      const scaled = repay / index;
      const left = s - scaled;
      ms.debt[dSlot]![i] = Math.abs(left) <= s * 1e-12 ? 0 : left;
      ms.scaledDebt[dRes] = ms.scaledDebt[dRes]! - scaled;
      ms.cash[dRes] = ms.cash[dRes]! + repay;
      state.wallets[dAsset] = state.wallets[dAsset]! + (got - repay);
      ctx.tally.deleverageActions++;
      ctx.tally.deleverageRepaidUsd += repay * ms.price[dRes]!;
    }
  }
}

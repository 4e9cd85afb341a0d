// Eligibility scans over a market's columns: hot loops as free functions over typed arrays.
//
// The book is ordered by group (one collateral slot and one debt slot per row) and, within a group,
// ascending by collateral / debt at the start. A row is below health 1 when
// collateral x collateralWeight < scaledDebt x debtWeight, i.e. when its ratio is below
// debtWeight / collateralWeight: so, for rows never liquidated, the eligible rows of a group are a
// prefix found by binary search. Rows a liquidation has changed all lie before the furthest prefix
// scanned so far (`ms.reach`), so each group is scanned exactly, row by row, up to the larger of the
// two: the scan costs what the cascade has touched, not the size of the book.
import type { MarketState } from '../state/state.js';

/** Relative margin on the binary search, far above float rounding of the ratio and the weights. */
const MARGIN = 1e-9;

/** First row of group `gi` at or beyond which no unliquidated row can be eligible now. */
export function regionEnd(ms: MarketState, gi: number): number {
  const g = ms.groups[gi]!;
  if (g.collSlot < 0) return g.end;
  if (g.debtSlot < 0) return g.start; // a market that lends nothing has no debt to liquidate
  const cw = ms.collW[g.collSlot]!;
  const dw = ms.debtW[g.debtSlot]!;
  const threshold = cw > 0 ? (dw / cw) * (1 + MARGIN) : Infinity;
  const ratio = ms.ratio;
  let lo = g.start;
  let hi = g.end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ratio[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(lo, ms.reach[gi]!);
}

function scanGroup(ms: MarketState, gi: number, ne: number): number {
  const g = ms.groups[gi]!;
  if (g.debtSlot < 0) return ne;
  const end = regionEnd(ms, gi);
  ms.reach[gi] = end;
  const c = ms.coll[g.collSlot]!;
  const d = ms.debt[g.debtSlot]!;
  const cw = ms.collW[g.collSlot]!;
  const dw = ms.debtW[g.debtSlot]!;
  const e = ms.eligible;
  for (let i = g.start; i < end; i++) {
    const x = c[i]! * cw;
    if (x < d[i]! * dw && x > 0) e[ne++] = i;
  }
  return ne;
}

function scanMixed(ms: MarketState, gi: number, ne: number): number {
  const g = ms.groups[gi]!;
  const e = ms.eligible;
  for (let i = g.start; i < g.end; i++) {
    const [c, d] = rowHealthParts(ms, i, ms.collW, ms.debtW);
    if (c < d && c > 0) e[ne++] = i;
  }
  return ne;
}

/**
 * Scan: collect the rows with positive weighted collateral below their weighted debt (health < 1)
 * into `ms.eligible`, in book order. Rows without collateral cannot be liquidated and are skipped.
 */
export function scanMarket(ms: MarketState): number {
  let ne = 0;
  for (let gi = 0; gi < ms.groups.length; gi++) {
    ne = ms.groups[gi]!.collSlot < 0 ? scanMixed(ms, gi, ne) : scanGroup(ms, gi, ne);
  }
  ms.nEligible = ne;
  ms.scannedCollW.set(ms.collW);
  ms.scannedDebtW.set(ms.debtW);
  ms.dirty = false;
  return ne;
}

/** Weighted collateral and weighted debt of one row under the given weights. */
export function rowHealthParts(
  ms: MarketState,
  i: number,
  collW: Float64Array,
  debtW: Float64Array,
): [number, number] {
  let c = 0;
  for (let k = 0; k < ms.coll.length; k++) c += ms.coll[k]![i]! * collW[k]!;
  let d = 0;
  for (let k = 0; k < ms.debt.length; k++) d += ms.debt[k]![i]! * debtW[k]!;
  return [c, d];
}

/** Health factor of one row under the market's current weights (Infinity without debt). */
export function rowHealth(ms: MarketState, i: number): number {
  const [c, d] = rowHealthParts(ms, i, ms.collW, ms.debtW);
  return d > 0 ? c / d : Infinity;
}

/**
 * Recheck only the rows of the last scan (weights unchanged since, so no other row can have become
 * eligible): keep those still below health 1 with collateral left.
 */
export function recheckMarket(ms: MarketState): number {
  const e = ms.eligible;
  let ne = 0;
  for (let j = 0; j < ms.nEligible; j++) {
    const i = e[j]!;
    const [c, d] = rowHealthParts(ms, i, ms.collW, ms.debtW);
    if (c < d && c > 0) e[ne++] = i;
  }
  ms.nEligible = ne;
  return ne;
}

// Eligibility scans over a market's columns: hot loops as free functions over typed arrays.
import type { MarketState } from '../state/state.js';

/** Weighted collateral of every row into `ms.scratch` (sum over slots of amount x weight). */
function weighCollateral(ms: MarketState): void {
  const s = ms.scratch;
  const n = ms.rows;
  const nC = ms.coll.length;
  if (nC === 0) {
    s.fill(0, 0, n);
    return;
  }
  const c0 = ms.coll[0]!;
  const w0 = ms.collW[0]!;
  for (let i = 0; i < n; i++) s[i] = c0[i]! * w0;
  for (let k = 1; k < nC; k++) {
    const c = ms.coll[k]!;
    const w = ms.collW[k]!;
    if (w === 0) continue;
    for (let i = 0; i < n; i++) s[i] = s[i]! + c[i]! * w;
  }
}

/**
 * Full scan: collect rows with positive weighted collateral below their weighted debt (health < 1)
 * into `ms.eligible`, in row order. Rows without collateral cannot be liquidated and are skipped.
 */
export function scanMarket(ms: MarketState): number {
  weighCollateral(ms);
  const s = ms.scratch;
  const e = ms.eligible;
  const n = ms.rows;
  let ne = 0;
  const nD = ms.debt.length;
  if (nD === 1) {
    const d = ms.debt[0]!;
    const w = ms.debtW[0]!;
    for (let i = 0; i < n; i++) {
      const c = s[i]!;
      if (c < d[i]! * w && c > 0) e[ne++] = i;
    }
  } else if (nD > 1) {
    const t = ms.scratch2;
    const d0 = ms.debt[0]!;
    const w0 = ms.debtW[0]!;
    for (let i = 0; i < n; i++) t[i] = d0[i]! * w0;
    for (let k = 1; k < nD; k++) {
      const d = ms.debt[k]!;
      const w = ms.debtW[k]!;
      for (let i = 0; i < n; i++) t[i] = t[i]! + d[i]! * w;
    }
    for (let i = 0; i < n; i++) {
      const c = s[i]!;
      if (c < t[i]! && c > 0) e[ne++] = i;
    }
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

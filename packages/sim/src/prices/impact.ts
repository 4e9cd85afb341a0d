// Permanent price impact of sales to the market (float twin of core's exact impact math).
import type { ImpactKind } from '@contagion/core';

/** Price factor after a net `sold` amount (negative = net bought). */
export function impactFactor(kind: ImpactKind, sold: number, depth: number): number {
  if (depth === Infinity) return 1;
  return kind === 'exponential' ? Math.exp(-sold / depth) : Math.max(0, 1 - sold / depth);
}

/**
 * Numeraire proceeds of selling `amount` (negative: the cost of buying -amount, as a negative number)
 * after `soldBefore`, at exogenous price `price`.
 */
export function impactProceeds(
  kind: ImpactKind,
  price: number,
  soldBefore: number,
  amount: number,
  depth: number,
): number {
  if (depth === Infinity) return price * amount;
  if (kind === 'exponential') {
    // exp(-q0 / D) - exp(-(q0 + q) / D) written with expm1, so small sales lose no digits.
    return price * depth * Math.exp(-soldBefore / depth) * -Math.expm1(-amount / depth);
  }
  if (soldBefore <= depth && soldBefore + amount <= depth) {
    // No clipping: the width is the amount itself, the average factor at the midpoint.
    return price * amount * (1 - (soldBefore + amount / 2) / depth);
  }
  const clip = (q: number) => Math.min(q, depth);
  const hi = clip(soldBefore + amount);
  const lo = clip(soldBefore);
  // (hi - lo) - (hi^2 - lo^2) / 2D, factored so it does not cancel.
  return price * (hi - lo) * (1 - (hi + lo) / (2 * depth));
}

// Two-coin StableSwap math in floats (the fast twin of core's stableswap*Exact; same conventions:
// Ann = A x 2, fee on the output, kept in the pool).

/** Invariant D of balances (x, y) at amplification `amp` (Newton from x + y, to 1e-15 relative). */
export function stableswapD(x: number, y: number, amp: number): number {
  const s = x + y;
  if (s === 0) return 0;
  const ann = amp * 2;
  let d = s;
  for (let i = 0; i < 256; i++) {
    const dp = (d * d * d) / (4 * x * y);
    const prev = d;
    d = ((ann * s + 2 * dp) * d) / ((ann - 1) * d + 3 * dp);
    if (Math.abs(d - prev) <= 1e-15 * d) return d;
  }
  return d;
}

/** The other balance at invariant `d` when one balance is `x` (the quadratic's positive root). */
export function stableswapY(x: number, d: number, amp: number): number {
  const ann = amp * 2;
  const c = (d * d * d) / (4 * x * ann);
  const bd = x + d / ann - d;
  const root = Math.sqrt(bd * bd + 4 * c);
  // Of the two algebraic forms, the one without cancellation for the sign of b - D.
  return bd >= 0 ? (2 * c) / (bd + root) : (root - bd) / 2;
}

/** Output (after fee) of selling `dx` into balances (x in, y out). */
export function stableswapOut(
  dx: number,
  x: number,
  y: number,
  amp: number,
  fee: number,
): number {
  const d = stableswapD(x, y, amp);
  const dy = y - stableswapY(x + dx, d, amp);
  return Math.max(0, dy * (1 - fee));
}

/** Input needed to take `out` (after fee) from balances (x in, y out); Infinity past the balance. */
export function stableswapIn(
  out: number,
  x: number,
  y: number,
  amp: number,
  fee: number,
): number {
  const dy = out / (1 - fee);
  if (dy >= y) return Infinity;
  const d = stableswapD(x, y, amp);
  return Math.max(0, stableswapY(y - dy, d, amp) - x);
}

/** Marginal price of the `in` coin (balance x) in units of the other (balance y), no fee. */
export function stableswapSpot(x: number, y: number, amp: number): number {
  const ann = amp * 2;
  const d = stableswapD(x, y, amp);
  const d3 = (d * d * d) / 4;
  return (ann + d3 / (x * x * y)) / (ann + d3 / (x * y * y));
}

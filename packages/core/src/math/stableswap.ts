// Two-coin StableSwap pool math (Egorov 2019, as Curve's pool contracts compute it), exact.
//
// Invariant, n = 2 coins with balances x and y, Ann = A x n:
//   Ann (x + y) + D = Ann D + D^3 / (4 x y)
// `A` is the amplification as a Curve pool's A() returns it (the whitepaper's A times n^(n-1)).
// A -> 0 gives the constant product x y = D^2 / 4; A -> infinity the constant sum x + y = D.
// The fee is taken on the output, as Curve's exchange does; all of it stays in the pool here (Curve
// sends an admin share of it, half on the stETH pool, to the DAO: a simplification).
import { Dec, dec, divDown, type DecLike } from '../numeric/decimal.js';

const N = 2;
const TOL = new Dec('1e-34');

/** The invariant D of balances (x, y) at amplification `amp` (Newton's iteration from D = x + y). */
export function stableswapDExact(x: DecLike, y: DecLike, amp: DecLike): Dec {
  const X = dec(x);
  const Y = dec(y);
  const S = X.plus(Y);
  if (S.isZero()) return new Dec(0);
  const ann = dec(amp).times(N);
  let D = S;
  for (let i = 0; i < 512; i++) {
    // D_P = D^3 / (4 x y)
    const dp = D.pow(3).div(X.times(Y).times(4));
    const prev = D;
    D = ann
      .times(S)
      .plus(dp.times(N))
      .times(D)
      .div(
        ann
          .minus(1)
          .times(D)
          .plus(dp.times(N + 1)),
      );
    if (D.minus(prev).abs().lte(TOL.times(D))) return D;
  }
  throw new Error('stableswapDExact: no convergence');
}

/**
 * The balance of the other coin that keeps invariant `D` when one coin's balance is `x`: the
 * positive root of y^2 + (b - D) y - c = 0 with b = x + D / Ann and c = D^3 / (4 x Ann).
 */
export function stableswapYExact(x: DecLike, D: DecLike, amp: DecLike): Dec {
  const X = dec(x);
  const d = dec(D);
  const ann = dec(amp).times(N);
  const c = d.pow(3).div(X.times(4).times(ann));
  const bd = X.plus(d.div(ann)).minus(d);
  return bd
    .neg()
    .plus(bd.times(bd).plus(c.times(4)).sqrt())
    .div(2);
}

/**
 * Output of selling `amountIn` of the coin with balance `balanceIn` into a pool whose other balance
 * is `balanceOut`: the fall of the other balance at constant D, less the fee on it (rounded down).
 */
export function stableswapOutExact(
  amountIn: DecLike,
  balanceIn: DecLike,
  balanceOut: DecLike,
  amp: DecLike,
  fee: DecLike = 0,
): Dec {
  const D = stableswapDExact(balanceIn, balanceOut, amp);
  const y = stableswapYExact(dec(balanceIn).plus(dec(amountIn)), D, amp);
  const dy = dec(balanceOut).minus(y);
  return divDown(dy.times(new Dec(1).minus(dec(fee))), new Dec(1));
}

/**
 * Marginal price of the `in` coin in units of the `out` coin (no fee): -dy/dx along the invariant,
 * (Ann + D^3 / (4 x^2 y)) / (Ann + D^3 / (4 x y^2)) with x the in balance and y the out balance.
 */
export function stableswapSpotExact(balanceIn: DecLike, balanceOut: DecLike, amp: DecLike): Dec {
  const X = dec(balanceIn);
  const Y = dec(balanceOut);
  const D = stableswapDExact(X, Y, amp);
  const ann = dec(amp).times(N);
  const d3 = D.pow(3).div(4);
  return ann.plus(d3.div(X.times(X).times(Y))).div(ann.plus(d3.div(X.times(Y).times(Y))));
}

// Float twins (the engine's fast path; tests check them against the exact functions above).

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
export function stableswapOut(dx: number, x: number, y: number, amp: number, fee: number): number {
  const d = stableswapD(x, y, amp);
  const dy = y - stableswapY(x + dx, d, amp);
  return Math.max(0, dy * (1 - fee));
}

/** Input needed to take `out` (after fee) from balances (x in, y out); Infinity past the balance. */
export function stableswapIn(out: number, x: number, y: number, amp: number, fee: number): number {
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

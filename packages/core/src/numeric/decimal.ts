// The one configured decimal constructor for exact money math (no global Decimal.set anywhere).
import { Decimal } from 'decimal.js';

/** Exact decimal numbers: 40 significant digits, half-even rounding unless a call rounds explicitly. */
export const Dec = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
/** An exact decimal value. */
export type Dec = InstanceType<typeof Dec>;

/** Divide rounding toward zero at 40 significant digits: for amounts paid out (conservative). */
export function divDown(a: Dec, b: Dec): Dec {
  return a.div(b.toSignificantDigits(40)).toSignificantDigits(40, Decimal.ROUND_DOWN);
}

/** Anything that converts exactly to a decimal: a decimal, a finite number or a numeric string. */
export type DecLike = Dec | number | string;

/** Convert to an exact decimal. Numbers convert through their shortest round-trip string. */
export function dec(x: DecLike): Dec {
  return x instanceof Dec ? x : new Dec(x);
}

/** Sum exactly. */
export function decSum(xs: Iterable<DecLike>): Dec {
  let s = new Dec(0);
  for (const x of xs) s = s.plus(dec(x));
  return s;
}

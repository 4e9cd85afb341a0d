// Permanent price impact of sales to the market, and the proceeds of a sale along it, exact.
import { Dec, dec, type DecLike } from '../numeric/decimal.js';

/** exponential: factor exp(-q / depth); linear: max(0, 1 - q / depth); q = net amount sold. */
export type ImpactKind = 'exponential' | 'linear';

/** Price factor after a net `sold` amount (negative for net purchases). */
export function impactFactorExact(kind: ImpactKind, sold: DecLike, depth: DecLike): Dec {
  const x = dec(sold).div(dec(depth));
  if (kind === 'exponential') return x.neg().exp();
  const f = new Dec(1).minus(x);
  return f.isNegative() ? new Dec(0) : f;
}

/**
 * Proceeds (numeraire) of selling `amount` when `soldBefore` has already been sold, at exogenous
 * price `price`: the integral of price x factor(q) from soldBefore to soldBefore + amount.
 */
export function impactProceedsExact(
  kind: ImpactKind,
  price: DecLike,
  soldBefore: DecLike,
  amount: DecLike,
  depth: DecLike,
): Dec {
  const D = dec(depth);
  const q0 = dec(soldBefore);
  const q1 = q0.plus(dec(amount));
  if (kind === 'exponential') {
    return dec(price)
      .times(D)
      .times(q0.div(D).neg().exp().minus(q1.div(D).neg().exp()));
  }
  // Linear: integrate 1 - q/D on [q0, q1] clipped at q = D where the price reaches zero.
  const hi = Dec.min(q1, D);
  const lo = Dec.min(q0, D);
  const integral = hi.minus(lo).minus(hi.pow(2).minus(lo.pow(2)).div(D.times(2)));
  return dec(price).times(integral);
}

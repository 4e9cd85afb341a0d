// Kinked borrow-rate model on utilisation, exact.
import { Dec, dec, type DecLike } from '../numeric/decimal.js';
import type { RateModel } from '../model/model.js';

/** Utilisation = debt / (cash + debt); 0 for an empty reserve. */
export function utilisationExact(cash: DecLike, debt: DecLike): Dec {
  const total = dec(cash).plus(dec(debt));
  return total.isZero() ? new Dec(0) : dec(debt).div(total);
}

/** Annual borrow rate: base + slope1 x u / kink below the kink; + slope2 x (u - kink) / (1 - kink) above. */
export function borrowRateExact(m: RateModel, utilisation: DecLike): Dec {
  const u = dec(utilisation);
  const kink = dec(m.kink);
  if (u.lte(kink)) return dec(m.base).plus(dec(m.slope1).times(u).div(kink));
  return dec(m.base)
    .plus(dec(m.slope1))
    .plus(dec(m.slope2).times(u.minus(kink)).div(new Dec(1).minus(kink)));
}

/** Float twin of {@link borrowRateExact} for the engine. */
export function borrowRate(m: RateModel, u: number): number {
  return u <= m.kink
    ? m.base + (m.slope1 * u) / m.kink
    : m.base + m.slope1 + (m.slope2 * (u - m.kink)) / (1 - m.kink);
}

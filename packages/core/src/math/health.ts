// Exact health factor: the reference the engine's float kernel is checked against.
import { Dec, dec, type DecLike } from '../numeric/decimal.js';

/** A collateral holding: amount (token units), oracle price (USD) and liquidation threshold. */
export interface CollateralLeg {
  readonly amount: DecLike;
  readonly price: DecLike;
  readonly liquidationThreshold: DecLike;
}

/** A debt: amount (token units) and oracle price (USD). */
export interface DebtLeg {
  readonly amount: DecLike;
  readonly price: DecLike;
}

/**
 * Health factor = sum(collateral x price x threshold) / sum(debt x price); Infinity with no debt.
 * Liquidatable when below 1.
 */
export function healthFactorExact(coll: readonly CollateralLeg[], debt: readonly DebtLeg[]): Dec {
  let num = new Dec(0);
  for (const c of coll)
    num = num.plus(dec(c.amount).times(dec(c.price)).times(dec(c.liquidationThreshold)));
  let den = new Dec(0);
  for (const d of debt) den = den.plus(dec(d.amount).times(dec(d.price)));
  return den.isZero() ? new Dec(Infinity) : num.div(den);
}

/** Price of the only collateral at which health reaches 1: debt value / (amount x threshold). */
export function liquidationPriceExact(amount: DecLike, lt: DecLike, debtValue: DecLike): Dec {
  return dec(debtValue).div(dec(amount).times(dec(lt)));
}

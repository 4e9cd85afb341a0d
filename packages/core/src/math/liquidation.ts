// One liquidation call in exact arithmetic (Aave v3 conventions), the reference for the kernel.
import { Dec, dec, divDown, type DecLike } from '../numeric/decimal.js';

/** Inputs of one call: one collateral reserve seized, one debt reserve repaid. */
export interface LiquidationCallInput {
  /** Collateral held (token units). */
  readonly collateral: DecLike;
  /** Collateral oracle price (USD). */
  readonly collateralPrice: DecLike;
  /** Debt owed in the repaid reserve (token units). */
  readonly debt: DecLike;
  /** Debt asset oracle price (USD). */
  readonly debtPrice: DecLike;
  /** Liquidation bonus as a fraction (0.05: collateral worth 105% of the repay). */
  readonly bonus: DecLike;
  /** Share of the bonus paid to the treasury, in [0, 1]. */
  readonly protocolFee: DecLike;
  /** Largest share of the debt this call may repay, in (0, 1]. */
  readonly closeFactor: DecLike;
  /** Most the liquidator can repay (token units of the debt asset); omit for unlimited. */
  readonly capital?: DecLike;
}

/** What one call moves. */
export interface LiquidationCallResult {
  /** Debt repaid by the liquidator (debt token units). */
  readonly repaid: Dec;
  /** Collateral taken from the account (token units), fee included. */
  readonly seized: Dec;
  /** Part of `seized` paid to the treasury. */
  readonly fee: Dec;
  /** Part of `seized` the liquidator receives. */
  readonly toLiquidator: Dec;
  /** True when the call took all the collateral (repay cut to what it can pay for). */
  readonly exhausted: boolean;
}

/**
 * Repay min(closeFactor x debt, capital); seize repay x debtPrice x (1 + bonus) / collateralPrice.
 * When that exceeds the collateral, seize all of it and cut the repay to
 * collateral x collateralPrice / (debtPrice x (1 + bonus)). The protocol fee is a share of the bonus
 * part, seized x bonus / (1 + bonus) x protocolFee. Rounding: every division rounds the amount paid
 * out (collateral seized, repay credited, fee) toward zero, so the account keeps the dust and the
 * debt left over is never understated.
 */
export function liquidationCallExact(x: LiquidationCallInput): LiquidationCallResult {
  const onePlusB = new Dec(1).plus(dec(x.bonus));
  let repay = dec(x.debt).times(dec(x.closeFactor));
  if (x.capital !== undefined && dec(x.capital).lt(repay)) repay = dec(x.capital);
  let seized = divDown(repay.times(dec(x.debtPrice)).times(onePlusB), dec(x.collateralPrice));
  let exhausted = false;
  if (seized.gte(dec(x.collateral))) {
    seized = dec(x.collateral);
    repay = divDown(seized.times(dec(x.collateralPrice)), dec(x.debtPrice).times(onePlusB));
    exhausted = true;
  }
  const fee = divDown(seized.times(dec(x.bonus)).times(dec(x.protocolFee)), onePlusB);
  return { repaid: repay, seized, fee, toLiquidator: seized.minus(fee), exhausted };
}

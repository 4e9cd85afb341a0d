// Closed forms of leverage loops: leverage means assets / equity throughout.
import { Dec, dec, type DecLike } from '../numeric/decimal.js';

/** Leverage after `n` borrow-and-redeposit rounds at loan-to-value `ltv`: (1 - ltv^(n+1)) / (1 - ltv). */
export function loopLeverage(ltv: number, n: number): number {
  return ltv === 1 ? n + 1 : (1 - ltv ** (n + 1)) / (1 - ltv);
}

/** Exact twin of {@link loopLeverage}. */
export function loopLeverageExact(ltv: DecLike, n: number): Dec {
  const l = dec(ltv);
  if (l.eq(1)) return new Dec(n + 1);
  return new Dec(1).minus(l.pow(n + 1)).div(new Dec(1).minus(l));
}

/** The supremum of loop leverage, 1 / (1 - ltv), reached only with infinitely many rounds. */
export function maxLeverageExact(ltv: DecLike): Dec {
  return new Dec(1).div(new Dec(1).minus(dec(ltv)));
}

/**
 * Health factor of a loop at leverage `L` whose collateral is priced at `ratio` times its price at
 * entry, with debt in a stable asset: LT x L x ratio / (L - 1).
 */
export function loopHealthExact(lt: DecLike, leverage: DecLike, ratio: DecLike = 1): Dec {
  const L = dec(leverage);
  return dec(lt).times(L).times(dec(ratio)).div(L.minus(1));
}

/** Price drop (a fraction) at which a loop at leverage L becomes liquidatable: 1 - (L - 1) / (LT x L). */
export function loopLiquidationDropExact(lt: DecLike, leverage: DecLike): Dec {
  const L = dec(leverage);
  return new Dec(1).minus(L.minus(1).div(dec(lt).times(L)));
}

/**
 * Price drop beyond which liquidating a loop at leverage L cannot pay the bonus b in full, so bad
 * debt is left: collateral value < debt x (1 + b), i.e. 1 - (1 + b)(L - 1) / L.
 */
export function loopBadDebtDropExact(bonus: DecLike, leverage: DecLike): Dec {
  const L = dec(leverage);
  return new Dec(1).minus(new Dec(1).plus(dec(bonus)).times(L.minus(1)).div(L));
}

// Constant-product pool math (x * y = k, fee taken on the input), exact.
import { Dec, dec, divDown, type DecLike } from '../numeric/decimal.js';

/** Output of selling `amountIn` into a pool with reserves (reserveIn, reserveOut) and `fee`. */
export function constantProductOutExact(
  amountIn: DecLike,
  reserveIn: DecLike,
  reserveOut: DecLike,
  fee: DecLike = 0,
): Dec {
  const inAfterFee = dec(amountIn).times(new Dec(1).minus(dec(fee)));
  // Rounded down, as Uniswap floors the output: the pool's k never falls.
  return divDown(dec(reserveOut).times(inAfterFee), dec(reserveIn).plus(inAfterFee));
}

/** Spot price of the `in` asset in units of the `out` asset: reserveOut / reserveIn. */
export function constantProductSpotExact(reserveIn: DecLike, reserveOut: DecLike): Dec {
  return dec(reserveOut).div(dec(reserveIn));
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec } from '../numeric/decimal.js';
import { constantProductOutExact, constantProductSpotExact } from './amm.js';

// Uniswap v2 getAmountOut: out = reserveOut x in x (1 - fee) / (reserveIn + in x (1 - fee)); the whole
// input (fee included) stays in the pool, so k = x * y never falls.

describe('constantProductOutExact', () => {
  it('without fee keeps x * y = k exactly', () => {
    // reserves 900 / 5000, sell 100: out = 5000 x 100 / (900 + 100) = 500
    // k before = 900 x 5000 = 4_500_000; after = 1000 x 4500 = 4_500_000
    const out = constantProductOutExact(100, 900, 5000);
    expect(out.toString()).toBe('500');
    expect(new Dec(1000).times(new Dec(5000).minus(out)).toString()).toBe('4500000');
  });

  it('with a fee on the input, and k grows', () => {
    // fee 0.2: 125 in -> 100 after fee; out = 5000 x 100 / (900 + 100) = 500
    // k after = (900 + 125) x 4500 = 4_612_500 > 4_500_000
    const out = constantProductOutExact(125, 900, 5000, 0.2);
    expect(out.toString()).toBe('500');
    const kAfter = new Dec(900 + 125).times(new Dec(5000).minus(out));
    expect(kAfter.toString()).toBe('4612500');
  });

  it("matches Uniswap v2's integer form at 0.3%", () => {
    // v2: amountInWithFee = in x 997; out = amountInWithFee x rOut / (rIn x 1000 + amountInWithFee)
    // in 1000, reserves 1e6 / 1e6: 997e6 / 1_000_997 = 996.00698103990321649...
    const out = constantProductOutExact(1000, 1_000_000, 1_000_000, 0.003);
    expect(out.toSignificantDigits(20).toString()).toBe('996.00698103990321649');
  });

  it('selling nothing returns nothing', () => {
    expect(constantProductOutExact(0, 10, 20, 0.003).isZero()).toBe(true);
  });

  // `out` and the products are rounded to 40 significant digits (half-even), so k may appear to fall
  // by (x + in) x one unit in the 40th digit of out plus the rounding of the two products: that is
  // the stated tolerance.
  it('laws: 0 <= out < reserveOut; k non-decreasing up to the rounding of out', () => {
    const pos = (min: number, max: number) =>
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        pos(1e-6, 1e9),
        pos(1e-3, 1e9),
        pos(1e-3, 1e9),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (amountIn, x, y, fee) => {
          const out = constantProductOutExact(amountIn, x, y, fee);
          expect(out.lt(y)).toBe(true);
          expect(out.gte(0)).toBe(true);
          const k = new Dec(x).times(y);
          const kAfter = new Dec(x).plus(amountIn).times(new Dec(y).minus(out));
          const tol = new Dec(x).plus(amountIn).times(out).plus(k.times(2)).times('1e-39');
          expect(kAfter.gte(k.minus(tol))).toBe(true);
        },
      ),
    );
  });
});

describe('constantProductSpotExact', () => {
  it('is reserveOut / reserveIn', () => {
    // 100 ETH / 200000 USDC: 2000 USDC per ETH
    expect(constantProductSpotExact(100, 200_000).toString()).toBe('2000');
    expect(constantProductSpotExact(200_000, 100).toString()).toBe('0.0005');
  });

  it('a marginal trade executes at the spot price', () => {
    // out / in -> spot as in -> 0 (no fee)
    const out = constantProductOutExact('1e-12', 100, 200_000);
    expect(out.div('1e-12').minus(2000).abs().lt('1e-9')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Dec } from '../numeric/decimal.js';
import { healthFactorExact, liquidationPriceExact } from './health.js';

// Aave v3 definition: HF = sum(collateral_i x price_i x LT_i) / sum(debt_j x price_j);
// an account is liquidatable when HF < 1, and HF is "infinite" without debt.

describe('healthFactorExact', () => {
  it('single collateral: 10 ETH at 2000, LT 0.825, 11000 USDC debt', () => {
    // 10 x 2000 x 0.825 = 16500; 16500 / 11000 = 1.5
    const hf = healthFactorExact(
      [{ amount: 10, price: 2000, liquidationThreshold: 0.825 }],
      [{ amount: 11000, price: 1 }],
    );
    expect(hf.eq(1.5)).toBe(true);
  });

  it('multi-collateral, multi-debt sums each side', () => {
    // collateral: 10 ETH x 2000 x 0.825 = 16500; 1 BTC x 60000 x 0.75 = 45000; total 61500
    // debt: 30000 USDC x 1 + 5 ETH x 2000 = 40000; HF = 61500 / 40000 = 1.5375
    const hf = healthFactorExact(
      [
        { amount: 10, price: 2000, liquidationThreshold: 0.825 },
        { amount: 1, price: 60000, liquidationThreshold: 0.75 },
      ],
      [
        { amount: 30000, price: 1 },
        { amount: 5, price: 2000 },
      ],
    );
    expect(hf.toString()).toBe('1.5375');
  });

  it('is Infinity without debt (empty or zero)', () => {
    const coll = [{ amount: 1, price: 2000, liquidationThreshold: 0.8 }];
    expect(healthFactorExact(coll, []).eq(Infinity)).toBe(true);
    expect(healthFactorExact(coll, [{ amount: 0, price: 1 }]).eq(Infinity)).toBe(true);
    expect(healthFactorExact([], []).eq(Infinity)).toBe(true);
  });

  it('is 0 with debt and no collateral', () => {
    expect(healthFactorExact([], [{ amount: 1, price: 1 }]).isZero()).toBe(true);
  });

  it('places cases just above, at and just below 1', () => {
    // 1 ETH x 2000 x 0.8 = 1600 of weighted collateral
    const coll = [{ amount: 1, price: 2000, liquidationThreshold: 0.8 }];
    // HF - 1 = 0.01 / 1599.99 = 6.25004e-6 above; 1 - HF = 0.01 / 1600.01 = 6.24996e-6 below
    const above = healthFactorExact(coll, [{ amount: 1599.99, price: 1 }]);
    const at = healthFactorExact(coll, [{ amount: 1600, price: 1 }]);
    const below = healthFactorExact(coll, [{ amount: 1600.01, price: 1 }]);
    expect(above.gt(1)).toBe(true);
    expect(above.minus(1).toSignificantDigits(6).toString()).toBe('0.00000625004');
    expect(at.eq(1)).toBe(true);
    expect(below.lt(1)).toBe(true);
    expect(new Dec(1).minus(below).toSignificantDigits(6).toString()).toBe('0.00000624996');
  });

  it('is exact where floats are not: 0.3 of collateral against 0.1 + 0.2 of debt is exactly 1', () => {
    // In binary floating point 0.1 + 0.2 = 0.30000000000000004 > 0.3, which would read as HF < 1.
    expect(0.3 / (0.1 + 0.2)).toBeLessThan(1);
    const hf = healthFactorExact(
      [{ amount: 0.3, price: 1, liquidationThreshold: 1 }],
      [
        { amount: 0.1, price: 1 },
        { amount: 0.2, price: 1 },
      ],
    );
    expect(hf.eq(1)).toBe(true);
  });

  it('accepts numeric strings and decimals as well as numbers', () => {
    const hf = healthFactorExact(
      [{ amount: '10', price: new Dec(2000), liquidationThreshold: '0.825' }],
      [{ amount: new Dec(11000), price: '1' }],
    );
    expect(hf.eq(1.5)).toBe(true);
  });
});

describe('liquidationPriceExact', () => {
  it('is debt value / (amount x LT)', () => {
    // 4 ETH, LT 0.8, 4000 USD of debt: 4000 / (4 x 0.8) = 1250
    expect(liquidationPriceExact(4, 0.8, 4000).eq(1250)).toBe(true);
    // 10 ETH, LT 0.825, 11000: 11000 / 8.25 = 1333.33...
    expect(liquidationPriceExact(10, 0.825, 11000).toSignificantDigits(10).toString()).toBe(
      '1333.333333',
    );
  });

  it('is the price at which the health factor is exactly 1', () => {
    const p = liquidationPriceExact(4, 0.8, 4000);
    const hf = healthFactorExact(
      [{ amount: 4, price: p, liquidationThreshold: 0.8 }],
      [{ amount: 4000, price: 1 }],
    );
    expect(hf.eq(1)).toBe(true);
    const justBelow = healthFactorExact(
      [{ amount: 4, price: p.minus('0.000001'), liquidationThreshold: 0.8 }],
      [{ amount: 4000, price: 1 }],
    );
    expect(justBelow.lt(1)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Dec } from '../numeric/decimal.js';
import {
  loopBadDebtDropExact,
  loopHealthExact,
  loopLeverage,
  loopLeverageExact,
  loopLiquidationDropExact,
  maxLeverageExact,
} from './leverage.js';

// Leverage = assets / equity. Supplying E and re-borrowing at LTV n times holds
// E x (1 + LTV + ... + LTV^n) of collateral: a geometric partial sum, (1 - LTV^(n+1)) / (1 - LTV).

describe('loopLeverageExact', () => {
  it('is the geometric partial sum', () => {
    // LTV 0.8: n=0 -> 1; n=1 -> 1.8; n=2 -> 1 + 0.8 + 0.64 = 2.44; n=3 -> 2.44 + 0.512 = 2.952
    expect(loopLeverageExact(0.8, 0).toString()).toBe('1');
    expect(loopLeverageExact(0.8, 1).toString()).toBe('1.8');
    expect(loopLeverageExact(0.8, 2).toString()).toBe('2.44');
    expect(loopLeverageExact(0.8, 3).toString()).toBe('2.952');
  });

  it('approaches but never reaches 1 / (1 - LTV)', () => {
    const l = loopLeverageExact(0.8, 200);
    expect(l.lt(5)).toBe(true);
    expect(new Dec(5).minus(l).lt('1e-15')).toBe(true);
  });

  it('agrees with the float twin', () => {
    for (const [ltv, n] of [
      [0.8, 0],
      [0.8, 3],
      [0.93, 10],
      [0.5, 50],
    ] as const) {
      expect(Math.abs(loopLeverage(ltv, n) - loopLeverageExact(ltv, n).toNumber())).toBeLessThan(
        1e-12,
      );
    }
    expect(loopLeverage(1, 4)).toBe(5);
  });

  // Known bug, reported: the exact twin computes 0 / 0 = NaN at LTV 1 where the float twin returns
  // n + 1. Turn `it.fails` into `it` once fixed.
  it('at LTV 1 equals n + 1, like the float twin', () => {
    expect(loopLeverageExact(1, 4).toString()).toBe('5');
  });
});

describe('maxLeverageExact', () => {
  it('is 1 / (1 - LTV)', () => {
    expect(maxLeverageExact(0.8).toString()).toBe('5');
    expect(maxLeverageExact(0.75).toString()).toBe('4');
    // 1 / 0.07 = 100/7 = 14.2857142857...
    expect(maxLeverageExact(0.93).eq(new Dec(100).div(7))).toBe(true);
    expect(maxLeverageExact(0).toString()).toBe('1');
  });
});

describe('stable loop: LTV 0.93, LT 0.95, bonus 0.01, L = 14 (aUSDC pledged, USDC borrowed)', () => {
  // Equity 1: collateral 14, debt 13. Closed forms go through rounded intermediate quotients, so
  // rational values are compared to 1e-38 (40 significant digits).
  it('health = LT x L / (L - 1) = 0.95 x 14 / 13 = 13.3 / 13 = 1.0230769...', () => {
    expect(loopHealthExact(0.95, 14).eq(new Dec('13.3').div(13))).toBe(true);
    expect(loopHealthExact(0.95, 14).toSignificantDigits(8).toString()).toBe('1.0230769');
  });

  it('health at a 3% loss of collateral value: 13.3 x 0.97 / 13 = 0.99238... < 1', () => {
    const hf = loopHealthExact(0.95, 14, 0.97);
    expect(hf.eq(new Dec('12.901').div(13))).toBe(true);
    expect(hf.lt(1)).toBe(true);
  });

  it('liquidation drop = 1 - (L - 1) / (LT x L) = 1 - 13 / 13.3 = 3/133 = 2.2556%', () => {
    const d = loopLiquidationDropExact(0.95, 14);
    expect(d.minus(new Dec(3).div(133)).abs().lt('1e-38')).toBe(true);
    expect(d.toSignificantDigits(5).toString()).toBe('0.022556');
    // Health is exactly 1 at that drop.
    expect(loopHealthExact(0.95, 14, new Dec(1).minus(d)).minus(1).abs().lt('1e-35')).toBe(true);
  });

  it('bad-debt drop = 1 - (1 + b)(L - 1) / L = 1 - 1.01 x 13 / 14 = 0.87/14 = 6.214%', () => {
    const d = loopBadDebtDropExact(0.01, 14);
    expect(d.minus(new Dec(87).div(1400)).abs().lt('1e-38')).toBe(true);
    expect(d.toSignificantDigits(5).toString()).toBe('0.062143');
    // At that drop the collateral, 14 x (1 - d) = 13.13, pays the debt 13 plus the 1% bonus exactly.
    expect(
      new Dec(14).times(new Dec(1).minus(d)).minus(new Dec(13).times(1.01)).abs().lt('1e-35'),
    ).toBe(true);
  });
});

describe('ETH loop: LTV 0.8, LT 0.825, bonus 0.05, L = 4 (ETH pledged, USDC borrowed)', () => {
  // Equity 1 (in ETH value at entry): 4 of ETH, 3 of debt.
  it('health 0.825 x 4 / 3 = 1.1; liquidated after a 1/11 = 9.09% drop', () => {
    expect(loopHealthExact(0.825, 4).toString()).toBe('1.1');
    // 1 - 3 / (0.825 x 4) = 1 - 3/3.3 = 1/11
    expect(loopLiquidationDropExact(0.825, 4).minus(new Dec(1).div(11)).abs().lt('1e-38')).toBe(
      true,
    );
  });

  it('bad debt after 1 - 1.05 x 3 / 4 = 21.25%', () => {
    // At a 21.25% drop the ETH is worth 4 x 0.7875 = 3.15 = 3 x 1.05.
    expect(loopBadDebtDropExact(0.05, 4).toString()).toBe('0.2125');
  });
});

describe('liquidation comes before bad debt exactly when LT x (1 + bonus) <= 1', () => {
  it('holds with equality at LT x (1 + b) = 1', () => {
    // LT 0.8, b 0.25, L 3: liquidation 1 - 2/2.4 = 1/6; bad debt 1 - 1.25 x 2/3 = 1/6
    const liq = loopLiquidationDropExact(0.8, 3);
    const bad = loopBadDebtDropExact(0.25, 3);
    expect(liq.minus(new Dec(1).div(6)).abs().lt('1e-38')).toBe(true);
    expect(bad.minus(liq).abs().lt('1e-38')).toBe(true);
  });

  it('inverts when LT x (1 + b) > 1', () => {
    // LT 0.96, b 0.05 (1.008 > 1), L 10: liquidation 1 - 9/9.6 = 0.0625; bad debt 1 - 1.05 x 0.9 = 0.055
    expect(loopLiquidationDropExact(0.96, 10).toString()).toBe('0.0625');
    expect(loopBadDebtDropExact(0.05, 10).toString()).toBe('0.055');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec } from '../numeric/decimal.js';
import { healthFactorExact } from './health.js';
import { liquidationCallExact } from './liquidation.js';

// Aave v3 LiquidationLogic conventions:
//   repay <= closeFactor x debt (and <= the liquidator's capital);
//   seized = repay x debtPrice x (1 + bonus) / collateralPrice;
//   if seized > collateral: seize all, repay = collateral x collateralPrice / (debtPrice x (1 + bonus));
//   protocol fee = bonus part x liquidationProtocolFee = seized x bonus / (1 + bonus) x fee.

// 9.5 ETH at 1500 against 12000 USDC, LT 0.825: HF = 9.5 x 1500 x 0.825 / 12000 = 0.9797 (< 1, > 0.95,
// so Aave's close factor is 0.5).
const base = {
  collateral: 9.5,
  collateralPrice: 1500,
  debt: 12000,
  debtPrice: 1,
  bonus: 0.05,
  protocolFee: 0.1,
  closeFactor: 0.5,
};

describe('liquidationCallExact', () => {
  it('partial call within the close factor', () => {
    // repay = 0.5 x 12000 = 6000; seized = 6000 x 1 x 1.05 / 1500 = 4.2 ETH
    // bonus part = 4.2 x 0.05 / 1.05 = 0.2; fee = 0.2 x 0.1 = 0.02; liquidator gets 4.18
    const r = liquidationCallExact(base);
    expect(r.repaid.toString()).toBe('6000');
    expect(r.seized.toString()).toBe('4.2');
    expect(r.fee.toString()).toBe('0.02');
    expect(r.toLiquidator.toString()).toBe('4.18');
    expect(r.exhausted).toBe(false);
  });

  it('raises the health factor of the account it liquidates', () => {
    const r = liquidationCallExact(base);
    const before = healthFactorExact(
      [{ amount: 9.5, price: 1500, liquidationThreshold: 0.825 }],
      [{ amount: 12000, price: 1 }],
    );
    // after: 5.3 ETH against 6000 USDC: 5.3 x 1500 x 0.825 / 6000 = 1.093125
    const after = healthFactorExact(
      [{ amount: new Dec(9.5).minus(r.seized), price: 1500, liquidationThreshold: 0.825 }],
      [{ amount: new Dec(12000).minus(r.repaid), price: 1 }],
    );
    expect(before.lt(1)).toBe(true);
    expect(after.toString()).toBe('1.093125');
  });

  it('capital-limited call repays only the capital', () => {
    // repay = min(6000, 3000) = 3000; seized = 3000 x 1.05 / 1500 = 2.1; fee = 2.1 x 0.05/1.05 x 0.1 = 0.01
    const r = liquidationCallExact({ ...base, capital: 3000 });
    expect(r.repaid.toString()).toBe('3000');
    expect(r.seized.toString()).toBe('2.1');
    expect(r.fee.toString()).toBe('0.01');
    expect(r.toLiquidator.toString()).toBe('2.09');
    expect(r.exhausted).toBe(false);
  });

  it('capital above the close-factor amount does not raise the repay', () => {
    const r = liquidationCallExact({ ...base, capital: 1_000_000 });
    expect(r.repaid.toString()).toBe('6000');
  });

  it('exhausted collateral: seize all and cut the repay', () => {
    // 1 ETH at 1500 against 1500 USDC (HF 0.825 < 0.95: full close factor 1).
    // Wanted: repay 1500, seized 1500 x 1.05 / 1500 = 1.05 > 1 ETH held.
    // So seized = 1, repay = 1 x 1500 / (1 x 1.05) = 10000/7 = 1428.571428...
    // fee = 1 x 0.05 / 1.05 x 0.1 = 1/210; 1500 - 10000/7 = 500/7 is left as bad debt.
    const r = liquidationCallExact({
      ...base,
      collateral: 1,
      debt: 1500,
      closeFactor: 1,
    });
    expect(r.exhausted).toBe(true);
    expect(r.seized.toString()).toBe('1');
    expect(r.repaid.eq(new Dec(10000).div(7))).toBe(true);
    expect(r.repaid.toFixed(6)).toBe('1428.571429');
    expect(r.fee.eq(new Dec(1).div(210))).toBe(true);
    expect(r.fee.plus(r.toLiquidator).eq(r.seized)).toBe(true);
    // The repay buys exactly the collateral at the bonus: repaid x 1.05 = 1500 (to 40 digits).
    expect(r.repaid.times(1.05).minus(1500).abs().lt('1e-30')).toBe(true);
  });

  it('collateral exactly covering the call is seized in full at the full repay', () => {
    // seized = 1500 x 1.05 / 1500 = 1.05 = collateral held
    const r = liquidationCallExact({ ...base, collateral: 1.05, debt: 1500, closeFactor: 1 });
    expect(r.exhausted).toBe(true);
    expect(r.seized.toString()).toBe('1.05');
    expect(r.repaid.toString()).toBe('1500');
  });

  it('with no protocol fee the liquidator receives everything seized', () => {
    const r = liquidationCallExact({ ...base, protocolFee: 0 });
    expect(r.fee.isZero()).toBe(true);
    expect(r.toLiquidator.eq(r.seized)).toBe(true);
  });

  it('a 100% protocol fee takes exactly the bonus part', () => {
    // fee = 4.2 x 0.05 / 1.05 = 0.2; the liquidator is left with the 4 ETH that pays for the repay
    const r = liquidationCallExact({ ...base, protocolFee: 1 });
    expect(r.fee.toString()).toBe('0.2');
    expect(r.toLiquidator.toString()).toBe('4');
  });

  it('prices the debt asset: repaying 3 ETH of debt against WBTC collateral', () => {
    // 3 ETH (2000) repaid, collateral WBTC at 60000, bonus 0.1:
    // seized = 3 x 2000 x 1.1 / 60000 = 0.11 WBTC; fee (20%) = 0.11 x 0.1 / 1.1 x 0.2 = 0.002
    const r = liquidationCallExact({
      collateral: 1,
      collateralPrice: 60000,
      debt: 6,
      debtPrice: 2000,
      bonus: 0.1,
      protocolFee: 0.2,
      closeFactor: 0.5,
    });
    expect(r.repaid.toString()).toBe('3');
    expect(r.seized.toString()).toBe('0.11');
    expect(r.fee.toString()).toBe('0.002');
  });

  it('laws: repay within close factor and capital, seized within collateral, fee + liquidator = seized', () => {
    const pos = (max: number) =>
      fc.double({ min: 1e-6, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        pos(1e6),
        pos(1e5),
        pos(1e7),
        pos(1e3),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.option(pos(1e7), { nil: undefined }),
        (coll, pc, debt, pd, bonus, fee, cf, capital) => {
          const r = liquidationCallExact({
            collateral: coll,
            collateralPrice: pc,
            debt,
            debtPrice: pd,
            bonus,
            protocolFee: fee,
            closeFactor: cf,
            ...(capital === undefined ? {} : { capital }),
          });
          const slack = new Dec('1e-30');
          expect(r.repaid.lte(new Dec(debt).times(cf).times(slack.plus(1)))).toBe(true);
          if (capital !== undefined)
            expect(r.repaid.lte(new Dec(capital).times(slack.plus(1)))).toBe(true);
          expect(r.seized.lte(coll)).toBe(true);
          expect(r.fee.gte(0) && r.toLiquidator.gte(0)).toBe(true);
          expect(r.fee.plus(r.toLiquidator).minus(r.seized).abs().lte(r.seized.times(slack))).toBe(
            true,
          );
          // Value seized = value repaid x (1 + bonus), to rounding.
          const seizedValue = r.seized.times(pc);
          const owed = r.repaid.times(pd).times(new Dec(1).plus(bonus));
          expect(seizedValue.minus(owed).abs().lte(owed.times(slack))).toBe(true);
          expect(r.exhausted).toBe(r.seized.eq(coll));
        },
      ),
    );
  });
});

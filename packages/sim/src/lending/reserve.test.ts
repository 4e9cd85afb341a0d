// Reserve accounting on a one-market model, every figure worked by hand.
import { buildModel, validateScenario } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { compile, type MarketState, type SimState } from '../state/state.js';
import {
  accrueInterest,
  bookBadDebt,
  exchangeRate,
  redeem,
  reserveDebt,
  utilisation,
} from './reserve.js';

interface Options {
  readonly then?: 'socialise' | 'deficit' | 'latent';
  readonly coverFrom?: 'treasury' | 'none';
  readonly reserveFactor?: number;
}

/**
 * One market `lend`: ETH collateral, USDC borrowable. A lender supplies 1000 USDC and a borrower
 * pledges 1 ETH and borrows 500 USDC, so the USDC reserve starts with cash 500, debt 500, supply
 * 1000 (rate 1). Rate model: 0.08 x u / 0.8 below the kink, so 5% a year at u = 0.5.
 */
function setup(o: Options = {}): { state: SimState; ms: MarketState; r: number; rec: number } {
  const model = buildModel(
    validateScenario(
      {
        version: 1,
        name: 'reserve',
        assets: [
          { id: 'ETH', kind: 'base', price: 2000 },
          { id: 'USDC', kind: 'stable', price: 1 },
        ],
        venues: [
          {
            id: 'lend',
            kind: 'lending',
            assets: {
              ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 },
              USDC: {
                borrowable: true,
                reserveFactor: o.reserveFactor ?? 0,
                rateModel: { base: 0, slope1: 0.08, kink: 0.8, slope2: 0 },
              },
            },
            badDebt: { coverFrom: o.coverFrom ?? 'none', then: o.then ?? 'socialise' },
          },
        ],
        accounts: [
          { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1000 } }] },
          {
            id: 'borrower',
            positions: [{ venue: 'lend', deposit: { ETH: 1 }, borrow: { USDC: 500 } }],
          },
        ],
      },
      'reserve',
    ),
  );
  const state = compile(model);
  const ms = state.markets[0]!;
  const r = ms.info.reserves.findIndex((x) => x.debtSlot >= 0);
  const rec = ms.info.reserves[r]!.receipt;
  return { state, ms, r, rec };
}

/** What the liquidation engine does after booking: write off all but the latent part. */
function writeOff(ms: MarketState, r: number, amount: number, latent: number): void {
  ms.scaledDebt[r] = ms.scaledDebt[r]! - (amount - latent) / ms.borrowIndex[r]!;
}

const TOL = 1e-12;

describe('exchangeRate and utilisation', () => {
  it('rate = (cash + debt + deficit) / supply; utilisation = debt / (cash + debt)', () => {
    const { ms, r } = setup();
    expect(exchangeRate(ms, r)).toBe(1); // (500 + 500) / 1000
    expect(utilisation(ms, r)).toBe(0.5); // 500 / 1000
    ms.borrowIndex[r] = 1.1; // debt 550
    expect(reserveDebt(ms, r)).toBeCloseTo(550, 9);
    expect(exchangeRate(ms, r)).toBeCloseTo(1.05, 12); // (500 + 550) / 1000
    expect(utilisation(ms, r)).toBeCloseTo(550 / 1050, 12);
    ms.deficit[r] = 50;
    expect(exchangeRate(ms, r)).toBeCloseTo(1.1, 12); // (500 + 550 + 50) / 1000
    expect(utilisation(ms, r)).toBeCloseTo(550 / 1050, 12); // the deficit is not lendable cash
  });

  it('an empty reserve has rate 1 and utilisation 0', () => {
    const { ms, r } = setup();
    ms.cash[r] = 0;
    ms.scaledDebt[r] = 0;
    ms.receiptSupply[r] = 0;
    expect(exchangeRate(ms, r)).toBe(1);
    expect(utilisation(ms, r)).toBe(0);
  });
});

describe('accrueInterest', () => {
  it('grows the index by rate x dt and mints the treasury reserveFactor x interest', () => {
    // u = 0.5, rate = 0.08 x 0.5 / 0.8 = 0.05; dt = 1: index 1.05, debt 525, interest 25.
    // Treasury: 0.2 x 25 = 5 of value; shares s = 5 x 1000 / (1025 - 5) = 4.90196...
    // Rate after = 1025 / (1000 + s) = 1025 x 1020 / 1025000 = 1.02 = 1 + (1 - 0.2) x 25 / 1000.
    const { state, ms, r, rec } = setup({ reserveFactor: 0.2 });
    accrueInterest(state, ms, 1);
    expect(ms.borrowIndex[r]).toBeCloseTo(1.05, 14);
    expect(reserveDebt(ms, r)).toBeCloseTo(525, 10);
    const shares = 5000 / 1020;
    expect(ms.treasuryShares[r]).toBeCloseTo(shares, 10);
    expect(ms.receiptSupply[r]).toBeCloseTo(1000 + shares, 10);
    expect(state.minted[rec]).toBeCloseTo(shares, 10);
    expect(exchangeRate(ms, r)).toBeCloseTo(1.02, 12);
    expect(ms.treasuryShares[r]! * exchangeRate(ms, r)).toBeCloseTo(5, 10);
    expect(ms.cash[r]).toBe(500);
  });

  it('scales with dt and mints nothing without a reserve factor', () => {
    // dt = 0.5: index 1 + 0.05 x 0.5 = 1.025, interest 12.5, rate (500 + 512.5) / 1000 = 1.0125.
    const { state, ms, r, rec } = setup();
    accrueInterest(state, ms, 0.5);
    expect(ms.borrowIndex[r]).toBeCloseTo(1.025, 14);
    expect(exchangeRate(ms, r)).toBeCloseTo(1.0125, 12);
    expect(ms.treasuryShares[r]).toBe(0);
    expect(ms.receiptSupply[r]).toBe(1000);
    expect(state.minted[rec]).toBe(0);
  });

  it('leaves a reserve without debt alone', () => {
    const { state, ms, r } = setup({ reserveFactor: 0.2 });
    ms.scaledDebt[r] = 0;
    accrueInterest(state, ms, 1);
    expect(ms.borrowIndex[r]).toBe(1);
    expect(ms.treasuryShares[r]).toBe(0);
  });
});

describe('redeem', () => {
  it('pays shares x rate and burns paid / rate when cash suffices', () => {
    // Index 1.1: assets 500 + 550 = 1050, rate 1.05. 200 shares pay 210; cash 290, supply 800.
    const { state, ms, r, rec } = setup();
    ms.borrowIndex[r] = 1.1;
    expect(redeem(state, ms, r, 200)).toBeCloseTo(210, 10);
    expect(ms.cash[r]).toBeCloseTo(290, 10);
    expect(ms.receiptSupply[r]).toBeCloseTo(800, 10);
    expect(state.burned[rec]).toBeCloseTo(200, 10);
    expect(exchangeRate(ms, r)).toBeCloseTo(1.05, 12); // (290 + 550) / 800
  });

  it('is limited by cash: burns cash / rate and the rest of the shares stay', () => {
    // 600 shares are worth 630 but cash is 500: paid 500, burned 500 / 1.05 = 476.19...,
    // 600 - 476.19 = 123.81 stay with the holder; supply 1000 - 476.19 = 523.81.
    const { state, ms, r, rec } = setup();
    ms.borrowIndex[r] = 1.1;
    const paid = redeem(state, ms, r, 600);
    expect(paid).toBe(500);
    const burned = 500 / 1.05;
    expect(state.burned[rec]).toBeCloseTo(burned, 10);
    expect(600 - state.burned[rec]!).toBeCloseTo(123.80952380952, 9);
    expect(ms.receiptSupply[r]).toBeCloseTo(1000 - burned, 10);
    expect(ms.cash[r]).toBe(0);
    expect(exchangeRate(ms, r)).toBeCloseTo(1.05, 12); // 550 / 523.81
  });

  it('pays nothing and burns nothing without cash', () => {
    const { state, ms, r, rec } = setup();
    ms.cash[r] = 0;
    expect(redeem(state, ms, r, 100)).toBe(0);
    expect(ms.receiptSupply[r]).toBe(1000);
    expect(state.burned[rec]).toBe(0);
  });
});

describe('bookBadDebt', () => {
  it('socialise: the rate falls by loss / assets once the debt is written off', () => {
    // 100 lost on assets 1000: rate 1 -> (500 + 400) / 1000 = 0.9; lossFactor 0.9.
    const { state, ms, r } = setup({ then: 'socialise' });
    const latent = bookBadDebt(state, ms, r, 100);
    expect(latent).toBe(0);
    writeOff(ms, r, 100, latent);
    expect(exchangeRate(ms, r)).toBeCloseTo(0.9, 12);
    expect(ms.lossFactor[r]).toBeCloseTo(0.9, 12);
    expect(ms.badDebtBooked[r]).toBe(100);
    expect(ms.badDebtSocialised[r]).toBe(100);
    expect(ms.deficit[r]).toBe(0);
    expect(ms.badDebtLatent[r]).toBe(0);
  });

  it('deficit: the rate holds and the loss is booked as a deficit', () => {
    // Written off 100 but booked as deficit: (500 + 400 + 100) / 1000 = 1.
    const { state, ms, r } = setup({ then: 'deficit' });
    const latent = bookBadDebt(state, ms, r, 100);
    expect(latent).toBe(0);
    writeOff(ms, r, 100, latent);
    expect(exchangeRate(ms, r)).toBeCloseTo(1, 12);
    expect(ms.deficit[r]).toBe(100);
    expect(ms.lossFactor[r]).toBe(1);
    expect(ms.badDebtSocialised[r]).toBe(0);
  });

  it('latent: the whole amount stays on the row and the rate holds', () => {
    const { state, ms, r } = setup({ then: 'latent' });
    const latent = bookBadDebt(state, ms, r, 100);
    expect(latent).toBe(100);
    writeOff(ms, r, 100, latent);
    expect(reserveDebt(ms, r)).toBe(500);
    expect(exchangeRate(ms, r)).toBe(1);
    expect(ms.badDebtLatent[r]).toBe(100);
    expect(ms.badDebtBooked[r]).toBe(100);
    expect(ms.lossFactor[r]).toBe(1);
  });

  it('treasury covers first, burning its shares at the current rate; full cover keeps the rate', () => {
    // Index 1.5: debt 750, assets 1250, rate 1.25. The treasury holds 40 of the 1000 shares (worth 50).
    // Bad debt 30: covered in full, 30 / 1.25 = 24 shares burned; after the write-off of 30
    // the rate is (500 + 720) / 976 = 1.25.
    const { state, ms, r, rec } = setup({ coverFrom: 'treasury', then: 'socialise' });
    ms.borrowIndex[r] = 1.5;
    ms.treasuryShares[r] = 40;
    const latent = bookBadDebt(state, ms, r, 30);
    expect(latent).toBe(0);
    writeOff(ms, r, 30, latent);
    expect(ms.badDebtCovered[r]).toBeCloseTo(30, 12);
    expect(ms.treasuryShares[r]).toBeCloseTo(16, 12);
    expect(ms.receiptSupply[r]).toBeCloseTo(976, 12);
    expect(state.burned[rec]).toBeCloseTo(24, 12);
    expect(ms.badDebtSocialised[r]).toBeCloseTo(0, 12);
    expect(exchangeRate(ms, r)).toBeCloseTo(1.25, 12);
    expect(ms.lossFactor[r]).toBeCloseTo(1, 12);
  });

  it('treasury covers what it can; the rest follows the loss model', () => {
    // Rate 1, treasury 50 shares (worth 50), bad debt 80: cover 50, rest 30.
    // socialise: supply 950, assets after write-off 500 + 420 = 920, rate 920 / 950.
    const soc = setup({ coverFrom: 'treasury', then: 'socialise' });
    soc.ms.treasuryShares[soc.r] = 50;
    writeOff(soc.ms, soc.r, 80, bookBadDebt(soc.state, soc.ms, soc.r, 80));
    expect(soc.ms.treasuryShares[soc.r]).toBe(0);
    expect(soc.ms.badDebtCovered[soc.r]).toBe(50);
    expect(soc.ms.badDebtSocialised[soc.r]).toBe(30);
    expect(exchangeRate(soc.ms, soc.r)).toBeCloseTo(920 / 950, 12);
    expect(soc.ms.lossFactor[soc.r]).toBeCloseTo(920 / 950, 12);

    // deficit: 30 booked as deficit, rate (500 + 420 + 30) / 950 = 1.
    const def = setup({ coverFrom: 'treasury', then: 'deficit' });
    def.ms.treasuryShares[def.r] = 50;
    writeOff(def.ms, def.r, 80, bookBadDebt(def.state, def.ms, def.r, 80));
    expect(def.ms.deficit[def.r]).toBe(30);
    expect(exchangeRate(def.ms, def.r)).toBeCloseTo(1, 12);

    // latent: 30 stays on the row; 50 written off; rate (500 + 450) / 950 = 1.
    const lat = setup({ coverFrom: 'treasury', then: 'latent' });
    lat.ms.treasuryShares[lat.r] = 50;
    const left = bookBadDebt(lat.state, lat.ms, lat.r, 80);
    expect(left).toBe(30);
    writeOff(lat.ms, lat.r, 80, left);
    expect(reserveDebt(lat.ms, lat.r)).toBeCloseTo(450, 12);
    expect(exchangeRate(lat.ms, lat.r)).toBeCloseTo(1, 12);
  });

  it('coverFrom none leaves the treasury untouched', () => {
    const { state, ms, r } = setup({ coverFrom: 'none', then: 'socialise' });
    ms.treasuryShares[r] = 50;
    writeOff(ms, r, 80, bookBadDebt(state, ms, r, 80));
    expect(ms.treasuryShares[r]).toBe(50);
    expect(ms.badDebtCovered[r]).toBe(0);
    expect(exchangeRate(ms, r)).toBeCloseTo(0.92, 12); // (500 + 420) / 1000
  });

  it('lossFactor is the product of rate after / rate before over socialised losses', () => {
    // 100 on 1000 -> 0.9; then 90 on 900 -> 0.9; product 0.81 = (500 + 310) / 1000.
    const { state, ms, r } = setup({ then: 'socialise' });
    const ratios: number[] = [];
    for (const loss of [100, 90]) {
      const before = exchangeRate(ms, r);
      writeOff(ms, r, loss, bookBadDebt(state, ms, r, loss));
      ratios.push(exchangeRate(ms, r) / before);
    }
    expect(ratios[0]).toBeCloseTo(0.9, 12);
    expect(ratios[1]).toBeCloseTo(0.9, 12);
    expect(ms.lossFactor[r]).toBeCloseTo(ratios[0]! * ratios[1]!, 12);
    expect(exchangeRate(ms, r)).toBeCloseTo(0.81, 12);
    expect(Math.abs(exchangeRate(ms, r) / ms.lossFactor[r]! - 1)).toBeLessThan(TOL);
  });
});

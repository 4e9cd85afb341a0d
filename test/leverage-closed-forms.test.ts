// Leverage loops in the engine against their closed forms: leverage, liquidation drop, bad-debt drop.
import {
  loopBadDebtDropExact,
  loopHealthExact,
  loopLeverage,
  loopLiquidationDropExact,
  maxLeverageExact,
} from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { ETH_USDC, ethMarket, modelOf, runDoc, ZERO_RATES } from './helpers.js';

/** One ETH loop at leverage L on equity E (USDC): 20 ETH pledged, 30000 USDC owed for L = 4. */
function ethLoop(change: number, L = 4, E = 10000) {
  return {
    version: 1,
    name: 'eth loop',
    steps: 1,
    assets: ETH_USDC,
    venues: [ethMarket('lend')],
    liquidators: [{ capitalEach: 'unlimited' }],
    accounts: [
      { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] },
      {
        id: 'looper',
        positions: [
          { venue: 'lend', deposit: { ETH: (L * E) / 2000 }, borrow: { USDC: (L - 1) * E } },
        ],
      },
    ],
    prices: { ETH: { shocks: [{ step: 1, change }] } },
  };
}

describe('an ETH loop at leverage 4 (LT 0.825, bonus 5%)', () => {
  // Liquidatable once the price falls by 1 - (L - 1) / (LT x L) = 1 - 3 / 3.3 = 9.0909%.
  const dStar = loopLiquidationDropExact(0.825, 4).toNumber();
  // Bad debt once collateral < debt x (1 + b): drop 1 - 1.05 x 3 / 4 = 21.25%.
  const dBad = loopBadDebtDropExact(0.05, 4).toNumber();

  it('states the closed forms', () => {
    expect(dStar).toBeCloseTo(1 - 3 / 3.3, 15);
    expect(dBad).toBeCloseTo(0.2125, 15);
    expect(loopHealthExact(0.825, 4).toNumber()).toBeCloseTo(1.1, 15);
  });

  it('is untouched just above the liquidation drop and liquidated just below it', () => {
    expect(runDoc(ethLoop(-(dStar - 1e-6))).summary.liquidations.count).toBe(0);
    expect(runDoc(ethLoop(-(dStar + 1e-6))).summary.liquidations.count).toBe(1);
  });

  it('leaves no bad debt just short of the bad-debt drop and exactly the shortfall beyond it', () => {
    expect(runDoc(ethLoop(-0.21)).summary.badDebt.total).toBe(0);
    // At -21.5%: collateral 20 ETH x 1570 = 31400 < 31500; repay 31400 / 1.05, bad debt the rest.
    const r = runDoc(ethLoop(-0.215));
    expect(r.summary.badDebt.total).toBeCloseTo(30000 - 31400 / 1.05, 8);
  });
});

describe('a swap loop strategy (deposit ETH, borrow USDC, swap, redeposit)', () => {
  const doc = (change: number, strategy: Record<string, unknown>) => {
    const d = ethLoop(change) as Record<string, unknown>;
    d['accounts'] = [{ id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] }];
    d['populations'] = [
      { name: 'loopers', count: 3, strategy: { loop: strategy }, size: { fixed: 5 } },
    ];
    return d;
  };
  const loop = { deposit: { venue: 'lend', asset: 'ETH' }, borrow: 'USDC', targetLeverage: 4 };

  it('builds L x equity of collateral and (L - 1) x equity x price of debt', () => {
    const r = runDoc(doc(0, loop));
    const book = r.model.books[0]!;
    for (let i = 0; i < book.rows; i++) {
      expect(book.coll[0]![i]).toBeCloseTo(20, 12); // 4 x 5 ETH
      expect(book.debt[0]![i]).toBeCloseTo(15 * 2000, 9); // 3 x 5 ETH x 2000
    }
  });

  it('is liquidated exactly past the closed-form drop', () => {
    const dStar = loopLiquidationDropExact(0.825, 4).toNumber();
    expect(runDoc(doc(-(dStar - 1e-6), loop)).summary.liquidations.count).toBe(0);
    expect(runDoc(doc(-(dStar + 1e-6), loop)).summary.liquidations.count).toBe(3);
  });

  it('gives the partial-sum leverage after n loops', () => {
    const r = runDoc(doc(0, { deposit: loop.deposit, borrow: 'USDC', loops: 2 }));
    expect(r.model.books[0]!.coll[0]![0]).toBeCloseTo(5 * (1 + 0.8 + 0.64), 12);
  });

  it('rejects a leverage at or beyond 1 / (1 - LTV), and a loop of both forms', () => {
    expect(() => runDoc(doc(0, { ...loop, targetLeverage: 5 }))).toThrow(
      /must be below 1 \/ \(1 - LTV\) = 5 for ETH in lend, got 5/,
    );
    expect(() => runDoc(doc(0, { ...loop, pledgeIn: 'lend' }))).toThrow(
      /must be a receipt loop \(supply and pledgeIn\) or a swap loop/,
    );
  });
});

describe('a stable loop that pledges a receipt token (LTV 0.93, LT 0.95)', () => {
  it('builds L x equity of collateral and (L - 1) x equity of debt; health LT x L / (L - 1)', () => {
    const m = modelOf('scenarios/default.yaml');
    const B = m.markets.findIndex((x) => x.id === 'lendB');
    const book = m.books[B]!;
    const slot = m.markets[B]!.collReserves.findIndex(
      (ri) => m.assets[m.markets[B]!.reserves[ri]!.asset]!.id === 'aUSDC-lendA',
    );
    let checked = 0;
    for (let r = 0; r < book.rows; r++) {
      const coll = book.coll[slot]![r]!;
      if (coll === 0) continue;
      const debt = book.debt[0]![r]!;
      expect(coll / (coll - debt)).toBeCloseTo(14, 9);
      expect((0.95 * coll) / debt).toBeCloseTo(loopHealthExact(0.95, 14).toNumber(), 12);
      checked++;
    }
    expect(checked).toBe(150);
  });

  it('gives the partial sum (1 - LTV^(n+1)) / (1 - LTV) after n loops, below 1 / (1 - LTV)', () => {
    expect(loopLeverage(0.93, 0)).toBe(1);
    expect(loopLeverage(0.93, 1)).toBeCloseTo(1.93, 15);
    expect(loopLeverage(0.93, 2)).toBeCloseTo(1 + 0.93 + 0.93 ** 2, 15);
    // 0.93^101 = 6.5e-4, so 100 loops fall short of 1 / 0.07 = 14.2857 by 6.5e-4 / 0.07 = 0.0093.
    const max = maxLeverageExact(0.93).toNumber();
    expect(loopLeverage(0.93, 100)).toBeLessThan(max);
    expect(max - loopLeverage(0.93, 100)).toBeCloseTo(0.93 ** 101 / 0.07, 12);
  });

  it('is liquidated once its issuer loses more than 1 - 1/HF of its supply, and not before', () => {
    // HF = 0.95 x 14 / 13 = 1.02308: liquidatable when the receipt rate < 1 / 1.02308, a loss of 2.256%.
    const threshold = 1 - 1 / loopHealthExact(0.95, 14).toNumber();
    const doc = (loss: number) => {
      // lendA: 100000 supplied by the looper's loop (14 x 5000 = 70000) and a lender (30000);
      // one ETH borrower whose collateral vanishes books `loss` x 100000 of bad debt.
      const supply = 100000;
      const bad = loss * supply;
      return {
        version: 1,
        name: 'receipt loop',
        steps: 1,
        assets: ETH_USDC,
        venues: [
          ethMarket('lendA'),
          {
            id: 'lendB',
            kind: 'lending',
            assets: {
              'aUSDC-lendA': { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 0.01 },
              USDC: { borrowable: true, rateModel: ZERO_RATES },
            },
          },
        ],
        liquidators: [{ capitalEach: 'unlimited' }],
        accounts: [
          { id: 'lenderA', positions: [{ venue: 'lendA', supply: { USDC: supply - 70000 } }] },
          { id: 'lenderB', positions: [{ venue: 'lendB', supply: { USDC: 1e6 } }] },
          // Debt such that after a 99% drop the 1 ETH left repays little: bad debt ~= bad.
          {
            id: 'doomed',
            positions: [{ venue: 'lendA', deposit: { ETH: 1 }, borrow: { USDC: bad + 20 / 1.05 } }],
          },
        ],
        populations: [
          {
            name: 'loopers',
            count: 1,
            strategy: {
              loop: {
                supply: { venue: 'lendA', asset: 'USDC' },
                pledgeIn: 'lendB',
                targetLeverage: 14,
              },
            },
            size: { fixed: 5000 },
          },
        ],
        prices: { ETH: { shocks: [{ step: 1, change: -0.99 }] } },
      };
    };
    const below = runDoc(doc(threshold - 1e-4));
    const above = runDoc(doc(threshold + 1e-4));
    expect(below.summary.liquidations.byVenue['lendB']!.count).toBe(0);
    expect(above.summary.liquidations.byVenue['lendB']!.count).toBe(1);
    expect(above.summary.byChannel['lendB']!['value']!.liquidated).toBeGreaterThan(0);
    // Loss lands on lendA's USDC suppliers (the borrowed reserve), never on lendB's.
    expect(above.summary.receiptRates['aUSDC-lendA']!.end).toBeCloseTo(1 - (threshold + 1e-4), 9);
    expect(above.summary.receiptRates['aUSDC-lendB']!.end).toBeCloseTo(1, 12);
  });
});

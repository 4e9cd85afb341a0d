// Eligibility scans on a hand-built market, with the scan weights set by hand.
import { buildModel, validateScenario, type Model } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { compile, type MarketState } from '../state/state.js';
import { regionEnd, scanMarket } from './scan.js';

const collateral = { ltv: 0.75, liquidationThreshold: 0.8, liquidationBonus: 0.05 };

/**
 * Market `lend`: ETH and stETH collateral (threshold 0.8), USDC borrowable. Borrowers pledge 1 ETH
 * and owe 1500, 1400, 1200, 1000 USDC; `saver` only pledges; `mixed` pledges 1 ETH + 1 stETH and
 * owes 3000 (the mixed group). The ETH/USDC group is ordered by ETH / USDC ascending.
 */
function lendMarket(): { model: Model; ms: MarketState } {
  const borrower = (id: string, usdc: number) => ({
    id,
    positions: [{ venue: 'lend', deposit: { ETH: 1 }, borrow: { USDC: usdc } }],
  });
  const model = buildModel(
    validateScenario(
      {
        version: 1,
        name: 'scan',
        assets: [
          { id: 'ETH', kind: 'base', price: 2000 },
          { id: 'stETH', kind: 'base', price: 2000 },
          { id: 'USDC', kind: 'stable', price: 1 },
        ],
        venues: [
          {
            id: 'lend',
            kind: 'lending',
            assets: { ETH: collateral, stETH: collateral, USDC: { borrowable: true } },
          },
        ],
        accounts: [
          { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] },
          borrower('b1000', 1000),
          borrower('b1500', 1500),
          borrower('b1200', 1200),
          borrower('b1400', 1400),
          { id: 'saver', positions: [{ venue: 'lend', deposit: { ETH: 1 } }] },
          {
            id: 'mixed',
            positions: [{ venue: 'lend', deposit: { ETH: 1, stETH: 1 }, borrow: { USDC: 3000 } }],
          },
        ],
      },
      'scan',
    ),
  );
  return { model, ms: compile(model).markets[0]! };
}

/** Set the scan weights: collateral price x 0.8 per slot (ETH, stETH), debt price 1 x index 1. */
function weigh(ms: MarketState, eth: number, steth = eth): void {
  ms.collW[0] = eth * 0.8;
  ms.collW[1] = steth * 0.8;
  ms.debtW[0] = 1;
}

function eligibleIds(model: Model, ms: MarketState): string[] {
  return Array.from(
    ms.eligible.subarray(0, ms.nEligible),
    (i) => model.explicitIds[ms.account[i]!]!,
  );
}

function rowOf(model: Model, ms: MarketState, id: string): number {
  return ms.account.indexOf(model.explicitIds.indexOf(id));
}

describe('scanMarket', () => {
  it('finds exactly the rows with weighted collateral below weighted debt, in book order', () => {
    const { model, ms } = lendMarket();
    // The lender supplies only: no book row. Book: ETH/USDC group by ratio, then the mixed row.
    expect(Array.from(ms.account, (a) => model.explicitIds[a])).toEqual([
      'b1500',
      'b1400',
      'b1200',
      'b1000',
      'saver',
      'mixed',
    ]);
    // ETH 2000: 1 ETH weighs 1600 > every debt; mixed 3200 > 3000.
    weigh(ms, 2000);
    expect(scanMarket(ms)).toBe(0);
    // ETH 1600: 1280 < 1500, 1400 but not 1200; mixed 2560 < 3000.
    weigh(ms, 1600);
    expect(scanMarket(ms)).toBe(3);
    expect(eligibleIds(model, ms)).toEqual(['b1500', 'b1400', 'mixed']);
    // ETH 1500: 1200 is not below 1200 (health exactly 1 is not eligible).
    weigh(ms, 1500);
    scanMarket(ms);
    expect(eligibleIds(model, ms)).toEqual(['b1500', 'b1400', 'mixed']);
    // ETH 1000: 800 is below every debt; the saver owes nothing.
    weigh(ms, 1000);
    scanMarket(ms);
    expect(eligibleIds(model, ms)).toEqual(['b1500', 'b1400', 'b1200', 'b1000', 'mixed']);
  });

  it('weighs a mixed row over all its slots', () => {
    // ETH 1600, stETH 2200: 1280 + 1760 = 3040 > 3000, not eligible; stETH 2100: 2960 < 3000.
    const { model, ms } = lendMarket();
    weigh(ms, 1600, 2200);
    scanMarket(ms);
    expect(eligibleIds(model, ms)).toEqual(['b1500', 'b1400']);
    weigh(ms, 1600, 2100);
    scanMarket(ms);
    expect(eligibleIds(model, ms)).toEqual(['b1500', 'b1400', 'mixed']);
  });

  it('skips rows whose collateral is gone, in a single group and in the mixed group', () => {
    const { model, ms } = lendMarket();
    ms.coll[0]![rowOf(model, ms, 'b1500')] = 0;
    const mixed = rowOf(model, ms, 'mixed');
    ms.coll[0]![mixed] = 0;
    ms.coll[1]![mixed] = 0;
    weigh(ms, 1000);
    scanMarket(ms);
    expect(eligibleIds(model, ms)).toEqual(['b1400', 'b1200', 'b1000']);
  });

  it('records the weights it scanned at and clears the dirty flag', () => {
    const { ms } = lendMarket();
    weigh(ms, 1600);
    expect(ms.dirty).toBe(true);
    scanMarket(ms);
    expect(ms.dirty).toBe(false);
    expect(Array.from(ms.scannedCollW)).toEqual(Array.from(ms.collW));
    expect(Array.from(ms.scannedDebtW)).toEqual(Array.from(ms.debtW));
  });

  it('a market that lends nothing finds nobody', () => {
    const model = buildModel(
      validateScenario(
        {
          version: 1,
          name: 'vault',
          assets: [
            { id: 'ETH', kind: 'base', price: 2000 },
            { id: 'USDC', kind: 'stable', price: 1 },
          ],
          venues: [{ id: 'vault', kind: 'lending', assets: { ETH: collateral } }],
          accounts: [
            { id: 'a', positions: [{ venue: 'vault', deposit: { ETH: 1 } }] },
            { id: 'b', positions: [{ venue: 'vault', deposit: { ETH: 2 } }] },
          ],
        },
        'vault',
      ),
    );
    const ms = compile(model).markets[0]!;
    expect(ms.groups).toEqual([{ collSlot: 0, debtSlot: -1, start: 0, end: 2 }]);
    expect(ms.debtW.length).toBe(0);
    ms.collW[0] = 1e-9; // collateral all but worthless: still no debt to liquidate
    expect(scanMarket(ms)).toBe(0);
    expect(regionEnd(ms, 0)).toBe(0);
  });
});

describe('regionEnd', () => {
  it('is the end of the mixed group, which is always scanned in full', () => {
    const { ms } = lendMarket();
    const gi = ms.groups.findIndex((g) => g.collSlot < 0);
    weigh(ms, 2000);
    expect(regionEnd(ms, gi)).toBe(ms.groups[gi]!.end);
  });

  it('grows with reach: rows a liquidation changed stay in the region when prices recover', () => {
    const { model, ms } = lendMarket();
    const gi = ms.groups.findIndex((g) => g.collSlot === 0);
    const g = ms.groups[gi]!;
    expect(g).toMatchObject({ start: 0, end: 5 });
    expect(ms.reach[gi]).toBe(0);
    // ETH 1600: the prefix with ETH / USDC < 1 / 1280 is b1500, b1400.
    weigh(ms, 1600);
    expect(regionEnd(ms, gi)).toBe(2);
    scanMarket(ms);
    expect(ms.reach[gi]).toBe(2);
    // A liquidation leaves b1400 with 0.5 ETH and 900 USDC (its book ratio stays 1 / 1400).
    const b1400 = rowOf(model, ms, 'b1400');
    ms.coll[0]![b1400] = 0.5;
    ms.debt[0]![b1400] = 900;
    // ETH 2000: by the book ratios nothing is eligible (prefix 0), but the reach keeps rows 0..1,
    // and b1400 (0.5 x 1600 = 800 < 900) is found.
    weigh(ms, 2000);
    expect(regionEnd(ms, gi)).toBe(2);
    scanMarket(ms);
    expect(eligibleIds(model, ms)).toEqual(['b1400']);
    // ETH 1300: the prefix 1 / 1040 takes b1200 too: the region grows to 3, and so does the reach.
    weigh(ms, 1300);
    expect(regionEnd(ms, gi)).toBe(3);
    scanMarket(ms);
    expect(ms.reach[gi]).toBe(3);
    expect(eligibleIds(model, ms)).toEqual(['b1500', 'b1400', 'b1200', 'mixed']);
  });
});

// Descending (Dutch) auctions worked by hand: keepers take a vault's collateral when buying at the
// auction price pays; while a gas spike keeps them out the price keeps falling, and the collateral
// goes for a fraction of its worth, leaving the debt as a deficit.
import { describe, expect, it } from 'vitest';
import { close, events, runDoc, scenarioIssues, ZERO_RATES } from './helpers.js';

/** A Maker-like market: ETH at a 150% ratio (threshold 1 / 1.5), DAI minted from a ceiling. */
function doc(extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    name: 'auctions',
    seed: 1,
    step: '1h',
    steps: 4,
    assets: [
      { id: 'ETH', kind: 'base', price: 2000 },
      { id: 'DAI', kind: 'stable', price: 1 },
    ],
    venues: [
      {
        id: 'maker',
        kind: 'lending',
        assets: {
          ETH: { ltv: 1 / 1.5, liquidationThreshold: 1 / 1.5, liquidationBonus: 0 },
          DAI: { borrowable: true, rateModel: ZERO_RATES },
        },
        auction: { start: 1, decay: 0.5 },
        badDebt: { then: 'deficit' },
      },
    ],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited', minProfitUsd: 0 }],
    accounts: [
      { id: 'ceiling', positions: [{ venue: 'maker', supply: { DAI: 1e8 } }] },
      // Health 10 x 2000 / 1.5 / 12,000 = 1.11; at 1600 (-20%): 0.89.
      {
        id: 'vault',
        positions: [{ venue: 'maker', deposit: { ETH: 10 }, borrow: { DAI: 12000 } }],
      },
    ],
    prices: { ETH: { shocks: [{ step: 1, change: -0.2 }] } },
    ...extra,
  };
}

describe('a descending auction (start 1 x oracle, halving each step)', () => {
  it('is taken at once when buying at the oracle price pays, the rest of the collateral stays', () => {
    // Step 1: price 1600 = the market: 12,000 DAI buys 7.5 ETH; 2.5 ETH stay with the vault.
    const r = runDoc(doc());
    const ev = events(r);
    expect(ev.map((e) => e['step'])).toEqual([1]);
    expect(close(ev[0]!['repaid'] as number, 12000)).toBe(true);
    expect(close(ev[0]!['seized'] as number, 7.5)).toBe(true);
    expect(r.summary.badDebt.total).toBe(0);
  });

  it('sells for a fraction of its worth after a gas spike keeps keepers out, leaving a deficit', () => {
    // Gas of $1M a call through step 3: no keeper bids at 1600, 800 or 400. Step 4: 200 per ETH,
    // the whole 10 ETH (worth 16,000) for 2,000 DAI; 10,000 DAI of debt is left as a deficit.
    const r = runDoc(doc({ gas: { usd: 0, spikes: [{ fromStep: 1, toStep: 3, usd: 1e6 }] } }));
    const ev = events(r);
    expect(ev.map((e) => e['step'])).toEqual([4]);
    expect(close(ev[0]!['repaid'] as number, 2000)).toBe(true);
    expect(close(ev[0]!['seized'] as number, 10)).toBe(true);
    expect(close(r.summary.badDebt.total, 10000, 1e-9)).toBe(true);
    expect(r.summary.badDebt.byReserve['maker']!['DAI']!.deficit).toBeGreaterThan(0);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('does not fall below its floor', () => {
    const d = doc({ gas: { usd: 0, spikes: [{ fromStep: 1, toStep: 3, usd: 1e6 }] } });
    (d.venues[0] as { auction: Record<string, number> }).auction.floor = 0.3;
    // Step 4: max(0.3, 0.125) x 1600 = 480 per ETH: 10 ETH for 4,800 DAI.
    const ev = events(runDoc(d));
    expect(close(ev[0]!['repaid'] as number, 4800)).toBe(true);
  });

  it('ends an auction when the position recovers: a later fall starts a fresh one', () => {
    // Step 1: eligible at 1600, but gas keeps keepers out. Step 2: ETH +30% (2080): health 1.16,
    // the auction ends. Step 5: -25% (1560): a new auction at 1 x 1560 is taken at once, for
    // 12,000 / 1560 = 7.69 ETH and no bad debt (the old clock would have priced it at 1/16).
    const d = doc({
      steps: 5,
      gas: { usd: 0, spikes: [{ fromStep: 1, toStep: 1, usd: 1e6 }] },
      prices: {
        ETH: {
          shocks: [
            { step: 1, change: -0.2 },
            { step: 2, change: 0.3 },
            { step: 5, change: -0.25 },
          ],
        },
      },
    });
    const r = runDoc(d);
    const ev = events(r);
    expect(ev.map((e) => e['step'])).toEqual([5]);
    expect(close(ev[0]!['repaid'] as number, 12000)).toBe(true);
    expect(close(ev[0]!['seized'] as number, 12000 / 1560)).toBe(true);
    expect(r.summary.badDebt.total).toBe(0);
  });

  it('orders calls by what the auction pays the keeper under liquidation.order: profit', () => {
    // late (10 ETH, 10,000 DAI) becomes eligible at step 3 (1440); early (10 ETH, 12,000 DAI) at
    // step 1. Gas keeps keepers out to step 3. At step 4 early's auction is at 1/8 of the oracle,
    // late's at 1/2: early pays the keeper more and goes first, although late is listed first.
    const d = doc({
      gas: { usd: 0, spikes: [{ fromStep: 1, toStep: 3, usd: 1e6 }] },
      liquidation: { order: 'profit' },
      accounts: [
        { id: 'ceiling', positions: [{ venue: 'maker', supply: { DAI: 1e8 } }] },
        {
          id: 'late',
          positions: [{ venue: 'maker', deposit: { ETH: 10 }, borrow: { DAI: 10000 } }],
        },
        {
          id: 'early',
          positions: [{ venue: 'maker', deposit: { ETH: 10 }, borrow: { DAI: 12000 } }],
        },
      ],
      prices: {
        ETH: {
          shocks: [
            { step: 1, change: -0.2 },
            { step: 3, change: -0.1 },
          ],
        },
      },
    });
    const r = runDoc(d);
    const ids = events(r).map((e) => r.model.explicitIds[e['account'] as number]);
    // late takes two calls (half its debt first: health 0.96 is above the full-close line).
    expect(ids).toEqual(['early', 'late', 'late']);
  });

  it('refuses a floor above the start', () => {
    const d = doc();
    (d.venues[0] as { auction: Record<string, number> }).auction = {
      start: 0.5,
      decay: 0.5,
      floor: 1,
    };
    expect(scenarioIssues(d)).toEqual([
      'venues.maker.auction.floor: must be at most start (0.5), got 1',
    ]);
  });
});

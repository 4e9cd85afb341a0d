// System leverage across venues, worked by hand: delta exposure and gross leverage over a lending
// position, a perp position and a hedged option dealer.
import { blackScholes } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { runDoc } from './helpers.js';

describe('leverage monitoring across venues', () => {
  it('adds lending, perp and dealer delta, and lending and perp leverage', () => {
    // Lending: 10 ETH (20,000) against 10,000 USDC. Perp: 1,000 USDC margin, long 2 (4,000). A
    // dealer short 10 puts, hedged at the start: its net delta is 0, its vega counts.
    // Delta: 20,000 + 4,000 + 0 = 24,000 USD. Gross leverage: (20,000 + 4,000) / (20,000 -
    // 10,000 + 1,000) = 2.1818...
    const r = runDoc({
      version: 1,
      name: 'monitor',
      steps: 1,
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
            USDC: { borrowable: true },
          },
        },
        {
          id: 'perp',
          kind: 'perp',
          asset: 'ETH',
          quote: 'USDC',
          initialMargin: 0.05,
          maintenanceMargin: 0.025,
          funding: { interestRate: 0 },
        },
        {
          id: 'opt',
          kind: 'options',
          asset: 'ETH',
          quote: 'USDC',
          smile: { atm: 0.6 },
          positions: [{ dealer: 'd', kind: 'put', strike: 1800, expiry: '30d', contracts: -10 }],
        },
      ],
      accounts: [
        { id: 'lp', positions: [{ venue: 'lend', supply: { USDC: 100000 } }] },
        { id: 'b', positions: [{ venue: 'lend', deposit: { ETH: 10 }, borrow: { USDC: 10000 } }] },
        { id: 't', positions: [{ venue: 'perp', margin: { USDC: 1000 }, long: 2 }] },
      ],
    });
    const l = r.summary.leverage;
    expect(l.delta.start).toBeCloseTo(24000, 9);
    expect(l.gross.start).toBeCloseTo(24000 / 11000, 12);
    const vega = blackScholes({
      kind: 'put',
      spot: 2000,
      strike: 1800,
      expiry: 30 / 365,
      vol: 0.6,
    }).vega;
    expect(l.vega.start).toBeCloseTo((-10 * vega) / 100, 9);
  });
});

// Arrival order of liquidation calls: seeded random by default, or the largest call bonus first.
import { describe, expect, it } from 'vitest';
import { ETH_USDC, ethMarket, events, runDoc } from './helpers.js';

const doc = (order: 'random' | 'profit', seed = 1) => ({
  version: 1,
  name: 'order',
  seed,
  steps: 1,
  assets: ETH_USDC,
  venues: [ethMarket('lend', { liquidationThreshold: 0.85 })],
  liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
  liquidation: { order },
  accounts: [
    { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] },
    // At 1500: health 0.99, so half the debt: bonus 0.5 x 12878.79 x 0.05 = 321.97.
    {
      id: 'big',
      positions: [{ venue: 'lend', deposit: { ETH: 10 }, borrow: { USDC: (15000 * 0.85) / 0.99 } }],
    },
    // At 1500: health 0.9, below 0.95, so all of it: bonus min(8500, 9000 / 1.05) x 0.05 = 425.
    { id: 'small', positions: [{ venue: 'lend', deposit: { ETH: 6 }, borrow: { USDC: 8500 } }] },
  ],
  prices: { ETH: { shocks: [{ step: 1, change: -0.25 }] } },
});

describe('liquidation.order', () => {
  it('profit: the call that pays the larger bonus goes first, not the larger collateral', () => {
    const r = runDoc(doc('profit'));
    const order = events(r).map((e) => r.model.explicitIds[e['account'] as number]);
    expect(order).toEqual(['small', 'big']);
  });

  it('random: the seeded order, the same for the same seed', () => {
    const orderOf = (seed: number) => {
      const r = runDoc(doc('random', seed));
      return events(r).map((e) => r.model.explicitIds[e['account'] as number]);
    };
    expect(orderOf(1)).toEqual(orderOf(1));
    const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => orderOf(s).join(',')));
    expect(seen).toEqual(new Set(['small,big', 'big,small']));
  });
});

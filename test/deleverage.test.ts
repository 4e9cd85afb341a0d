// Deleveragers worked by hand: an account that sells collateral and repays debt when its health
// falls under 1.05, back to 1.3, survives a fall that liquidates the same position left alone.
import { describe, expect, it } from 'vitest';
import { ScenarioError, validateScenario } from '@contagion/core';
import { close, ETH_USDC, ethMarket, events, runDoc } from './helpers.js';

/** One account: 10 ETH at health 1.1 (threshold 0.825: debt 15,000 USDC). */
function doc(changes: number[], deleverage?: Record<string, unknown>) {
  return {
    version: 1,
    name: 'deleverage',
    seed: 1,
    step: '1h',
    steps: changes.length,
    assets: ETH_USDC,
    venues: [ethMarket('lend')],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
    accounts: [{ id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] }],
    populations: [
      {
        name: 'holders',
        count: 1,
        positions: [{ venue: 'lend', deposit: 'ETH', borrow: 'USDC' }],
        size: { fixed: 10 },
        healthFactor: { fixed: 1.1 },
        ...(deleverage === undefined ? {} : { deleverage }),
      },
    ],
    prices: {
      ETH: {
        shocks: changes.flatMap((change, i) => (change === 0 ? [] : [{ step: i + 1, change }])),
      },
    },
  };
}

const PLAN = { below: 1.05, to: 1.3 };

describe('a deleverager (act below 1.05, back to 1.3)', () => {
  it('sells just enough at step 1 to be back at 1.3', () => {
    // At 1880 (-6%): health 10 x 1880 x 0.825 / 15,000 = 1.034. Selling q at 1880 and repaying:
    // (10 - q) 1551 = 1.3 (15,000 - 1880 q)  =>  q = 3990 / 893 = 4.468, repaying 8,400 exactly.
    const r = runDoc(doc([-0.06], PLAN));
    expect(r.summary.liquidations.deleveraging.actions).toBe(1);
    expect(close(r.summary.liquidations.deleveraging.repaidUsd, 8400, 1e-9)).toBe(true);
    expect(r.summary.liquidations.count).toBe(0);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('survives a fall that liquidates the same position left alone', () => {
    // Step 2 (-20% to 1504): the deleverager is at 1.04 and sells again (q = 1716 / 714.4);
    // the position left alone is at 0.827 and is liquidated.
    const alone = runDoc(doc([-0.06, -0.2]));
    expect(events(alone).map((e) => e['step'])).toEqual([2]);
    const r = runDoc(doc([-0.06, -0.2], PLAN));
    expect(r.summary.liquidations.count).toBe(0);
    expect(r.summary.liquidations.deleveraging.actions).toBe(2);
    const second = (1716 / 714.4) * 1504;
    expect(close(r.summary.liquidations.deleveraging.repaidUsd, 8400 + second, 1e-9)).toBe(true);
  });

  it('leaves a position that falls straight below 1 to liquidators', () => {
    const r = runDoc(doc([-0.2], PLAN));
    expect(r.summary.liquidations.deleveraging.actions).toBe(0);
    expect(r.summary.liquidations.count).toBeGreaterThan(0);
  });

  it('refuses a target at or under its trigger, and an unknown place to sell', () => {
    const issues = (plan: Record<string, unknown>) => {
      try {
        validateScenario(doc([0], plan), 'd.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as ScenarioError).issues.map((i) => `${i.path}: ${i.message}`);
      }
      return [];
    };
    expect(issues({ below: 1.2, to: 1.1 })).toEqual([
      'populations[0].deleverage.to: must be above below (1.2), got 1.1',
    ]);
    expect(issues({ below: 1.05, to: 1.3, sellTo: 'nowhere' })).toEqual([
      'populations[0].deleverage.sellTo: must be "market" or a pool id, got "nowhere"',
    ]);
  });
});

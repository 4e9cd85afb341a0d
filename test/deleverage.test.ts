// Deleveragers worked by hand: an account that sells collateral and repays debt when its health
// falls under 1.05, back to 1.3, survives a fall that liquidates the same position left alone.
import { describe, expect, it } from 'vitest';
import type { InvalidArgumentError } from '@contagion/core';
import { validateScenario } from '@contagion/core';
import { registerStrategy, type PositionView, type Strategy } from '@contagion/sim';
import { close, ETH_USDC, ethMarket, events, runDoc, ZERO_RATES } from './helpers.js';

/** One account: 10 ETH at health 1.1 (threshold 0.825: debt 15,000 USDC). */
function doc(changes: number[], agent?: Record<string, unknown>) {
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
        ...(agent === undefined ? {} : { agent }),
      },
    ],
    prices: {
      ETH: {
        shocks: changes.flatMap((change, i) => (change === 0 ? [] : [{ step: i + 1, change }])),
      },
    },
  };
}

const PLAN = { kind: 'deleverage', params: { below: 1.05, to: 1.3 } };

describe('a deleverager (act below 1.05, back to 1.3)', () => {
  it('sells just enough at step 1 to be back at 1.3', () => {
    // At 1880 (-6%): health 10 x 1880 x 0.825 / 15,000 = 1.034. Selling q at 1880 and repaying:
    // (10 - q) 1551 = 1.3 (15,000 - 1880 q)  =>  q = 3990 / 893 = 4.468, repaying 8,400 exactly.
    const r = runDoc(doc([-0.06], PLAN));
    expect(r.summary.agents.sells).toBe(1);
    expect(close(r.summary.agents.repaidUsd, 8400, 1e-9)).toBe(true);
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
    expect(r.summary.agents.sells).toBe(2);
    const second = (1716 / 714.4) * 1504;
    expect(close(r.summary.agents.repaidUsd, 8400 + second, 1e-9)).toBe(true);
  });

  it('leaves a position that falls straight below 1 to liquidators', () => {
    const r = runDoc(doc([-0.2], PLAN));
    expect(r.summary.agents.sells).toBe(0);
    expect(r.summary.liquidations.count).toBeGreaterThan(0);
  });

  it('refuses a target at or under its trigger, an unknown strategy and an unknown place to sell', () => {
    const fails = (agent: Record<string, unknown>) => {
      try {
        runDoc(doc([0], agent));
      } catch (e) {
        return `${(e as InvalidArgumentError).path}: ${(e as InvalidArgumentError).detail}`;
      }
      return 'ran';
    };
    expect(fails({ kind: 'deleverage', params: { below: 1.2, to: 1.1 } })).toBe(
      'populations[0].agent.params.to: must be above below (1.2), got 1.1',
    );
    expect(fails({ kind: 'deleverage', params: { below: 1.2 } })).toBe(
      'populations[0].agent.params.to: must be a number in (1, 1000], got undefined',
    );
    expect(fails({ kind: 'hodl' })).toBe(
      'populations[0].agent.kind: unknown strategy "hodl" (registered: deleverage, looper, stopLoss, volTarget)',
    );
    expect(() =>
      validateScenario(doc([0], { kind: 'deleverage', sellTo: 'nowhere' }), 'd.yaml'),
    ).toThrow(/populations\[0\]\.agent\.sellTo: must be "market" or a pool id, got "nowhere"/);
  });
});

describe('a stop-loss at a 10% fall of the collateral', () => {
  const STOP = { kind: 'stopLoss', params: { drop: 0.1 } };

  it('holds at -6%, then sells enough at -20% to repay the whole debt', () => {
    // At 1504 (-24.8% from 2000): health 0.827 would be liquidated; the stop sells 15,000 / 1504
    // ETH first, repays everything and keeps the rest.
    const r = runDoc(doc([-0.06, -0.2], STOP));
    expect(r.summary.liquidations.count).toBe(0);
    expect(r.summary.agents.sells).toBe(1);
    expect(close(r.summary.agents.repaidUsd, 15000, 1e-9)).toBe(true);
    expect(r.summary.conservation.ok).toBe(true);
  });
});

describe('a strategy a program registers', () => {
  it('is found by name and acts through the same engine', () => {
    // Repay half the debt as soon as health is under 1.05.
    const halve: Strategy = {
      name: 'halveBelow105',
      check: () => [],
      sell: (v) => (v.health < 1.05 ? sellFor(v, v.debt / 2) : 0),
    };
    registerStrategy(halve);
    const r = runDoc(doc([-0.06], { kind: 'halveBelow105' }));
    expect(r.summary.agents.sells).toBe(1);
    expect(close(r.summary.agents.repaidUsd, 7500, 1e-9)).toBe(true);
  });
});

/** Collateral whose sale brings `debt` tokens (bisection on the view's quote). */
function sellFor(v: PositionView, debt: number): number {
  let lo = 0;
  let hi = v.collateral;
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (v.proceeds(mid) < debt) lo = mid;
    else hi = mid;
  }
  return hi;
}

describe('a looper (leverage farmer: below 1.1 sell, above 1.5 borrow, target 1.3)', () => {
  // 10 ETH at health 1.3: debt 10 x 2000 x 0.825 / 1.3 = 12,692.31 USDC.
  const farm = (changes: number[], agent?: Record<string, unknown>) => {
    const d = doc(changes, agent);
    d.populations[0]!.healthFactor = { fixed: 1.3 };
    return runDoc(d);
  };
  const LOOP = { kind: 'looper', params: { below: 1.1, above: 1.5, target: 1.3 } };

  it('borrows and buys ETH when a rise lifts its health over 1.5, back to 1.3', () => {
    // At 2500: health 1.625. Borrow b, buy b / 2500 ETH: (10 + b/2500) 2062.5 = 1.3 (12,692.31 + b)
    // => 0.475 b = 20,625 - 16,500  =>  b = 8,684.21.
    const r = farm([0.25], LOOP);
    expect(r.summary.agents.levers).toBe(1);
    expect(close(r.summary.agents.borrowedUsd, 4125 / 0.475, 1e-9)).toBe(true);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('is liquidated in the fall after the rise, where the position left alone survives', () => {
    // At 1750 the farmer holds 13.47 ETH against 21,376.52: health 0.91. Left alone: 10 ETH
    // against 12,692.31: health 1.14.
    expect(farm([0.25, -0.3]).summary.liquidations.count).toBe(0);
    const r = farm([0.25, -0.3], LOOP);
    expect(events(r).map((e) => e['step'])).toEqual([2]);
  });

  it('sells back to 1.3 when a fall takes it under 1.1', () => {
    const r = farm([-0.2], LOOP);
    expect(r.summary.agents.sells).toBe(1);
    expect(r.summary.agents.levers).toBe(0);
    expect(r.summary.liquidations.count).toBe(0);
  });

  it("does not pledge more than the collateral's supply cap", () => {
    const d = doc([0.25], LOOP);
    d.populations[0]!.healthFactor = { fixed: 1.3 };
    const lend = d.venues[0] as { assets: { ETH: Record<string, unknown> } };
    lend.assets.ETH.supplyCap = 10; // all of it pledged already
    const r = runDoc(d);
    expect(r.summary.agents.levers).toBe(0);
  });

  it('checks that the target lies between its two triggers', () => {
    expect(() =>
      farm([0], { kind: 'looper', params: { below: 1.1, above: 1.5, target: 1.6 } }),
    ).toThrow(/target: must lie between below \(1.1\) and above \(1.5\), got 1.6/);
  });
});

describe('positions agents cannot act on are refused when a run starts and by validate', () => {
  const base = (pop: Record<string, unknown>, venues: unknown[] = [ethMarket('lend')]) => ({
    ...doc([0]),
    assets: [...ETH_USDC, { id: 'DAI', kind: 'stable', price: 1 }],
    venues: [
      ...venues,
      { id: 'eth-dai', kind: 'constant-product', holdings: { ETH: 1000, DAI: 2000000 } },
    ],
    populations: [pop],
  });

  it('a loop that sells into a pool without its debt asset', () => {
    // A swap loop (deposit ETH, borrow USDC) has no listed positions: the pool is checked on the
    // positions the loop built.
    const d = base({
      name: 'farm',
      count: 1,
      strategy: { loop: { deposit: { venue: 'lend', asset: 'ETH' }, borrow: 'USDC', loops: 2 } },
      size: { fixed: 10 },
      agent: { kind: 'deleverage', params: { below: 1.05, to: 1.3 }, sellTo: 'eth-dai' },
    });
    expect(() => runDoc(d)).toThrow(
      /populations\[0\]\.agent\.sellTo: pool "eth-dai" must hold "ETH" and "USDC"/,
    );
  });

  it('positions whose collateral is a receipt token', () => {
    const lendB = {
      id: 'lendB',
      kind: 'lending',
      assets: {
        'aUSDC-lend': { ltv: 0.9, liquidationThreshold: 0.92, liquidationBonus: 0.02 },
        USDC: { borrowable: true, rateModel: ZERO_RATES },
      },
    };
    const d = base(
      {
        name: 'loopers',
        count: 1,
        strategy: {
          loop: { supply: { venue: 'lend', asset: 'USDC' }, pledgeIn: 'lendB', loops: 2 },
        },
        size: { fixed: 1000 },
        agent: { kind: 'deleverage', params: { below: 1.05, to: 1.3 } },
      },
      [ethMarket('lend'), lendB],
    );
    (d.accounts as unknown[]).push({
      id: 'bank',
      positions: [{ venue: 'lendB', supply: { USDC: 1e6 } }],
    });
    expect(() => runDoc(d)).toThrow(
      /agents act on collateral they can sell; lendB positions pledge the receipt token "aUSDC-lend"/,
    );
  });
});

describe('a volatility target (dynamic position sizing by a risk budget)', () => {
  // 10 ETH at health 1.3; ETH +10% at step 1, -10% at step 2 (2000, 2200, 1980).
  const VOL = { kind: 'volTarget', params: { budgetUsd: 5000, window: 2, z: 2, band: 0.05 } };
  const run = () => {
    const d = doc([0.1, -0.1], VOL);
    d.populations[0]!.healthFactor = { fixed: 1.3 };
    return runDoc(d);
  };

  it('sells down to the value whose one-step loss at 2 sigma is the budget', () => {
    // Step 2: log returns ln(1.1), ln(0.9); sample sd of the two; target = 5000 / (2 sd).
    const r1 = Math.log(1.1);
    const r2 = Math.log(0.9);
    const mean = (r1 + r2) / 2;
    const sd = Math.sqrt((r1 - mean) ** 2 + (r2 - mean) ** 2);
    const target = 5000 / (2 * sd);
    const sold = (10 * 1980 - target) / 1980;
    const r = run();
    expect(r.summary.agents.sells).toBe(1); // none at step 1: two returns are needed
    expect(close(r.summary.agents.repaidUsd, sold * 1980, 1e-9)).toBe(true);
  });

  it('checks its parameters', () => {
    const d = doc([0], {
      kind: 'volTarget',
      params: { budgetUsd: 5000, window: 1, z: 2, band: 0.05 },
    });
    expect(() => runDoc(d)).toThrow(
      /params\.window: must be a whole number of steps in \[2, 10000\], got 1/,
    );
  });
});

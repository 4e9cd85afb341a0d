// Circuit breakers and price bands worked by hand: halting liquidations in a falling market turns
// a clean liquidation into bad debt; an oracle band slows the oracle, not the market.
import { describe, expect, it } from 'vitest';
import { close, ETH_USDC, ethMarket, events, runDoc, scenarioIssues } from './helpers.js';

/** bob: 10 ETH against 15,000 USDC (health 16,500 / 15,000 = 1.1). ETH moves by `changes`. */
function doc(market: Record<string, unknown>, changes: number[]) {
  return {
    version: 1,
    name: 'breakers',
    seed: 1,
    step: '1h',
    steps: changes.length,
    assets: ETH_USDC,
    venues: [{ ...ethMarket('lend'), ...market }],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
    accounts: [
      { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] },
      { id: 'bob', positions: [{ venue: 'lend', deposit: { ETH: 10 }, borrow: { USDC: 15000 } }] },
    ],
    prices: {
      ETH: {
        shocks: changes.flatMap((change, i) => (change === 0 ? [] : [{ step: i + 1, change }])),
      },
    },
  };
}

// ETH: 2000, 1700 (-15%), 1360 (-20%), 1292 (-5%), 1292.
const PATH = [-0.15, -0.2, -0.05, 0];

describe('a breaker that halts liquidations on a 10% fall within an hour, for two hours', () => {
  const breaker = {
    circuitBreakers: [{ halt: 'liquidations', when: { drop: 0.1, within: '1h' }, for: '2h' }],
  };

  it('without it: bob is liquidated at 1700 in full, with no bad debt', () => {
    // Health 10 x 1700 x 0.825 / 15,000 = 0.935 < 0.95: the whole debt, for 15,750 of ETH < 17,000.
    const r = runDoc(doc({}, PATH));
    const ev = events(r);
    expect(ev.map((e) => e['step'])).toEqual([1]);
    expect(close(ev[0]!['repaid'] as number, 15000)).toBe(true);
    expect(r.summary.badDebt.total).toBe(0);
  });

  it('with it: halted at steps 1 to 3, bob is liquidated at 1292 with bad debt', () => {
    // Step 1: -15% trips the breaker (halted through step 2); step 2: -20% trips it again (through
    // step 3); step 3: -5% does not. Step 4: 10 ETH at 1292 = 12,920 covers 12,920 / 1.05 =
    // 12,304.76 of debt; 15,000 - 12,304.76 = 2,695.24 is bad debt.
    const r = runDoc(doc(breaker, PATH));
    const ev = events(r);
    expect(ev.map((e) => e['step'])).toEqual([4]);
    expect(close(ev[0]!['repaid'] as number, 12920 / 1.05)).toBe(true);
    expect(close(r.summary.badDebt.total, 15000 - 12920 / 1.05, 1e-9)).toBe(true);
    expect(r.summary.circuitBreakers['lend']).toEqual({ haltedSteps: 3, firstHalt: 1 });
  });

  it('a scheduled halt over step 1 only: liquidated at 1360 instead', () => {
    const r = runDoc(
      doc({ circuitBreakers: [{ halt: 'liquidations', when: { fromStep: 1, toStep: 1 } }] }, PATH),
    );
    expect(events(r).map((e) => e['step'])).toEqual([2]);
    expect(close(r.summary.badDebt.total, 15000 - 13600 / 1.05, 1e-9)).toBe(true);
    expect(r.summary.circuitBreakers['lend']).toEqual({ haltedSteps: 1, firstHalt: 1 });
  });

  it('reports no halt where no breaker tripped, and nothing for markets without breakers', () => {
    const calm = runDoc(doc(breaker, [-0.05, 0]));
    expect(calm.summary.circuitBreakers['lend']).toEqual({ haltedSteps: 0, firstHalt: null });
    expect(runDoc(doc({}, [0])).summary.circuitBreakers).toEqual({});
  });
});

describe('an oracle price band of 10% per step', () => {
  it('moves the oracle at most 10% a step toward the market', () => {
    // ETH falls 30% at step 1 and stays: the oracle reads 1800, 1620, 1458, then 1400.
    const r = runDoc(doc({ oracle: { source: 'market', maxMove: 0.1 } }, [-0.3, 0, 0, 0]));
    const seen = r.prices
      .filter((p) => p.asset === 'ETH' && p.source === 'lend')
      .map((p) => p.price);
    const want = [2000, 1800, 1620, 1458, 1400];
    seen.forEach((p, t) => expect(close(p, want[t]!), `step ${t}: ${p}`).toBe(true));
  });
});

describe('breaker settings that are refused', () => {
  const issues = (market: Record<string, unknown>) => scenarioIssues(doc(market, [0]), 'b.yaml');

  it('names the path and the value', () => {
    expect(
      issues({ circuitBreakers: [{ halt: 'liquidations', when: { drop: 0.1, within: '90m' } }] }),
    ).toEqual([
      'venues.lend.circuitBreakers[0].when.within: must be a whole number of steps (1h), got "90m"',
    ]);
    expect(
      issues({
        circuitBreakers: [{ halt: 'liquidations', when: { fromStep: 3, toStep: 1 }, for: '1h' }],
      }),
    ).toEqual([
      'venues.lend.circuitBreakers[0].for: a scheduled halt lasts fromStep..toStep: drop `for`',
      'venues.lend.circuitBreakers[0].when.toStep: must be >= fromStep (3), got 1',
    ]);
    expect(issues({ oracle: { maxMove: 0 } })).toEqual([
      'venues.lend.oracle.maxMove: must be in (0, 1), got 0',
    ]);
  });
});

describe('gas per liquidation call, with a spike', () => {
  // bob at 1700 (step 1): repays 15,000 for 15,750 of ETH: a profit of 750 before gas.
  const withGas = (gas: unknown) => ({ ...doc({}, [-0.15, 0, 0]), gas });

  it('is paid on every call taken and reported', () => {
    const r = runDoc(withGas({ usd: 40 }));
    expect(events(r).map((e) => e['step'])).toEqual([1]);
    expect(r.summary.liquidations.gasUsd).toBe(40);
  });

  it('stops calls whose profit does not clear it while the spike lasts', () => {
    // 800 > 750 at steps 1 and 2: nobody takes bob until the spike ends at step 3.
    const r = runDoc(withGas({ usd: 40, spikes: [{ fromStep: 1, toStep: 2, usd: 800 }] }));
    expect(events(r).map((e) => e['step'])).toEqual([3]);
    expect(r.summary.liquidations.untakenAtEnd).toBe(0);
    const stuck = runDoc(withGas({ usd: 800 }));
    expect(stuck.summary.liquidations.count).toBe(0);
    expect(stuck.summary.liquidations.untakenAtEnd).toBe(1);
  });
});

it('refuses gas spikes that end before they start or start after the run', () => {
  const bad = { ...doc({}, [0, 0]), gas: { usd: 1, spikes: [{ fromStep: 3, toStep: 1, usd: 9 }] } };
  const issues = scenarioIssues(bad, 'g.yaml');
  expect(issues).toEqual([
    'gas.spikes[0].toStep: must be >= fromStep (3), got 1',
    'gas.spikes[0].fromStep: is after the last step (2), got 3',
  ]);
});

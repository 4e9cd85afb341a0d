// Oracle kinds worked by hand: a push feed (deviation threshold + heartbeat, Chainlink-style) and a
// TWAP (geometric or arithmetic), on the market price of ETH, with no sales to move it.
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '@contagion/sim';
import { close, ETH_USDC, ethMarket, events, runDoc, scenarioIssues } from './helpers.js';

/** ETH moves by `changes[t - 1]` at step t; one market `lend` with `oracle`; `bob` optionally. */
function doc(oracle: Record<string, unknown>, changes: number[], bob?: number) {
  return {
    version: 1,
    name: 'oracle kinds',
    seed: 1,
    step: '1h',
    steps: changes.length,
    assets: ETH_USDC,
    venues: [{ ...ethMarket('lend'), oracle }],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited' }],
    accounts: [
      { id: 'lender', positions: [{ venue: 'lend', supply: { USDC: 1e6 } }] },
      ...(bob === undefined
        ? []
        : [
            {
              id: 'bob',
              positions: [{ venue: 'lend', deposit: { ETH: 10 }, borrow: { USDC: bob } }],
            },
          ]),
    ],
    prices: {
      ETH: {
        shocks: changes.flatMap((change, i) => (change === 0 ? [] : [{ step: i + 1, change }])),
      },
    },
  };
}

/** The oracle's ETH price at the end of each step, from step 0. */
function oracle(r: ReturnType<typeof runDoc>): number[] {
  return r.prices.filter((p) => p.asset === 'ETH' && p.source === 'lend').map((p) => p.price);
}

describe('push oracle: deviation 5%, heartbeat 3h, steps of 1h', () => {
  const push = { source: 'market', push: { deviation: 0.05, heartbeat: '3h' } };
  // Market: 2000, 1940 (-3%), 1881.8 (-3%), then flat to step 5, +2% at step 6, flat after.
  const r = runDoc(doc(push, [-0.03, -0.03, 0, 0, 0, 0.02, 0, 0]));
  const seen = oracle(r);
  const p2 = 2000 * 0.97 * 0.97;
  const p6 = p2 * 1.02;

  it('holds its report while the move is under the threshold', () => {
    // Step 1: 1940 / 2000 - 1 = -3%: under 5%, and 1h < 3h since the report at step 0.
    expect(seen.slice(0, 2)).toEqual([2000, 2000]);
  });

  it('reports when the move since its last report reaches the threshold', () => {
    // Step 2: 1881.8 / 2000 - 1 = -5.91%.
    expect(close(seen[2]!, p2)).toBe(true);
  });

  it('reports again on the heartbeat, which restarts the clock', () => {
    // Step 5: 3h after the report at step 2: a report (of the same price). Step 6's +2% is under
    // the threshold and 1h after it, so the oracle holds; without the heartbeat report at step 5
    // it would have been 4h stale and reported. Step 8: 3h after step 5, the heartbeat again.
    expect(seen.slice(3, 8).every((p) => close(p, p2))).toBe(true);
    expect(close(seen[8]!, p6)).toBe(true);
  });

  it('delays a liquidation until it reports, and the channel counterfactual runs the same feed', () => {
    // bob: 10 ETH, debt 16,200: health 16,500 / 16,200 = 1.019 at 2000, 0.988 at 1940.
    const read = runDoc(doc({ source: 'market' }, [-0.03, -0.03], 16200));
    expect(events(read).map((e) => e['step'])).toEqual([1]);
    const fed = runDoc(doc(push, [-0.03, -0.03], 16200));
    const ev = events(fed);
    expect(ev.map((e) => e['step'])).toEqual([2]);
    // The exogenous path alone, through the same push feed, makes him eligible at step 2: shock.
    expect(CHANNELS[ev[0]!['channel'] as number]).toBe('shock');
  });
});

describe('TWAP oracle over 3 steps of 1h', () => {
  const changes = [-0.3, 0, 0, 0];

  it('geometric: the cube root of the product of the last three step prices', () => {
    const seen = oracle(runDoc(doc({ twap: { window: '3h' } }, changes)));
    // Before step 0 the window holds the step-0 price: step 1 averages 2000, 2000, 1400.
    const want = [2000, 2000 * Math.cbrt(0.7), 2000 * Math.cbrt(0.49), 1400, 1400];
    seen.forEach((p, t) => expect(close(p, want[t]!, 1e-12), `step ${t}: ${p}`).toBe(true));
  });

  it('arithmetic: the plain mean', () => {
    const seen = oracle(runDoc(doc({ twap: { window: '3h', mean: 'arithmetic' } }, changes)));
    const want = [2000, 1800, 1600, 1400, 1400];
    seen.forEach((p, t) => expect(close(p, want[t]!, 1e-12), `step ${t}: ${p}`).toBe(true));
  });

  it('a one-step window reads the source as it stands', () => {
    const a = oracle(runDoc(doc({ twap: { window: '1h' } }, changes)));
    const b = oracle(runDoc(doc({}, changes)));
    a.forEach((p, t) => expect(close(p, b[t]!)).toBe(true));
  });
});

describe('oracle settings that are refused', () => {
  const issues = (o: Record<string, unknown>) => scenarioIssues(doc(o, [0]), 'o.yaml');

  it('names the path and the value', () => {
    expect(issues({ push: { deviation: 0, heartbeat: '1h' } })).toEqual([
      'venues.lend.oracle.push.deviation: must be in (0, 1), got 0',
    ]);
    expect(issues({ push: { deviation: 0.01, heartbeat: 'often' } })).toEqual([
      'venues.lend.oracle.push.heartbeat: must be a duration such as "1h", "15m", "1d", got "often"',
    ]);
    expect(issues({ twap: { window: '90m' } })).toEqual([
      'venues.lend.oracle.twap.window: must be a whole number of steps (1h), got "90m"',
    ]);
    expect(issues({ twap: { window: '30m' } })).toEqual([
      'venues.lend.oracle.twap.window: must be a whole number of steps (1h), got "30m"',
    ]);
    expect(issues({ push: { deviation: 0.01, heartbeat: '1h' }, twap: { window: '2h' } })).toEqual([
      'venues.lend.oracle: give `push` or `twap`, not both',
    ]);
    expect(issues({ twap: { window: '2h', mean: 'median' } })).toHaveLength(1);
  });
});

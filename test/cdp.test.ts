// A CDP venue worked by hand: liquidation ratio, the tab (debt plus penalty) raised by auction, the
// surplus that takes penalties and covers shortfalls, the deficit left, stability fees, ceilings.
import { describe, expect, it } from 'vitest';
import { buildModel, ScenarioError, validateScenario, type ScenarioInput } from '@contagion/core';
import { runDoc } from './helpers.js';

/** Loading and building `doc` fails with a ScenarioError whose message matches `pattern`. */
function expectScenarioError(doc: unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    buildModel(validateScenario(doc, 'cdp.yaml'), 'cdp.yaml');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ScenarioError);
  expect((error as Error).message).toMatch(pattern);
}

/**
 * ETH at 2000, DAI at 1. One vault: 10 ETH, 10,000 DAI minted (a ratio of 2.0 against the 1.5
 * minimum). Keepers with unlimited DAI sell what they buy to the market (no impact), minimum profit
 * 0; the auction starts at the oracle price and falls 10% a step.
 */
function doc(over: {
  change?: number;
  gasSpike?: boolean;
  surplusBuffer?: number;
  stabilityFee?: number;
  steps?: number;
  step?: string;
  ceiling?: number;
}): ScenarioInput {
  return {
    version: 1,
    name: 'cdp',
    step: over.step ?? '1h',
    steps: over.steps ?? 2,
    assets: [
      { id: 'ETH', kind: 'base', price: 2000 },
      { id: 'DAI', kind: 'stable', price: 1 },
    ],
    venues: [
      {
        id: 'maker',
        kind: 'cdp',
        stablecoin: 'DAI',
        collateral: {
          ETH: { liquidationRatio: 1.5, penalty: 0.13, debtCeiling: over.ceiling ?? 1_000_000 },
        },
        stabilityFee: over.stabilityFee ?? 0,
        auction: { start: 1, decay: 0.9 },
        surplusBuffer: over.surplusBuffer ?? 0,
      },
    ],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited', minProfitUsd: 0 }],
    ...(over.gasSpike === true
      ? { gas: { usd: 0, spikes: [{ fromStep: 1, toStep: 1, usd: 1e12 }] } }
      : {}),
    accounts: [
      {
        id: 'vault',
        positions: [{ venue: 'maker', deposit: { ETH: 10 }, borrow: { DAI: 10000 } }],
      },
    ],
    prices:
      over.change === undefined ? {} : { ETH: { shocks: [{ step: 1, change: over.change }] } },
  } as ScenarioInput;
}

describe('CDP liquidation by auction, with the penalty', () => {
  it('leaves a vault above its liquidation ratio alone', () => {
    // At 1600: 16,000 / 1.5 = 10,667 >= 10,000.
    const r = runDoc(doc({ change: -0.2 }));
    expect(r.summary.liquidations.count).toBe(0);
  });

  it('raises the tab and returns the rest of the collateral to the vault', () => {
    // At 1400: 14,000 / 1.5 = 9,333 < 10,000. Tab = 10,000 x 1.13 = 11,300 DAI; at the auction's
    // first price (1400) it buys 11,300 / 1,400 = 8.0714 ETH; the vault keeps 1.9286 ETH and owes
    // nothing; 1,300 DAI of penalty goes to the surplus.
    const r = runDoc(doc({ change: -0.3 }));
    const m = r.summary.cdps['maker']!;
    expect(r.summary.liquidations.count).toBe(1);
    expect(r.summary.liquidations.collateralSold['ETH']!.amount).toBeCloseTo(11300 / 1400, 9);
    expect(m.penaltyIncome).toBeCloseTo(1300, 9);
    expect(m.surplus.end).toBeCloseTo(1300, 9);
    expect(m.debt.end).toBeCloseTo(0, 9);
    expect(m.auctionShortfall).toBe(0);
    expect(m.deficit).toBe(0);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('covers with the penalty what the collateral falls short of the tab', () => {
    // At 1000: the 10 ETH raise 10,000 DAI, less than the 11,300 tab. Split in proportion:
    // 10,000 x 10,000 / 11,300 = 8,849.56 to the debt, 1,150.44 to the penalty; the 1,150.44 of
    // debt left is booked and covered by that penalty: raised = debt, no deficit (Maker: debt -
    // raised = 0).
    const r = runDoc(doc({ change: -0.5 }));
    const m = r.summary.cdps['maker']!;
    expect(m.auctionShortfall).toBeCloseTo(10000 - (10000 * 10000) / 11300, 6);
    expect(m.coveredBySurplus).toBeCloseTo(m.auctionShortfall, 9);
    expect(m.deficit).toBeCloseTo(0, 9);
    expect(m.surplus.end).toBeCloseTo(0, 9);
  });

  it('leaves as a deficit the debt an auction that ran down could not raise', () => {
    // Keepers are priced out at step 1 (gas); at step 2 the auction asks 0.9 x 1000: the 10 ETH
    // raise 9,000 DAI; Maker's shortfall: 10,000 - 9,000 = 1,000 DAI of system debt.
    const r = runDoc(doc({ change: -0.5, gasSpike: true }));
    const m = r.summary.cdps['maker']!;
    expect(r.summary.liquidations.count).toBe(1);
    expect(m.deficit).toBeCloseTo(1000, 6);
    expect(r.summary.badDebt.byReserve['maker']!['DAI']!.deficit).toBeCloseTo(1000, 6);
  });

  it('takes the shortfall from the surplus buffer first', () => {
    const r = runDoc(doc({ change: -0.5, gasSpike: true, surplusBuffer: 600 }));
    const m = r.summary.cdps['maker']!;
    expect(m.deficit).toBeCloseTo(400, 6);
    expect(m.surplus.end).toBeCloseTo(0, 9);
  });
});

describe('keepers that must buy the stablecoin', () => {
  // Keepers hold USDC, not DAI, and buy DAI in a 100,000 / 100,000 DAI/USDC pool (no fee). ETH
  // falls to 1400 at step 1; the tab is 11,300 DAI. At the auction's first price (1400) any DAI
  // bought above par makes the call a loss: no bid. At 0.9 x 1400 a DAI bought for up to 1/0.9 pays:
  // the keeper bids as much as pays (the largest profitable part, found by bisection), sells the
  // ETH for DAI, and bids the rest with it in the next round. DAI's pool price rises above 1.2.
  const input = () => {
    const d = { ...doc({ change: -0.3, steps: 4 }) } as Record<string, unknown>;
    d.assets = [...(d.assets as unknown[]), { id: 'USDC', kind: 'stable', price: 1 }];
    d.venues = [
      { id: 'dai-usdc', kind: 'constant-product', holdings: { DAI: 100000, USDC: 100000 } },
      ...(d.venues as unknown[]),
    ];
    d.liquidators = [
      { id: 'keeper', capitalEach: { USDC: 1e6 }, minProfitUsd: 0, fundFrom: 'dai-usdc' },
    ];
    return d;
  };

  it('buys DAI in the peg pool, lifting DAI, and bids only as much as the auction pays for', () => {
    const r = runDoc(input());
    const calls = Array.from({ length: r.events.length }, (_, e) => r.events.get(e));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((e) => e.step === 2)).toBe(true);
    expect(calls[0]!.repaid).toBeLessThan(11300);
    expect(calls.reduce((x, e) => x + e.repaid, 0)).toBeCloseTo(11300, 6);
    expect(calls.reduce((x, e) => x + e.seized, 0)).toBeCloseTo(11300 / (1400 * 0.9), 9);
    const pool = r.steps.filter((x) => x.venue === 'dai-usdc');
    expect(pool.find((x) => x.step === 1)!.price).toBeCloseTo(1, 12);
    expect(pool.find((x) => x.step === 2)!.price).toBeGreaterThan(1.2);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('with DAI in hand bids at the first price', () => {
    const d = input();
    d.liquidators = [{ id: 'keeper', capitalEach: { DAI: 1e6 }, minProfitUsd: 0 }];
    expect(runDoc(d).events.get(0).step).toBe(1);
  });
});

describe('CDP stability fee and ceilings', () => {
  it('grows debt at the stability fee', () => {
    // 10% a year over one day: 10,000 x (1 + 0.1 / 365).
    const r = runDoc(doc({ stabilityFee: 0.1, steps: 1, step: '1d' }));
    expect(r.summary.cdps['maker']!.debt.end).toBeCloseTo(10000 * (1 + 0.1 / 365), 9);
  });

  it('refuses vaults that mint past the ceilings, naming the vault', () => {
    expectScenarioError(
      doc({ ceiling: 5000 }),
      /accounts\.vault\.positions\[0\]\.borrow\.DAI: minting 10000 DAI from maker passes its debt ceilings \(5000 left\)/,
    );
  });

  it('refuses vaults of one collateral that pass its own ceiling, naming the collateral', () => {
    // Ceilings 5,000 (ETH) + 1,000,000 (WBTC): the CDP has room, ETH's vaults do not.
    const d = doc({ ceiling: 5000 }) as ScenarioInput & {
      assets: unknown[];
      venues: { collateral: Record<string, unknown> }[];
    };
    d.assets.push({ id: 'WBTC', kind: 'base', price: 60000 });
    d.venues[0]!.collateral['WBTC'] = { liquidationRatio: 1.5, debtCeiling: 1e6 };
    expectScenarioError(
      d,
      /venues\.maker\.collateral\.ETH\.debtCeiling: vaults locking ETH mint 10000 DAI, above the ceiling of 5000/,
    );
  });

  it('refuses a supply to a CDP and a vault of two collaterals', () => {
    const d = doc({}) as ScenarioInput & { accounts: { positions: unknown[] }[] };
    d.accounts[0]!.positions = [{ venue: 'maker', supply: { DAI: 10 } }];
    expectScenarioError(d, /accounts\.vault\.positions\[0\]\.supply: "maker" is a CDP/);
    const e = doc({}) as ScenarioInput & {
      accounts: { positions: unknown[] }[];
      assets: unknown[];
      venues: { collateral: Record<string, unknown> }[];
    };
    e.assets.push({ id: 'WBTC', kind: 'base', price: 60000 });
    e.venues[0]!.collateral['WBTC'] = { liquidationRatio: 1.5, debtCeiling: 1e6 };
    e.accounts[0]!.positions = [
      { venue: 'maker', deposit: { ETH: 10, WBTC: 1 }, borrow: { DAI: 100 } },
    ];
    expectScenarioError(e, /deposit: a vault of "maker" locks one collateral asset/);
  });

  it('refuses a stablecoin that is not a stable asset', () => {
    const d = doc({}) as ScenarioInput & { venues: Record<string, unknown>[] };
    d.venues[0]!['stablecoin'] = 'ETH';
    expectScenarioError(d, /venues\.maker\.stablecoin: must name a stablecoin, got "ETH"/);
  });
});

describe('one position per account on a CDP or a perp venue', () => {
  it('refuses a population with two vaults of one CDP', () => {
    const d = doc({}) as ScenarioInput & Record<string, unknown>;
    d.populations = [
      {
        name: 'twice',
        count: 2,
        positions: [
          { venue: 'maker', deposit: 'ETH', borrow: 'DAI' },
          { venue: 'maker', deposit: 'ETH', borrow: 'DAI' },
        ],
        size: { fixed: 1 },
        healthFactor: { fixed: 2 },
      },
    ];
    expectScenarioError(d, /populations\[0\]\.positions\[1\]\.venue: a second position on "maker"/);
  });
});

describe('auctions run until the tab is raised; surplus and deficit cancel', () => {
  it('keeps selling a vault that partial sales made healthy until its tab is raised', () => {
    // Two keepers of 3,000 DAI each (their ETH sales pay them back in DAI). After two sales of
    // 3,000 the vault is healthy again with 4,690 DAI owed, but its auction stays open: it ends
    // as the one-keeper auction does, debt repaid, 11,300 / 1,400 ETH sold, the rest kept.
    const d = doc({ change: -0.3, steps: 3 }) as ScenarioInput & Record<string, unknown>;
    d.liquidators = [{ id: 'keeper', count: 2, capitalEach: { DAI: 3000 }, minProfitUsd: 0 }];
    const r = runDoc(d);
    const m = r.summary.cdps['maker']!;
    expect(m.debt.end).toBeCloseTo(0, 6);
    expect(m.penaltyIncome).toBeCloseTo(1300, 6);
    expect(r.summary.liquidations.collateralSold['ETH']!.amount).toBeCloseTo(11300 / 1400, 9);
    expect(r.summary.liquidations.count).toBeGreaterThan(2);
  });

  it('heals an earlier deficit with a later penalty, whatever the order', () => {
    // B (10 ETH, 10,000 DAI) is auctioned only at step 2 (keepers priced out at step 1): 0.9 x 1,000
    // raises 9,000, a deficit of 1,000. A (10 ETH, 6,000 DAI, safe at 1,000) is liquidated at
    // step 3 when ETH falls to 800: its tab of 6,780 is raised, and its 780 of penalty cancels 780
    // of the deficit: 220 left, no surplus.
    const d = doc({ change: -0.5, gasSpike: true, steps: 3 }) as ScenarioInput &
      Record<string, unknown>;
    d.accounts = [
      { id: 'B', positions: [{ venue: 'maker', deposit: { ETH: 10 }, borrow: { DAI: 10000 } }] },
      { id: 'A', positions: [{ venue: 'maker', deposit: { ETH: 10 }, borrow: { DAI: 6000 } }] },
    ];
    d.prices = {
      ETH: {
        shocks: [
          { step: 1, change: -0.5 },
          { step: 3, change: -0.2 },
        ],
      },
    };
    const m = runDoc(d).summary.cdps['maker']!;
    // B's 9,000 was split in proportion: 9,000 x 1,300 / 11,300 to its penalty (which covered as
    // much of its own shortfall), then A's 780.
    expect(m.penaltyIncome).toBeCloseTo((9000 * 1300) / 11300 + 780, 6);
    expect(m.deficit).toBeCloseTo(220, 6);
    expect(m.surplus.end).toBeCloseTo(0, 9);
  });
});

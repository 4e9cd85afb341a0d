// A stableswap pool and a pegged asset in the engine: one liquidation's sale worked against the
// exact reference, the depeg story (fire sales of a liquid-staking token hurt loops against its peg
// through the price channel, never the shock channel), and the scenario rules.
import { describe, expect, it } from 'vitest';
import { Dec, stableswapOutExact, stableswapSpotExact } from '@contagion/core';
import { CHANNELS } from '@contagion/sim';
import { close, events, runDoc, ZERO_RATES, scenarioIssues } from './helpers.js';

const ASSETS = [
  { id: 'ETH', kind: 'base', price: 2000 },
  { id: 'USDC', kind: 'stable', price: 1 },
  { id: 'stETH', kind: 'pegged', peg: 'ETH', price: 2000 },
];
const POOL = {
  id: 'steth-eth',
  kind: 'stableswap',
  holdings: { stETH: 100000, ETH: 100000 },
  amplification: 50,
  fee: 0.0004,
};
const lendA = {
  id: 'lendA',
  kind: 'lending',
  oracle: { source: 'steth-eth' },
  assets: {
    stETH: { ltv: 0.7, liquidationThreshold: 0.75, liquidationBonus: 0.075 },
    USDC: { borrowable: true, rateModel: ZERO_RATES },
  },
};
const lendB = {
  id: 'lendB',
  kind: 'lending',
  oracle: { source: 'steth-eth' },
  assets: {
    stETH: { ltv: 0.9, liquidationThreshold: 0.93, liquidationBonus: 0.05 },
    ETH: { borrowable: true, rateModel: ZERO_RATES },
  },
};

function doc(extra: Record<string, unknown>) {
  return {
    version: 1,
    name: 'stableswap',
    seed: 5,
    step: '1h',
    steps: 1,
    assets: ASSETS,
    venues: [POOL, lendA, lendB],
    liquidators: [{ id: 'keeper', capitalEach: 'unlimited', minProfitUsd: 0, sellTo: 'steth-eth' }],
    prices: { ETH: { shocks: [{ step: 1, change: -0.1 }] } },
    ...extra,
  };
}

describe('one liquidation sold into a stableswap pool', () => {
  // bob: 100 stETH, 140,000 USDC: health 100 x 2000 x 0.75 / 140,000 = 1.071. ETH -10%: the pool
  // is balanced (spot 1), so the oracle reads stETH at 1800: health 135,000 / 140,000 = 0.964,
  // above 0.95: half the debt, 70,000 USDC, for 70,000 x 1.075 / 1800 = 41.8055... stETH.
  const r = runDoc(
    doc({
      accounts: [
        { id: 'lender', positions: [{ venue: 'lendA', supply: { USDC: 1e7 } }] },
        {
          id: 'bob',
          positions: [{ venue: 'lendA', deposit: { stETH: 100 }, borrow: { USDC: 140000 } }],
        },
      ],
    }),
  );
  const ev = events(r);

  it('seizes what the close factor and bonus give at the oracle price of 1800', () => {
    expect(ev).toHaveLength(1);
    expect(close(ev[0]!['collPrice'] as number, 1800)).toBe(true);
    expect(close(ev[0]!['repaid'] as number, 70000)).toBe(true);
    expect(close(ev[0]!['seized'] as number, (70000 * 1.075) / 1800)).toBe(true);
  });

  it('sells into the pool for what the exact StableSwap reference pays, fee on the output', () => {
    const q = new Dec(70000).times('1.075').div(1800);
    const out = stableswapOutExact(q, 100000, 100000, 50, '0.0004');
    expect(close(ev[0]!['proceeds'] as number, out.times(1800).toNumber(), 1e-12)).toBe(true);
    const spot = stableswapSpotExact(q.plus(100000), new Dec(100000).minus(out), 50);
    expect(close(ev[0]!['priceAfter'] as number, spot.times(1800).toNumber(), 1e-12)).toBe(true);
    // The depeg it leaves, in summary.json: spot of stETH in ETH, 1 at the start.
    const peg = r.summary.pegs['stETH']!.pools['steth-eth']!;
    expect(peg.start).toBe(1);
    expect(close(peg.trough, spot.toNumber(), 1e-12)).toBe(true);
    expect(close(peg.depth, 1 - spot.toNumber(), 1e-9)).toBe(true);
  });

  it("reports stETH's exogenous path as its peg's, and the pool's spot among its prices", () => {
    const rows = r.prices.filter((p) => p.asset === 'stETH' && p.step === 1);
    expect(rows.find((p) => p.source === 'exogenous')!.price).toBe(1800);
    expect(rows.map((p) => p.source)).toEqual([
      'exogenous',
      'market',
      'steth-eth',
      'lendA',
      'lendB',
    ]);
    expect(r.summary.conservation.ok).toBe(true);
  });
});

describe('the depeg story: fire sales of stETH reach stETH/ETH loops through the price channel', () => {
  const borrowers = {
    name: 'usd-borrowers',
    count: 400,
    positions: [{ venue: 'lendA', deposit: 'stETH', borrow: 'USDC' }],
    size: { lognormal: { median: 150, sigma: 0.5 } },
    healthFactor: { lognormal: { median: 1.2, sigma: 0.08 }, resampleBelow: 1.02 },
  };
  const loopers = {
    name: 'loopers',
    count: 100,
    positions: [{ venue: 'lendB', deposit: 'stETH', borrow: 'ETH' }],
    size: { lognormal: { median: 200, sigma: 0.5 } },
    healthFactor: { lognormal: { median: 1.04, sigma: 0.02 }, resampleBelow: 1.005 },
  };
  const lenders = [
    { id: 'usdc', positions: [{ venue: 'lendA', supply: { USDC: 1e9 } }] },
    { id: 'eth', positions: [{ venue: 'lendB', supply: { ETH: 1e6 } }] },
  ];
  // ETH -25%: lendA's borrowers below 1.33 are liquidated and their stETH sold into the pool.
  const shock = { ETH: { shocks: [{ step: 1, change: -0.25 }] } };
  const both = runDoc(
    doc({ steps: 3, accounts: lenders, populations: [borrowers, loopers], prices: shock }),
  );
  const alone = runDoc(doc({ steps: 3, accounts: lenders, populations: [loopers], prices: shock }));

  it('leaves the loops alone when nobody sells stETH: an ETH fall moves both legs', () => {
    expect(alone.summary.liquidations.byVenue['lendB']!.count).toBe(0);
    expect(alone.summary.pegs['stETH']!.pools['steth-eth']!.depth).toBe(0);
  });

  it('liquidates loops once liquidations elsewhere sell stETH into the pool', () => {
    const lendBCalls = events(both).filter((e) => e['venue'] === 'lendB');
    expect(lendBCalls.length).toBeGreaterThan(0);
    // Each loop first crosses the line on the price channel, never the shock channel: at exogenous
    // prices stETH and ETH move together. (A later call on a position already cut at the depressed
    // price can count as shock: the counterfactual judges the position as it stands then.)
    const firstCall = new Map<number, string>();
    for (const e of lendBCalls)
      if (!firstCall.has(e['account'] as number))
        firstCall.set(e['account'] as number, CHANNELS[e['channel'] as number]!);
    expect(new Set(firstCall.values())).toEqual(new Set(['price']));
    // The first loop call comes after the first sale of stETH by a lendA liquidation.
    const first = (v: string) => events(both).findIndex((e) => e['venue'] === v);
    expect(first('lendA')).toBeLessThan(first('lendB'));
    expect(both.summary.pegs['stETH']!.pools['steth-eth']!.depth).toBeGreaterThan(0);
    expect(both.summary.conservation.ok).toBe(true);
  });
});

describe('discount buyers in a stableswap pool', () => {
  // 850,000 stETH / 150,000 ETH at A = 50: stETH at about 0.907 ETH, past a 5% discount.
  const pool = { ...POOL, holdings: { stETH: 850000, ETH: 150000 } };
  const buyers = (capital: unknown) =>
    runDoc(
      doc({
        steps: 1,
        venues: [pool, lendA, lendB],
        prices: {},
        arbitrageurs: [{ id: 'buyer', capital, pegDiscount: 0.05 }],
        accounts: [],
      }),
    );
  const spot = (r: ReturnType<typeof runDoc>, t: number) =>
    r.prices.find((p) => p.asset === 'stETH' && p.source === 'steth-eth' && p.step === t)!.price /
    r.prices.find((p) => p.asset === 'ETH' && p.source === 'market' && p.step === t)!.price;

  it('buys stETH with ETH until the discount is back to 5%', () => {
    const r = buyers({ ETH: 1e6 });
    expect(spot(r, 0)).toBeLessThan(0.91);
    expect(Math.abs(spot(r, 1) - 0.95)).toBeLessThan(1e-9);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it('stops where its capital runs out', () => {
    const r = buyers({ ETH: 1000 });
    expect(spot(r, 1)).toBeGreaterThan(spot(r, 0));
    expect(spot(r, 1)).toBeLessThan(0.95);
    expect(r.summary.conservation.ok).toBe(true);
  });

  it("prices stETH off the pool against ETH's price, and ETH not off the stETH pool", () => {
    const r = buyers({ ETH: 1 });
    const at0 = (asset: string, source: string) =>
      r.prices.find((p) => p.step === 0 && p.asset === asset && p.source === source)!.price;
    expect(at0('ETH', 'lendB')).toBe(2000);
    const spot0 = stableswapSpotExact(850000, 150000, 50).toNumber();
    expect(close(at0('stETH', 'lendB'), spot0 * 2000, 1e-12)).toBe(true);
    expect(r.prices.some((p) => p.asset === 'ETH' && p.source === 'steth-eth')).toBe(false);
  });

  it('leaves the pool alone without a pegDiscount', () => {
    const r = runDoc(
      doc({
        steps: 1,
        venues: [pool, lendA, lendB],
        prices: {},
        arbitrageurs: [{ id: 'buyer', capital: { ETH: 1e6 } }],
        accounts: [],
      }),
    );
    expect(spot(r, 1)).toBe(spot(r, 0));
  });
});

describe('scenario rules for pegged assets and stableswap pools', () => {
  const issues = (edit: (d: ReturnType<typeof doc>) => unknown) =>
    scenarioIssues(edit(doc({ accounts: [] })), 's.yaml');
  const withAssets = (assets: unknown[]) => (d: ReturnType<typeof doc>) => ({ ...d, assets });

  it('a pegged asset names a base or stable peg; only pegged assets have one', () => {
    expect(
      issues(withAssets([ASSETS[0], ASSETS[1], { id: 'stETH', kind: 'pegged', price: 2000 }])),
    ).toContain('assets.stETH.peg: a pegged asset names its peg asset');
    expect(
      issues(withAssets([...ASSETS, { id: 'wstETH', kind: 'pegged', peg: 'stETH', price: 2300 }])),
    ).toContain('assets.wstETH.peg: must name a base or stable asset, got "stETH"');
    expect(issues(withAssets([{ ...ASSETS[0], peg: 'USDC' }, ASSETS[1], ASSETS[2]]))).toContain(
      'assets.ETH.peg: only a pegged asset has a peg (this one is base)',
    );
  });

  it('a stableswap pool pairs assets at par and has a positive amplification', () => {
    const pool = (p: Record<string, unknown>) => (d: ReturnType<typeof doc>) => ({
      ...d,
      venues: [{ ...POOL, ...p }, lendA, lendB],
    });
    expect(issues(pool({ holdings: { ETH: 10, USDC: 20000 } }))).toEqual([
      'venues.steth-eth.holdings: a stableswap pool pairs assets that trade 1:1 (two stablecoins, or a pegged asset with its peg or another claim on it, at one price), got "ETH" (base, 2000) and "USDC" (stable, 1)',
    ]);
    expect(issues(pool({ amplification: 0 }))).toEqual([
      'venues.steth-eth.amplification: must be in (0, 1e6], got 0',
    ]);
    expect(
      issues((d) => ({ ...d, arbitrageurs: [{ capital: 'unlimited', pegDiscount: 1 }] })),
    ).toEqual(['arbitrageurs[0].pegDiscount: must be in [0, 1), got 1']);
    expect(issues(pool({ holdings: { stETH: 1, ETH: 1, USDC: 1 } }))).toEqual([
      'venues.steth-eth.holdings: a stableswap pool holds exactly two assets, got {"stETH":1,"ETH":1,"USDC":1}',
    ]);
  });
});

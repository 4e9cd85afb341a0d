import { describe, expect, it } from 'vitest';
import { validateScenario } from '@contagion/core';
import { cellScenario, latinHypercube, planSweep, resolvePath, shardRuns } from './sweep.js';
import { sweepStats } from './stats.js';

const doc = (extra: Record<string, unknown> = {}) =>
  validateScenario(
    {
      version: 1,
      name: 'sweep',
      seed: 3,
      steps: 4,
      assets: [
        { id: 'ETH', kind: 'base', price: 2000 },
        { id: 'USDC', kind: 'stable', price: 1 },
        { id: 'st.ETH', kind: 'pegged', price: 2000, peg: 'ETH' },
      ],
      venues: [
        {
          id: 'lend.v2',
          kind: 'lending',
          assets: {
            ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 },
            'st.ETH': { ltv: 0.7, liquidationThreshold: 0.75, liquidationBonus: 0.05 },
            USDC: { borrowable: true },
          },
        },
      ],
      accounts: [{ id: 'lender', positions: [{ venue: 'lend.v2', supply: { USDC: 1e6 } }] }],
      populations: [
        {
          name: 'b',
          count: 5,
          positions: [{ venue: 'lend.v2', deposit: 'ETH', borrow: 'USDC' }],
          size: { fixed: 1 },
          healthFactor: { fixed: 1.2 },
        },
      ],
      prices: { ETH: { process: 'gbm', drift: 0, volatility: 0.8 } },
      ...extra,
    },
    'sweep.yaml',
  );

describe('scenario paths in sweeps', () => {
  it('names list entries by id, ids with dots included, and by index', () => {
    const s = doc();
    expect(resolvePath(s, 'venues.lend.v2.assets.st.ETH.liquidationThreshold')).toEqual([
      'venues',
      0,
      'assets',
      'st.ETH',
      'liquidationThreshold',
    ]);
    expect(resolvePath(s, 'populations[0].count')).toEqual(['populations', 0, 'count']);
    expect(resolvePath(s, 'populations.b.healthFactor.fixed')).toEqual([
      'populations',
      0,
      'healthFactor',
      'fixed',
    ]);
  });

  it('says what is there when a path names nothing, or names an object', () => {
    expect(() => resolvePath(doc(), 'venues.lend.v2.assets.BTC.ltv')).toThrow(
      'venues.lend.v2.assets has no field "BTC" (keys: ETH, st.ETH, USDC)',
    );
    expect(() => resolvePath(doc(), 'venues.lendB.closeFactor')).toThrow(
      'venues has no entry "lendB" (entries: lend.v2)',
    );
    expect(() => resolvePath(doc(), 'populations[3].count')).toThrow('has no [3]');
    expect(() => resolvePath(doc(), 'venues.lend.v2.assets')).toThrow('names an object');
  });
});

describe('sweep plans', () => {
  it('crosses grid axes, first axis slowest, with the runs of each cell in a block', () => {
    const p = planSweep(doc(), 'sweep.yaml', {
      runs: 3,
      grid: [
        { path: 'venues.lend.v2.assets.ETH.liquidationThreshold', values: [0.8, 0.85] },
        { path: 'populations.b.count', values: [5, 6, 7] },
      ],
    });
    expect(p.cells.map((c) => c.params)).toEqual([
      [0.8, 5],
      [0.8, 6],
      [0.8, 7],
      [0.85, 5],
      [0.85, 6],
      [0.85, 7],
    ]);
    expect(p.totalRuns).toBe(18);
    const v = cellScenario(p, 4).venues[0]!;
    expect(v.kind === 'lending' && v.assets['ETH']!.liquidationThreshold).toBe(0.85);
    expect(cellScenario(p, 4).populations[0]!.count).toBe(6);
    expect(p.columns.slice(0, 6)).toEqual([
      'run',
      'cell',
      'replicate',
      'seed',
      'venues.lend.v2.assets.ETH.liquidationThreshold',
      'populations.b.count',
    ]);
  });

  it('refuses a value the scenario refuses, naming the flag, the path and the value', () => {
    const bad = (values: (number | string)[]) => () =>
      planSweep(doc(), 'sweep.yaml', {
        runs: 1,
        grid: [{ path: 'venues.lend.v2.assets.ETH.liquidationThreshold', values }],
      });
    expect(bad([0.8, 1.3])).toThrow(
      /--grid venues\.lend\.v2\.assets\.ETH\.liquidationThreshold=1\.3: sweep\.yaml: venues\.lend\.v2\.assets\.ETH\.liquidationThreshold: must be in .*got 1\.3/,
    );
    expect(bad(['high'])).toThrow(/holds a number \(0\.825\), got a string/);
  });

  it('shards partition the runs: every run in exactly one shard', () => {
    const p = planSweep(doc(), 'sweep.yaml', { runs: 10 });
    const all = [0, 1, 2].flatMap((i) => shardRuns(p, i, 3)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(shardRuns(p, 1, 3)).toEqual([1, 4, 7]);
    expect(() => shardRuns(p, 3, 3)).toThrow('0 <= i < n');
  });
});

describe('Latin hypercube', () => {
  it('puts exactly one sample in each of the k strata of every axis, the same for a seed', () => {
    const axes = [
      { path: 'a', lo: 0, hi: 1 },
      { path: 'b', lo: 10, hi: 20 },
    ];
    const xs = latinHypercube(5, axes, 8);
    expect(xs).toHaveLength(8);
    axes.forEach((a, j) => {
      const strata = xs.map((x) => Math.floor(((x[j]! - a.lo) / (a.hi - a.lo)) * 8)).sort();
      expect(strata).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });
    expect(latinHypercube(5, axes, 8)).toEqual(xs);
    expect(latinHypercube(6, axes, 8)).not.toEqual(xs);
  });
});

describe('sweep statistics', () => {
  // Ten runs of one cell: notional 0, 10, ..., 90; bad debt 0 except 5 and 10 in the last two.
  const columns = ['cell', 'liquidations.count', 'liquidations.notional', 'badDebt.total'];
  const rows = Array.from({ length: 10 }, (_, i) => [0, i, 10 * i, i === 8 ? 5 : i === 9 ? 10 : 0]);
  const s = sweepStats(columns, [], rows, { confidence: [0.8, 0.95], cascadeSizes: [25, 90] });
  const c = s.cells[0]!;

  it('quantiles are the ceil(q n)-th smallest; exceedance counts strictly above', () => {
    // Above 25: 30, 40, ..., 90, seven of ten.
    // q = 0.5: the 5th smallest = 40; 0.9: the 9th = 80; 0.99: the 10th = 90.
    expect([c.cascade.p50, c.cascade.p90, c.cascade.p99, c.cascade.max]).toEqual([40, 80, 90, 90]);
    expect(c.cascade.mean).toBe(45);
    expect(c.exceedance).toEqual([
      { size: 25, probability: 0.7 },
      { size: 90, probability: 0 },
    ]);
    expect(c.lar).toEqual([
      { q: 0.8, notional: 70 },
      { q: 0.95, notional: 90 },
    ]);
  });

  it('VaR is the q-quantile of bad debt and CVaR the mean of the worst ceil((1 - q) n)', () => {
    // q = 0.8: VaR = 8th smallest = 0, CVaR = mean of the worst 2 = 7.5. q = 0.95: 10 and 10.
    expect(c.badDebt.risk).toEqual([
      { q: 0.8, var: 0, cvar: 7.5 },
      { q: 0.95, var: 10, cvar: 10 },
    ]);
    expect(c.badDebt.lossProbability).toBe(0.2);
    expect(s.curve).toEqual([]);
  });
});

describe('rows of a run', () => {
  it('leave text out (ids, quotes): the same in every run', async () => {
    const { flattenSummary } = await import('./sweep.js');
    const [names, values] = flattenSummary({
      liquidations: { count: 3 },
      options: { opt: { asset: 'ETH', hedgeVolume: 2 } },
      reach: { venuesReached: ['a', 'b'] },
      conservation: { ok: true },
    } as never);
    expect(names).toEqual([
      'liquidations.count',
      'options.opt.hedgeVolume',
      'reach.venuesReached',
      'conservation.ok',
    ]);
    expect(values).toEqual([3, 2, 'a|b', true]);
  });
});

import { buildModel, validateScenario } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { exogenousPaths } from './exogenous.js';

const scenario = (prices: unknown, steps = 200) =>
  buildModel(
    validateScenario(
      {
        version: 1,
        name: 'paths',
        steps,
        step: '1h',
        assets: [
          { id: 'ETH', kind: 'base', price: 2000 },
          { id: 'USDC', kind: 'stable', price: 1 },
        ],
        prices: { ETH: prices },
      },
      'paths',
    ),
  );

describe('exogenous paths', () => {
  it('compound scheduled shocks on the previous price; stablecoins stay put', () => {
    const m = scenario(
      {
        shocks: [
          { step: 1, change: -0.2 },
          { step: 6, change: -0.15 },
          { step: 12, change: -0.12 },
        ],
      },
      12,
    );
    const p = exogenousPaths(m, 12);
    const eth = (t: number) => p[t * 2]!;
    expect(eth(0)).toBe(2000);
    expect(eth(5)).toBeCloseTo(1600, 9);
    expect(eth(6)).toBeCloseTo(1360, 9);
    expect(eth(12)).toBeCloseTo(2000 * 0.8 * 0.85 * 0.88, 9);
    for (let t = 0; t <= 12; t++) expect(p[t * 2 + 1]).toBe(1);
  });

  it('draw GBM log returns with mean (mu - sigma^2 / 2) dt and variance sigma^2 dt', () => {
    // 400 paths x 200 hourly steps = 80,000 returns. Standard errors: mean sigma sqrt(dt / N) = 3.0e-5,
    // variance sigma^2 dt sqrt(2 / N) = 3.7e-7. Tolerances: four standard errors.
    const mu = 0.5;
    const sigma = 0.8;
    const dt = 1 / (365 * 24);
    const m = scenario({ process: 'gbm', drift: mu, volatility: sigma });
    const rets: number[] = [];
    for (let rep = 0; rep < 400; rep++) {
      const p = exogenousPaths(m, 200, rep);
      for (let t = 1; t <= 200; t++) rets.push(Math.log(p[t * 2]! / p[(t - 1) * 2]!));
    }
    const n = rets.length;
    const mean = rets.reduce((a, b) => a + b, 0) / n;
    const variance = rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - (mu - sigma ** 2 / 2) * dt)).toBeLessThan(4 * sigma * Math.sqrt(dt / n));
    expect(Math.abs(variance - sigma ** 2 * dt)).toBeLessThan(
      4 * sigma ** 2 * dt * Math.sqrt(2 / n),
    );
  });

  it('are the same for the same (seed, replicate) and differ across replicates', () => {
    const m = scenario({ process: 'gbm', volatility: 0.5 });
    expect(exogenousPaths(m, 50, 1)).toEqual(exogenousPaths(m, 50, 1));
    expect(exogenousPaths(m, 50, 2)).not.toEqual(exogenousPaths(m, 50, 1));
  });

  it('keep their first steps when the run is longer', () => {
    const m = scenario({ process: 'gbm', volatility: 0.5 });
    expect(exogenousPaths(m, 80, 4).subarray(0, 2 * 31)).toEqual(exogenousPaths(m, 30, 4));
  });
});

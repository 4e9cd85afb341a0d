// The statistical signature of each price process over long seeded paths, with tolerances stated:
// GBM's mean and variance, GJR-GARCH's long-run variance and asymmetric volatility response,
// Merton's jump frequency and compensated mean, regime switching's time shares and mixed variance,
// correlated shocks' correlation, and the exact reuse of a series by replay and block bootstrap.
import { buildModel, validateScenario } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { exogenousPaths } from './exogenous.js';

const STEP_YEARS = 3600 / (365 * 86400);

/** Log returns of each asset with a path (ETH, BTC) over `steps` hourly steps. */
function returns(
  prices: Record<string, unknown>,
  steps: number,
  extra: object = {},
  replicate = 0,
) {
  const model = buildModel(
    validateScenario(
      {
        version: 1,
        name: 'processes',
        seed: 11,
        steps,
        step: '1h',
        assets: [
          { id: 'ETH', kind: 'base', price: 2000 },
          { id: 'BTC', kind: 'base', price: 60000 },
          { id: 'USDC', kind: 'stable', price: 1 },
        ],
        prices,
        ...extra,
      },
      'processes',
    ),
  );
  const p = exogenousPaths(model, steps, replicate);
  const r = (a: number) =>
    Float64Array.from({ length: steps }, (_, t) => Math.log(p[(t + 1) * 3 + a]! / p[t * 3 + a]!));
  return { eth: r(0), btc: r(1), path: (a: number) => p.filter((_, i) => i % 3 === a) };
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: ArrayLike<number>) => {
  const m = mean(xs);
  return Array.from(xs).reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

describe('GBM', () => {
  it('has log returns of mean (mu - s^2/2) dt and variance s^2 dt', () => {
    // 200,000 steps: the standard error of the mean is s sqrt(dt / n), of the variance about
    // s^2 dt sqrt(2 / n); tolerances are 4 of them.
    const n = 200_000;
    const { eth } = returns({ ETH: { process: 'gbm', drift: 0.5, volatility: 0.8 } }, n);
    const v = 0.64 * STEP_YEARS;
    expect(Math.abs(mean(eth) - (0.5 - 0.32) * STEP_YEARS)).toBeLessThan(4 * Math.sqrt(v / n));
    expect(Math.abs(variance(eth) / v - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});

describe('GJR-GARCH', () => {
  const spec = (gamma: number) => ({
    ETH: { process: 'gjr-garch', volatility: 0.8, alpha: 0.05, gamma, beta: 0.85 },
  });

  it('returns to its long-run variance', () => {
    // Persistence 0.05 + 0.05 + 0.85 = 0.95: errors decorrelate over ~20 steps, so 300,000 steps
    // estimate the variance to a few percent; tolerance 10%.
    const { eth } = returns(spec(0.1), 300_000);
    expect(Math.abs(variance(eth) / (0.64 * STEP_YEARS) - 1)).toBeLessThan(0.1);
  });

  it('raises volatility more after a fall than after a rise (the leverage effect)', () => {
    // E[r_{t+1}^2 | r_t < 0] / E[r_{t+1}^2 | r_t > 0]: with gamma 0.1, 1 + 0.1 e^2 / h more after
    // a fall; measured, clearly above 1 (> 1.05); with gamma 0 the two agree within 3%.
    const ratio = (r: Float64Array) => {
      let down = 0;
      let nd = 0;
      let up = 0;
      let nu = 0;
      for (let t = 0; t + 1 < r.length; t++) {
        if (r[t]! < 0) {
          down += r[t + 1]! ** 2;
          nd++;
        } else {
          up += r[t + 1]! ** 2;
          nu++;
        }
      }
      return down / nd / (up / nu);
    };
    expect(ratio(returns(spec(0.1), 300_000).eth)).toBeGreaterThan(1.05);
    expect(Math.abs(ratio(returns(spec(0), 300_000).eth) - 1)).toBeLessThan(0.03);
  });

  it('refuses a non-stationary variance', () => {
    expect(() =>
      returns(
        { ETH: { process: 'gjr-garch', volatility: 0.8, alpha: 0.2, gamma: 0.2, beta: 0.8 } },
        1,
      ),
    ).toThrow(/alpha \+ gamma \/ 2 \+ beta must be below 1/);
  });
});

describe('Merton jump-diffusion', () => {
  it('jumps at its intensity, and compensates the drift', () => {
    // Pure jumps (vol 0), 50 a year of mean -5%, sd 2%: a step jumps with probability
    // 1 - e^(-50 dt) = 0.57%; over 400,000 steps, 4 standard errors of that share.
    const n = 400_000;
    const { eth } = returns(
      {
        ETH: {
          process: 'merton',
          volatility: 0,
          jumps: { intensity: 50, mean: -0.05, sigma: 0.02 },
        },
      },
      n,
    );
    const kappa = Math.exp(-0.05 + 0.0002) - 1;
    const base = -50 * kappa * STEP_YEARS;
    const jumped = Array.from(eth).filter((r) => Math.abs(r - base) > 1e-12).length / n;
    const p = 1 - Math.exp(-50 * STEP_YEARS);
    expect(Math.abs(jumped - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    // Compensation: E[e^r] = e^(drift dt) = 1 per step (drift 0); the mean of e^r is 1 within 4
    // standard errors.
    const g = Array.from(eth, (r) => Math.exp(r));
    expect(Math.abs(mean(g) - 1)).toBeLessThan(4 * Math.sqrt(variance(g) / n));
  });
});

describe('regime switching', () => {
  it('spends time in each regime by its mean duration, and mixes their variances', () => {
    // Calm (vol 40%, mean 3 days) and stressed (vol 120%, mean 1 day): shares 3/4 and 1/4; the
    // variance of returns is 0.75 x 0.16 + 0.25 x 1.44 = 0.48 a year. Tolerance 8% (regimes
    // persist, so the effective sample is smaller than the steps).
    const { eth } = returns(
      {
        ETH: {
          process: 'regimes',
          regimes: [
            { volatility: 0.4, meanDuration: '3d' },
            { volatility: 1.2, meanDuration: '1d' },
          ],
        },
      },
      300_000,
    );
    expect(Math.abs(variance(eth) / (0.48 * STEP_YEARS) - 1)).toBeLessThan(0.08);
  });
});

describe('correlated shocks', () => {
  it('correlates the assets’ log returns at rho', () => {
    // Sample correlation of 100,000 pairs: standard error (1 - rho^2) / sqrt(n); tolerance 4 of it.
    const n = 100_000;
    const { eth, btc } = returns(
      {
        ETH: { process: 'gbm', volatility: 0.8 },
        // Two GBMs: the returns' correlation is the shocks'. (With a GARCH asset it is rho times
        // E[sqrt(h)] / sqrt(E[h]) < rho: the shocks are correlated, the volatilities differ.)
        BTC: { process: 'gbm', volatility: 0.6 },
      },
      n,
      { correlations: [{ assets: ['ETH', 'BTC'], rho: 0.7 }] },
    );
    const me = mean(eth);
    const mb = mean(btc);
    let c = 0;
    for (let t = 0; t < n; t++) c += (eth[t]! - me) * (btc[t]! - mb);
    const rho = c / (n - 1) / Math.sqrt(variance(eth) * variance(btc));
    expect(Math.abs(rho - 0.7)).toBeLessThan((4 * (1 - 0.49)) / Math.sqrt(n));
  });

  it('refuses correlations that are not positive definite, and assets without a process', () => {
    const three = {
      ETH: { process: 'gbm', volatility: 0.8 },
      BTC: { process: 'gbm', volatility: 0.6 },
    };
    expect(() => returns(three, 2, { correlations: [{ assets: ['ETH', 'BTC'], rho: 1 }] })).toThrow(
      /positive definite/,
    );
    expect(() =>
      returns({ ETH: { process: 'gbm', volatility: 0.8 } }, 2, {
        correlations: [{ assets: ['ETH', 'BTC'], rho: 0.5 }],
      }),
    ).toThrow(/correlations\[0\]\.assets\[1\].*"BTC"/);
  });
});

describe('historical replay and block bootstrap', () => {
  const series = [100, 110, 99, 104.5, 120, 90, 95];

  it('replays the series’ returns from the starting price', () => {
    const { path } = returns({ ETH: { replay: { prices: series } } }, 6);
    expect(Array.from(path(0))).toEqual(series.map((x) => (2000 * x) / 100));
  });

  it('bootstraps blocks of consecutive returns, a fresh draw per replicate, the same per seed', () => {
    const log = series.slice(1).map((x, i) => Math.log(x / series[i]!));
    const run = (rep: number) =>
      returns({ ETH: { bootstrap: { prices: series, blockLength: 3 } } }, 12, {}, rep).eth;
    const a = run(0);
    // Each block of 3 is 3 consecutive returns of the series.
    for (let b = 0; b < 4; b++) {
      const block = Array.from(a.slice(3 * b, 3 * b + 3));
      const start = log.findIndex((x) => Math.abs(x - block[0]!) < 1e-12);
      expect(start).toBeGreaterThanOrEqual(0);
      block.forEach((x, k) => expect(x).toBeCloseTo(log[start + k]!, 12));
    }
    expect(Array.from(run(0))).toEqual(Array.from(a));
    const others = [1, 2, 3, 4].map((r) => Array.from(run(r)).join());
    expect(others.some((o) => o !== Array.from(a).join())).toBe(true);
  });

  it('refuses a replay shorter than the run, and blocks longer than the series', () => {
    expect(() => returns({ ETH: { replay: { prices: series } } }, 7)).toThrow(
      /prices\.ETH\.replay\.prices: holds 7 prices, the 7 steps need 8/,
    );
    expect(() => returns({ ETH: { bootstrap: { prices: series, blockLength: 7 } } }, 7)).toThrow(
      /blockLength: is longer than the 6 returns/,
    );
    expect(() => returns({ ETH: { replay: { file: 'x.csv' } } }, 2)).toThrow(
      /replay\.prices: is required: the CLI reads `file` into it/,
    );
  });
});

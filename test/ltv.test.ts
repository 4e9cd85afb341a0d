// Risk-adjusted leverage: value at risk by hand, the frontier's shape over volatility and threshold,
// and the `contagion ltv` command end to end.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '@contagion/core';
import { ltvFrontier, valueAtRisk } from '@contagion/sim';
import { cli } from './helpers.js';

/** 400 borrowers of ETH against USDC at health factors around 1.3; ETH follows a process. */
const DOC = {
  version: 1,
  name: 'ltv',
  steps: 48,
  step: '1h',
  assets: [
    { id: 'ETH', kind: 'base', price: 2000 },
    { id: 'USDC', kind: 'stable', price: 1 },
  ],
  venues: [
    {
      id: 'lend',
      kind: 'lending',
      assets: {
        ETH: { ltv: 0.775, liquidationThreshold: 0.8, liquidationBonus: 0.05 },
        USDC: { borrowable: true },
      },
    },
  ],
  liquidators: [{ id: 'liq', capitalEach: 'unlimited' }],
  accounts: [{ id: 'lp', positions: [{ venue: 'lend', supply: { USDC: 1e9 } }] }],
  populations: [
    {
      name: 'b',
      count: 400,
      positions: [{ venue: 'lend', deposit: 'ETH', borrow: 'USDC' }],
      size: { lognormal: { median: 10, sigma: 1 } },
      healthFactor: { lognormal: { median: 1.3, sigma: 0.15 }, resampleBelow: 1.02 },
    },
  ],
  impact: { ETH: { kind: 'exponential', depth: 20000 } },
  prices: { ETH: { process: 'gbm', volatility: 0.5 } },
};

describe('value at risk', () => {
  it('is the ceil(q n)-th smallest value, and CVaR the mean of the worst ceil((1 - q) n)', () => {
    // Sorted: 0 0 1 2 3 4 5 6 8 100. q 0.9: VaR the 9th smallest (8), CVaR the worst one (100).
    // q 0.5: VaR the 5th (3), CVaR the mean of the worst five (4, 5, 6, 8, 100) = 24.6.
    const xs = [0, 0, 5, 1, 2, 3, 4, 100, 8, 6];
    expect(valueAtRisk(xs, 0.9)).toEqual({ var: 8, cvar: 100 });
    expect(valueAtRisk(xs, 0.5).var).toBe(3);
    expect(valueAtRisk(xs, 0.5).cvar).toBeCloseTo(24.6, 12);
    // 0.55 x 100 is 55.000000000000007 in floats: still the 55th smallest.
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(valueAtRisk(hundred, 0.55).var).toBe(55);
    expect(valueAtRisk(hundred, 0.95).cvar).toBe(98);
  });
});

describe('the frontier', () => {
  const s = validateScenario(DOC, 'ltv');
  const f = ltvFrontier(s, 'ltv', {
    venue: 'lend',
    asset: 'ETH',
    budget: 50_000,
    paths: 30,
    volatilities: [0.3, 2],
    thresholds: [0.6, 0.8, 0.94, 0.97],
  });
  const cell = (v: number, t: number) =>
    f.cells.find((c) => c.volatility === v && c.threshold === t)!;

  it('keeps the LTV spread under each threshold and refuses thresholds past 1 / (1 + bonus)', () => {
    expect(cell(0.3, 0.6).ltv).toBeCloseTo(0.575, 12);
    // 0.97 x 1.05 > 1: not run.
    expect(cell(0.3, 0.97).feasible).toBe(false);
    expect(Number.isNaN(cell(0.3, 0.97).meanBadDebt)).toBe(true);
  });

  it('loses more at higher volatility and higher thresholds, and recommends less', () => {
    expect(cell(2, 0.94).meanBadDebt).toBeGreaterThan(cell(0.3, 0.94).meanBadDebt);
    expect(cell(2, 0.94).meanBadDebt).toBeGreaterThanOrEqual(cell(2, 0.6).meanBadDebt);
    const rec = (v: number) => f.recommended.find((r) => r.volatility === v)!.threshold ?? 0;
    expect(rec(2)).toBeLessThanOrEqual(rec(0.3));
    expect(rec(0.3)).toBe(0.94);
  });

  it('uses the same paths in every cell (common random numbers): same inputs, same bytes', () => {
    const again = ltvFrontier(s, 'ltv', {
      venue: 'lend',
      asset: 'ETH',
      budget: 50_000,
      paths: 30,
      volatilities: [2],
      thresholds: [0.94],
    });
    expect(again.cells[0]).toEqual(cell(2, 0.94));
  });
});

describe('contagion ltv', () => {
  it('prints the frontier, the recommendation per volatility, and writes the CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contagion-ltv-'));
    const file = join(dir, 'ltv.json');
    writeFileSync(file, JSON.stringify(DOC));
    const out = join(dir, 'frontier.csv');
    const r = await cli(
      'ltv',
      file,
      '--venue',
      'lend',
      '--asset',
      'ETH',
      '--budget',
      '50000',
      '--paths',
      '10',
      '--vols',
      '0.3,2',
      '--thresholds',
      '0.6:0.9:0.3',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/vol 30\.0%: highest threshold within the budget/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'volatility,threshold,ltv,feasible,meanBadDebt,varBadDebt,cvarBadDebt,lossProbability,meanLiquidations,withinBudget',
    );
    expect(csv).toHaveLength(1 + 2 * 2);
  });

  it('refuses a venue that is not a lending market, and bad lists, with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contagion-ltv-'));
    const file = join(dir, 'ltv.json');
    writeFileSync(file, JSON.stringify(DOC));
    let r = await cli('ltv', file, '--venue', 'nope', '--asset', 'ETH', '--budget', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope is not a lending market/);
    r = await cli('ltv', file, '--venue', 'lend', '--asset', 'ETH', '--budget', '1', '--vols', 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--vols must be numbers separated by commas, or lo:hi:step, got "x"/);
    r = await cli(
      'ltv',
      file,
      '--venue',
      'lend',
      '--asset',
      'ETH',
      '--budget',
      '1',
      '--confidence',
      '1',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--confidence must be a number in \(0, 1\)/);
    r = await cli('ltv', file, '--venue', 'lend', '--asset', 'USDC', '--budget', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/USDC is not collateral in lend/);
  });
});

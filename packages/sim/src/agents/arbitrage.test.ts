// Arbitrage on one ETH/USDC constant-product pool against a market with exponential impact.
import { buildModel, validateScenario } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { refreshMarketPrice } from '../prices/market.js';
import { compile, type SimState } from '../state/state.js';
import { arbitrage } from './arbitrage.js';

/** Market: ETH at 2000 x exp(-sold / 100), USDC at 1 without impact. */
const DEPTH = 100;

interface Setup {
  readonly state: SimState;
  readonly eth: number;
  readonly usdc: number;
  /** Pool sides of ETH and USDC. */
  readonly sEth: number;
  readonly sUsdc: number;
}

function setup(
  pool: { ETH: number; USDC: number },
  fee: number,
  capital: 'unlimited' | { USDC: number },
  stableFirst = false,
): Setup {
  const holdings = stableFirst ? { USDC: pool.USDC, ETH: pool.ETH } : pool;
  const model = buildModel(
    validateScenario(
      {
        version: 1,
        name: 'arb',
        assets: [
          { id: 'ETH', kind: 'base', price: 2000 },
          { id: 'USDC', kind: 'stable', price: 1 },
        ],
        venues: [{ id: 'pool', kind: 'constant-product', holdings, fee }],
        arbitrageurs: [{ id: 'arb', capital }],
        impact: { ETH: { kind: 'exponential', depth: DEPTH } },
      },
      'arb',
    ),
  );
  const state = compile(model);
  const eth = model.assetIndex.get('ETH')!;
  const usdc = model.assetIndex.get('USDC')!;
  refreshMarketPrice(state, eth);
  refreshMarketPrice(state, usdc);
  const sEth = model.pools[0]!.assets.indexOf(eth);
  return { state, eth, usdc, sEth, sUsdc: 1 - sEth };
}

/** Pool + arbitrageur + market holdings of asset `a` (the market's start at 0). */
function total(s: Setup, a: number): number {
  const side = a === s.eth ? s.sEth : s.sUsdc;
  return s.state.poolReserves[side]! + s.state.arbHoldings[0]![a]! + s.state.marketHoldings[a]!;
}

const reserves = (s: Setup) => ({
  x: s.state.poolReserves[s.sEth]!,
  y: s.state.poolReserves[s.sUsdc]!,
});

/** Relative agreement of two marginal prices: the bisection stops at 1e-12 x q. */
const PRICE_TOL = 1e-9;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('arbitrage', () => {
  for (const stableFirst of [false, true]) {
    const order = stableFirst ? 'USDC/ETH' : 'ETH/USDC';

    it(`pool cheap (${order}): buys ETH from the pool until its marginal cost meets the market's`, () => {
      // Pool 10 ETH / 15000 USDC: spot 1500 < 2000. Fee 0.3%, keep = 0.997.
      // Stop at q with k / (x - q)^2 / keep = 2000 exp(-q / 100), k = 150000: q ~ 1.28 ETH.
      const fee = 0.003;
      const keep = 1 - fee;
      const s = setup({ ETH: 10, USDC: 15000 }, fee, 'unlimited', stableFirst);
      const eth0 = total(s, s.eth);
      const usdc0 = total(s, s.usdc);
      arbitrage(s.state);
      const { x, y } = reserves(s);
      const q = 10 - x;
      expect(q).toBeGreaterThan(1.2);
      expect(q).toBeLessThan(1.4);
      const market = s.state.marketPrice[s.eth]! / s.state.marketPrice[s.usdc]!;
      expect(market).toBeCloseTo(2000 * Math.exp(-q / DEPTH), 9);
      // Marginal cost of the last ETH of the trade (along the curve of the starting reserves).
      expect(rel(150000 / (x * x) / keep, market)).toBeLessThan(PRICE_TOL);
      // The pool now sits inside its no-arbitrage band (fees kept in the pool lift its spot a little).
      expect(y / x / keep).toBeGreaterThanOrEqual(market * (1 - PRICE_TOL));
      expect((y / x) * keep).toBeLessThanOrEqual(market);
      // Tokens: the ETH left the pool for the market, the USDC went from the arbitrageur to the pool.
      expect(s.state.marketHoldings[s.eth]).toBeCloseTo(q, 9);
      expect(total(s, s.eth)).toBeCloseTo(eth0, 9);
      expect(total(s, s.usdc)).toBeCloseTo(usdc0, 9);
      expect(s.state.arbHoldings[0]![s.usdc]).toBeGreaterThan(0); // it made a profit
    });

    it(`pool dear (${order}): sells market ETH into the pool until the marginal prices meet`, () => {
      // Pool 10 ETH / 25000 USDC: spot 2500 > 2000. Stop at q with
      // 2000 exp(q / 100) = keep x k / (x + q keep)^2, k = 250000: q ~ 1.1 ETH.
      const fee = 0.003;
      const keep = 1 - fee;
      const s = setup({ ETH: 10, USDC: 25000 }, fee, 'unlimited', stableFirst);
      const eth0 = total(s, s.eth);
      const usdc0 = total(s, s.usdc);
      arbitrage(s.state);
      const { x, y } = reserves(s);
      const q = x - 10;
      expect(q).toBeGreaterThan(0.9);
      expect(q).toBeLessThan(1.3);
      const market = s.state.marketPrice[s.eth]! / s.state.marketPrice[s.usdc]!;
      expect(market).toBeCloseTo(2000 * Math.exp(q / DEPTH), 9);
      expect(rel((keep * 250000) / (10 + q * keep) ** 2, market)).toBeLessThan(PRICE_TOL);
      expect(y / x / keep).toBeGreaterThanOrEqual(market);
      expect((y / x) * keep).toBeLessThanOrEqual(market * (1 + PRICE_TOL));
      expect(s.state.marketHoldings[s.eth]).toBeCloseTo(-q, 9);
      expect(total(s, s.eth)).toBeCloseTo(eth0, 9);
      expect(total(s, s.usdc)).toBeCloseTo(usdc0, 9);
      expect(s.state.arbHoldings[0]![s.usdc]).toBeGreaterThan(0);
    });
  }

  it('without a fee the pool spot meets the market price after the trade', () => {
    // Pool 10 ETH / 15000 USDC, fee 0: (10 - q)^2 x exp(-q / 100) = 75, q ~ 1.284.
    const s = setup({ ETH: 10, USDC: 15000 }, 0, 'unlimited');
    arbitrage(s.state);
    const { x, y } = reserves(s);
    expect(x).toBeCloseTo(8.716, 3);
    expect(rel(y / x, s.state.marketPrice[s.eth]!)).toBeLessThan(PRICE_TOL);
  });

  it('pool cheap, small capital: spends exactly its 500 USDC in the pool and stops short', () => {
    // Reaching the market takes ~2200 USDC; with 500 the pool takes in 500:
    // q = x 500 keep / (y + 500 keep) = 10 x 498.5 / 15498.5 = 0.32164 ETH.
    const fee = 0.003;
    const keep = 1 - fee;
    const s = setup({ ETH: 10, USDC: 15000 }, fee, { USDC: 500 });
    const eth0 = total(s, s.eth);
    const usdc0 = total(s, s.usdc);
    arbitrage(s.state);
    const { x, y } = reserves(s);
    expect(y - 15000).toBeCloseTo(500, 6);
    expect(10 - x).toBeCloseTo((10 * 500 * keep) / (15000 + 500 * keep), 6);
    // Still cheap: the capital ran out before the prices met.
    expect(y / x / keep).toBeLessThan(s.state.marketPrice[s.eth]!);
    // Its USDC is now the market's proceeds for the ETH it sold, more than it spent.
    expect(s.state.arbHoldings[0]![s.usdc]).toBeGreaterThan(500);
    expect(total(s, s.eth)).toBeCloseTo(eth0, 9);
    expect(total(s, s.usdc)).toBeCloseTo(usdc0, 9);
  });

  it('pool dear, small capital: pays exactly its 500 USDC to the market and stops short', () => {
    const fee = 0.003;
    const keep = 1 - fee;
    const s = setup({ ETH: 10, USDC: 25000 }, fee, { USDC: 500 });
    const eth0 = total(s, s.eth);
    const usdc0 = total(s, s.usdc);
    arbitrage(s.state);
    // The market received the whole 500 USDC for q ETH: 2000 x 100 x (exp(q / 100) - 1) = 500.
    expect(s.state.marketHoldings[s.usdc]).toBeCloseTo(500, 6);
    const q = DEPTH * Math.log1p(500 / (2000 * DEPTH));
    expect(-s.state.marketHoldings[s.eth]!).toBeCloseTo(q, 9);
    const { x, y } = reserves(s);
    expect(x - 10).toBeCloseTo(q, 9);
    expect((y / x) * keep).toBeGreaterThan(s.state.marketPrice[s.eth]!); // still dear
    expect(total(s, s.eth)).toBeCloseTo(eth0, 9);
    expect(total(s, s.usdc)).toBeCloseTo(usdc0, 9);
  });

  it('leaves a pool inside its fee band alone', () => {
    // Spot 2004 with fee 0.3%: 2004 x 0.997 = 1997.99 < 2000 < 2004 / 0.997: no trade pays.
    const s = setup({ ETH: 10, USDC: 20040 }, 0.003, 'unlimited');
    arbitrage(s.state);
    expect(Array.from(s.state.poolReserves)).toEqual(s.sEth === 0 ? [10, 20040] : [20040, 10]);
    expect(Array.from(s.state.marketHoldings)).toEqual([0, 0]);
  });
});

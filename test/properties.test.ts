// Laws that hold for every system: conservation, no negative balances, monotone eligibility, same seed same bytes.
import { buildModel, healthFactorExact, validateScenario } from '@contagion/core';
import { compile, createRunner, scanMarket } from '@contagion/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ZERO = { base: 0, slope1: 0.05, kink: 0.8, slope2: 1 };

const systemArb = fc.record({
  seed: fc.integer({ min: 0, max: 10_000 }),
  nA: fc.integer({ min: 1, max: 30 }),
  nB: fc.integer({ min: 0, max: 15 }),
  nLoop: fc.integer({ min: 0, max: 8 }),
  leverage: fc.double({ min: 2, max: 14, noNaN: true }),
  hf: fc.double({ min: 1.01, max: 1.6, noNaN: true }),
  shock: fc.double({ min: -0.7, max: 0.2, noNaN: true }),
  shock2: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
  gbm: fc.boolean(),
  sellTo: fc.constantFrom('market', 'pool'),
  oracle: fc.constantFrom('market', 'pool'),
  lag: fc.integer({ min: 0, max: 2 }),
  loss: fc.constantFrom('socialise', 'deficit', 'latent'),
  cover: fc.constantFrom('treasury', 'none'),
  liqCapital: fc.constantFrom<'unlimited' | number>('unlimited', 20_000, 1_000_000),
  minProfit: fc.constantFrom(0, 50, 5000),
  arbCapital: fc.constantFrom<'unlimited' | number>('unlimited', 100_000, 0),
  poolEth: fc.double({ min: 50, max: 20_000, noNaN: true }),
  depth: fc.option(fc.double({ min: 50, max: 100_000, noNaN: true }), { nil: undefined }),
  order: fc.constantFrom('random', 'profit'),
  ltA: fc.double({ min: 0.6, max: 0.95, noNaN: true }),
  bonusShare: fc.double({ min: 0.05, max: 1, noNaN: true }),
  fullClose: fc.constantFrom<false | number>(false, 0.95, 0.5),
  // A strategy for lendB's borrowers (they sell or borrow before each step's liquidations).
  agent: fc.constantFrom('none', 'deleverage', 'stopLoss', 'looper', 'volTarget'),
  agentSellTo: fc.constantFrom('market', 'pool'),
  // Accounts with two collaterals in lendB (ETH and lendA's receipt token): the mixed group.
  // A perpetual venue on ETH with longs and shorts, cross-margin USDe priced on a USDe/USDC pool.
  perp: fc.record({
    longs: fc.integer({ min: 0, max: 20 }),
    shorts: fc.integer({ min: 0, max: 10 }),
    usdeLongs: fc.integer({ min: 0, max: 5 }),
    leverage: fc.double({ min: 1, max: 40, noNaN: true }),
    depth: fc.option(fc.double({ min: 20, max: 5000, noNaN: true }), { nil: undefined }),
    hedge: fc.double({ min: 0, max: 1, noNaN: true }),
    fund: fc.constantFrom(0, 1000, 1_000_000),
    fee: fc.constantFrom(0, 0.01),
    adl: fc.boolean(),
    adlMakers: fc.constantFrom('never', 'first', 'last'),
    expiry: fc.boolean(),
  }),
  // A CDP minting DAI against ETH, keepers who buy DAI in a DAI/USDC pool.
  cdp: fc.record({
    vaults: fc.integer({ min: 0, max: 15 }),
    ratio: fc.double({ min: 1.05, max: 2, noNaN: true }),
    penalty: fc.constantFrom(0, 0.13),
    surplus: fc.constantFrom(0, 5000),
    decay: fc.double({ min: 0.3, max: 1, noNaN: true }),
  }),
  mixers: fc.array(
    fc.record({
      eth: fc.double({ min: 0.1, max: 50, noNaN: true }),
      receipt: fc.double({ min: 100, max: 100_000, noNaN: true }),
      hf: fc.double({ min: 1.001, max: 1.4, noNaN: true }),
    }),
    { maxLength: 4 },
  ),
});

type System = typeof systemArb extends fc.Arbitrary<infer T> ? T : never;

function doc(s: System) {
  const capital = (c: 'unlimited' | number) => (c === 'unlimited' ? c : { USDC: c });
  return {
    version: 1,
    name: 'random system',
    seed: s.seed,
    steps: 4,
    assets: [
      { id: 'ETH', kind: 'base', price: 2000 },
      { id: 'USDC', kind: 'stable', price: 1 },
      { id: 'USDe', kind: 'stable', price: 1 },
      { id: 'DAI', kind: 'stable', price: 1 },
    ],
    venues: [
      {
        id: 'pool',
        kind: 'constant-product',
        holdings: { ETH: s.poolEth, USDC: s.poolEth * 2000 },
        fee: 0.003,
      },
      {
        id: 'lendA',
        kind: 'lending',
        oracle: { source: s.oracle, lag: s.lag },
        assets: {
          // Threshold x (1 + bonus) up to 1: near 1, a half-debt call can leave health lower.
          ETH: {
            ltv: s.ltA * 0.95,
            liquidationThreshold: s.ltA,
            liquidationBonus: (1 / s.ltA - 1) * s.bonusShare,
            protocolFee: 0.1,
          },
          USDC: { borrowable: true, reserveFactor: 0.1, rateModel: ZERO },
        },
        closeFactor: {
          default: 0.5,
          full: s.fullClose === false ? false : { belowHealth: s.fullClose },
        },
        badDebt: { coverFrom: s.cover, then: s.loss },
      },
      { id: 'usde', kind: 'constant-product', holdings: { USDe: 50_000, USDC: 50_000 } },
      { id: 'dai-usdc', kind: 'constant-product', holdings: { DAI: 500_000, USDC: 500_000 } },
      {
        id: 'maker',
        kind: 'cdp',
        stablecoin: 'DAI',
        oracle: { source: s.oracle, lag: s.lag },
        collateral: {
          ETH: { liquidationRatio: s.cdp.ratio, penalty: s.cdp.penalty, debtCeiling: 1e9 },
        },
        stabilityFee: 0.05,
        auction: { start: 1, decay: s.cdp.decay },
        surplusBuffer: s.cdp.surplus,
      },
      {
        id: 'perp',
        kind: 'perp',
        asset: 'ETH',
        quote: 'USDC',
        initialMargin: 0.02,
        maintenanceMargin: 0.01,
        ...(s.perp.expiry ? { expiry: { atStep: 3, basis: 0.2 } } : { funding: {} }),
        ...(s.perp.depth === undefined ? {} : { book: { depth: s.perp.depth } }),
        spotHedge: s.perp.hedge,
        liquidationFee: s.perp.fee,
        insuranceFund: s.perp.fund,
        adl: s.perp.adl,
        adlMakers: s.perp.adlMakers,
        collateral: { USDe: { haircut: 0.1, priceFrom: 'usde' } },
      },
      {
        id: 'lendB',
        kind: 'lending',
        oracle: { source: s.oracle, lag: s.lag },
        assets: {
          ETH: { ltv: 0.75, liquidationThreshold: 0.8, liquidationBonus: 0.08 },
          'aUSDC-lendA': { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 0.01 },
          USDC: { borrowable: true, rateModel: ZERO },
        },
        badDebt: { then: s.loss },
      },
    ],
    arbitrageurs: [{ capital: capital(s.arbCapital) }],
    liquidators: [
      { count: 3, capitalEach: capital(s.liqCapital), minProfitUsd: s.minProfit, sellTo: s.sellTo },
      { id: 'keeper', capitalEach: { USDC: 1_000_000 }, fundFrom: 'dai-usdc' },
    ],
    liquidation: { order: s.order },
    accounts: [
      { id: 'bank', positions: [{ venue: 'lendB', supply: { USDC: 5_000_000 } }] },
      ...s.mixers.map((x, i) => ({
        id: `mixer${i}`,
        positions: [
          { venue: 'lendA', supply: { USDC: x.receipt } },
          {
            venue: 'lendB',
            deposit: { ETH: x.eth, 'aUSDC-lendA': x.receipt },
            borrow: { USDC: (x.eth * 2000 * 0.75 + x.receipt * 0.93) / x.hf },
          },
        ],
      })),
    ],
    populations: [
      {
        name: 'sA',
        count: 2,
        positions: [{ venue: 'lendA', supply: 'USDC' }],
        size: { fixed: 2_000_000 },
      },
      {
        name: 'sB',
        count: 2,
        positions: [{ venue: 'lendB', supply: 'USDC' }],
        size: { fixed: 2_000_000 },
      },
      {
        name: 'bA',
        count: s.nA,
        positions: [{ venue: 'lendA', deposit: 'ETH', borrow: 'USDC' }],
        size: { lognormal: { median: 5, sigma: 1 } },
        healthFactor: { lognormal: { median: s.hf, sigma: 0.2 }, resampleBelow: 1.001 },
      },
      {
        name: 'bB',
        count: s.nB,
        positions: [{ venue: 'lendB', deposit: 'ETH', borrow: 'USDC' }],
        size: { lognormal: { median: 5, sigma: 1 } },
        healthFactor: { lognormal: { median: s.hf, sigma: 0.2 }, resampleBelow: 1.001 },
        ...(s.agent === 'none'
          ? {}
          : {
              agent: {
                kind: s.agent,
                sellTo: s.agentSellTo,
                params:
                  s.agent === 'deleverage'
                    ? { below: 1.1, to: 1.3 }
                    : s.agent === 'stopLoss'
                      ? { drop: 0.15 }
                      : s.agent === 'looper'
                        ? { below: 1.05, above: 1.2, target: 1.12 }
                        : { budgetUsd: 2000, window: 2, z: 2, band: 0.1 },
              },
            }),
      },
      ...(
        [
          ['perp-longs', s.perp.longs, 'USDC', 'long'],
          ['perp-shorts', s.perp.shorts, 'USDC', 'short'],
          ['perp-usde', s.perp.usdeLongs, 'USDe', 'long'],
        ] as const
      ).map(([name, count, margin, side]) => ({
        name,
        count,
        positions: [
          {
            venue: 'perp',
            margin,
            side,
            leverage: { lognormal: { median: s.perp.leverage, sigma: 0.5 } },
          },
        ],
        size: { lognormal: { median: 5000, sigma: 1 } },
      })),
      {
        name: 'vaults',
        count: s.cdp.vaults,
        positions: [{ venue: 'maker', deposit: 'ETH', borrow: 'DAI' }],
        size: { lognormal: { median: 5, sigma: 1 } },
        healthFactor: { lognormal: { median: s.hf, sigma: 0.2 }, resampleBelow: 1.001 },
      },
      {
        name: 'loop',
        count: s.nLoop,
        strategy: {
          loop: {
            supply: { venue: 'lendA', asset: 'USDC' },
            pledgeIn: 'lendB',
            targetLeverage: s.leverage,
          },
        },
        size: { lognormal: { median: 10_000, sigma: 0.5 } },
      },
    ],
    prices: {
      ETH: s.gbm
        ? { process: 'gbm', volatility: 3 }
        : {
            shocks: [
              { step: 1, change: s.shock },
              { step: 3, change: s.shock2 },
            ],
          },
    },
    impact: s.depth === undefined ? {} : { ETH: { kind: 'exponential', depth: s.depth } },
  };
}

const model = (s: System) => buildModel(validateScenario(doc(s), 'random'), 'random');

describe('laws over random systems', () => {
  it('conserves every asset over every holder, and leaves no negative debt or collateral', () => {
    fc.assert(
      fc.property(systemArb, (s) => {
        const runner = createRunner(model(s));
        const r = runner.run({ auditEachStep: true });
        expect(r.summary.conservation.ok).toBe(true);
        expect(r.worstStepAudit.ok).toBe(true);
        for (const ms of runner.state.markets) {
          for (const col of [...ms.coll, ...ms.debt])
            for (const x of col) expect(x).toBeGreaterThanOrEqual(0);
          for (const x of ms.cash) expect(x).toBeGreaterThanOrEqual(-1e-6);
        }
        // Perpetual accounts: collateral never negative; a closed position owes nothing (its
        // shortfall went to the fund, ADL or the deficit); the fund never below zero.
        for (const ps of runner.state.perps) {
          for (const col of ps.coll) for (const x of col) expect(x).toBeGreaterThanOrEqual(0);
          for (let i = 0; i < ps.rows; i++)
            if (ps.size[i] === 0) expect(ps.cash[i]).toBeGreaterThanOrEqual(-1e-6);
          expect(ps.insurance).toBeGreaterThanOrEqual(0);
          expect(ps.deficit).toBeGreaterThanOrEqual(0);
        }
        expect(r.summary.badDebt.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60, seed: 20261126 },
    );
  });

  it('gives the same bytes for the same seed, and reuses a runner without carrying state over', () => {
    fc.assert(
      fc.property(systemArb, (s) => {
        const m = model(s);
        const a = createRunner(m).run();
        const runner = createRunner(m);
        runner.run();
        const b = runner.run();
        expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
        expect(JSON.stringify(b.steps)).toBe(JSON.stringify(a.steps));
        expect(b.events.length).toBe(a.events.length);
        for (let i = 0; i < a.events.length; i++) expect(b.events.get(i)).toEqual(a.events.get(i));
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  it('never shrinks the eligible set when the price of a pledged, not owed, asset falls', () => {
    fc.assert(
      fc.property(systemArb, fc.double({ min: 0.01, max: 1, noNaN: true }), (s, factor) => {
        const state = compile(model(s));
        for (const ms of state.markets) {
          ms.info.collReserves.forEach(
            (ri, k) => (ms.collW[k] = 1600 * ms.info.reserves[ri]!.liquidationThreshold),
          );
          ms.debtW.fill(1);
          const before = new Set(ms.eligible.subarray(0, scanMarket(ms)));
          ms.collW[0] = ms.collW[0]! * factor; // ETH is the first collateral slot of both markets
          const after = new Set(ms.eligible.subarray(0, scanMarket(ms)));
          for (const i of before) expect(after.has(i)).toBe(true);
        }
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('finds exactly the rows a brute-force scan finds, after a run and at any later prices', () => {
    fc.assert(
      fc.property(
        systemArb,
        fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (s, moves) => {
          const runner = createRunner(model(s));
          runner.run();
          for (const ms of runner.state.markets) {
            const base = Float64Array.from(ms.collW);
            for (const move of moves) {
              // Prices up and down from where the run ended: rows liquidated during the run have moved
              // away from their place in the ordered book, and the scan must still find them.
              ms.info.collReserves.forEach((_, k) => (ms.collW[k] = (base[k] || 1000) * move));
              const found = Array.from(ms.eligible.subarray(0, scanMarket(ms)));
              const brute: number[] = [];
              for (let i = 0; i < ms.rows; i++) {
                let c = 0;
                let d = 0;
                ms.coll.forEach((col, k) => (c += col[i]! * ms.collW[k]!));
                ms.debt.forEach((col, k) => (d += col[i]! * ms.debtW[k]!));
                if (c < d && c > 0) brute.push(i);
              }
              expect(found).toEqual(brute);
            }
          }
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });

  it('exact health never rises when a pledged asset that is not owed gets cheaper', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 0.999, noNaN: true }),
        (amount, price, cut, debt, lt) => {
          const h = (p: number) =>
            healthFactorExact(
              [
                { amount, price: p, liquidationThreshold: lt },
                { amount: 1, price: 1, liquidationThreshold: 0.9 },
              ],
              [{ amount: debt, price: 1 }],
            );
          expect(h(price * cut).lte(h(price))).toBe(true);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

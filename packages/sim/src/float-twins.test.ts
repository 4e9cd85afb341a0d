// The engine's float math against core's exact decimal references, over random inputs.
import {
  borrowRate,
  borrowRateExact,
  buildModel,
  constantProductOutExact,
  impactProceedsExact,
  stableswapIn,
  stableswapOut,
  stableswapOutExact,
  stableswapSpot,
  stableswapSpotExact,
  validateScenario,
} from '@contagion/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolQuote } from './pools/pool.js';
import { impactProceeds } from './prices/impact.js';
import { compile } from './state/state.js';

/** Relative agreement required of the float twins (a few ulps of accumulated rounding). */
const TOL = 1e-12;
const close = (a: number, exact: { toNumber(): number }) => {
  const b = exact.toNumber();
  return Math.abs(a - b) <= TOL * Math.max(Math.abs(b), 1e-300);
};
const pos = (min: number, max: number) => fc.double({ min, max, noNaN: true });

describe('float twins of the exact references', () => {
  it('stableswapOut and stableswapSpot agree with the exact references', () => {
    fc.assert(
      fc.property(
        pos(1, 1e8),
        pos(1, 1e8),
        pos(0.01, 1e4),
        pos(1e-6, 2),
        pos(0, 0.01),
        (x, y, amp, share, fee) => {
          // Trades up to twice the in balance: deep into the curve's product-like tail.
          const dx = x * share;
          const e = stableswapOutExact(dx, x, y, amp, fee);
          const f = stableswapOut(dx, x, y, amp, fee);
          // The output is a difference of balances: its error is relative to the balance.
          expect(Math.abs(f - e.toNumber())).toBeLessThanOrEqual(1e-11 * y);
          expect(close(stableswapSpot(x, y, amp), stableswapSpotExact(x, y, amp))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stableswapIn inverts stableswapOut', () => {
    fc.assert(
      fc.property(
        pos(1, 1e8),
        pos(1, 1e8),
        pos(0.01, 1e4),
        pos(1e-6, 0.9),
        pos(0, 0.01),
        (x, y, amp, share, fee) => {
          const want = y * share * (1 - fee);
          const dx = stableswapIn(want, x, y, amp, fee);
          expect(Math.abs(stableswapOut(dx, x, y, amp, fee) - want)).toBeLessThanOrEqual(1e-9 * y);
        },
      ),
      { numRuns: 300 },
    );
    expect(stableswapIn(10, 5, 10, 50, 0)).toBe(Infinity);
  });

  it('impactProceeds agrees with impactProceedsExact (both kinds)', () => {
    fc.assert(
      fc.property(
        pos(1, 1e5),
        pos(0, 1e4),
        pos(1e-6, 1e4),
        pos(10, 1e6),
        fc.boolean(),
        (p, q0, q, depth, linear) => {
          const kind = linear ? 'linear' : 'exponential';
          const f = impactProceeds(kind, p, q0, q, depth);
          const e = impactProceedsExact(kind, p, q0, q, depth);
          if (e.isZero()) expect(Math.abs(f)).toBeLessThan(1e-9 * p * q);
          else expect(close(f, e)).toBe(true);
        },
      ),
      { numRuns: 500, seed: 2 },
    );
  });

  it('poolQuote agrees with constantProductOutExact', () => {
    const state = compile(
      buildModel(
        validateScenario(
          {
            version: 1,
            name: 'pool',
            assets: [
              { id: 'ETH', kind: 'base', price: 2000 },
              { id: 'USDC', kind: 'stable', price: 1 },
            ],
            venues: [
              { id: 'p', kind: 'constant-product', holdings: { ETH: 1, USDC: 1 }, fee: 0.003 },
            ],
          },
          'pool',
        ),
      ),
    );
    fc.assert(
      fc.property(
        pos(1, 1e7),
        pos(1, 1e10),
        pos(1e-6, 1e7),
        fc.integer({ min: 0, max: 1 }),
        (x, y, amount, side) => {
          state.poolReserves[0] = x;
          state.poolReserves[1] = y;
          const rin = side === 0 ? x : y;
          const rout = side === 0 ? y : x;
          expect(
            close(
              poolQuote(state, 0, side, amount),
              constantProductOutExact(amount, rin, rout, 0.003),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });

  it('borrowRate agrees with borrowRateExact below, at and above the kink', () => {
    fc.assert(
      fc.property(
        pos(0, 0.1),
        pos(0, 0.3),
        pos(0.05, 0.95),
        pos(0, 3),
        pos(0, 1),
        (base, slope1, kink, slope2, u) => {
          const m = { base, slope1, kink, slope2 };
          const e = borrowRateExact(m, u);
          if (e.isZero()) expect(borrowRate(m, u)).toBe(0);
          else expect(close(borrowRate(m, u), e)).toBe(true);
        },
      ),
      { numRuns: 500, seed: 4 },
    );
  });
});

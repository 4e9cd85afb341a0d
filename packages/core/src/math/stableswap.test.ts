import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec } from '../numeric/decimal.js';
import { constantProductOutExact } from './amm.js';
import {
  stableswapDExact,
  stableswapOutExact,
  stableswapSpotExact,
  stableswapYExact,
} from './stableswap.js';

// Egorov (2019), two coins, in Curve's contract form with Ann = A x n:
//   Ann (x + y) + D = Ann D + D^3 / (4 x y).
const invariantGap = (x: Dec, y: Dec, D: Dec, amp: number): Dec => {
  const ann = new Dec(amp).times(2); // not new Dec(amp * 2): the float product has its own decimal
  const lhs = ann.times(x.plus(y)).plus(D);
  const rhs = ann.times(D).plus(D.pow(3).div(x.times(y).times(4)));
  return lhs.minus(rhs).abs().div(D);
};

describe('stableswap invariant D', () => {
  it('is the sum of balances when the pool is balanced, for any A', () => {
    // x = y = D/2: D^3 / (4 (D/2)^2) = D, so both sides equal Ann D + D.
    for (const amp of [0.5, 1, 50, 2000])
      expect(stableswapDExact(1000, 1000, amp).minus(2000).abs().lt('1e-30')).toBe(true);
  });

  it('solves the invariant for an unbalanced pool, and lies between the product and sum bounds', () => {
    const x = new Dec(1500);
    const y = new Dec(500);
    const D = stableswapDExact(x, y, 50);
    expect(invariantGap(x, y, D, 50).lt('1e-30')).toBe(true);
    // 2 sqrt(x y) <= D <= x + y (constant product and constant sum).
    expect(D.gt(x.times(y).sqrt().times(2))).toBe(true);
    expect(D.lt(2000)).toBe(true);
  });
});

describe('stableswapOutExact', () => {
  it('works a swap by hand: 500 into a balanced 1000/1000 pool at A = 50', () => {
    // D = 2000, Ann = 100. New x = 1500: c = D^3 / (4 x Ann) = 8e9 / 6e5 = 13333.33...,
    // b - D = 1500 + 2000/100 - 2000 = -480; y = (480 + sqrt(480^2 + 4c)) / 2.
    const c = new Dec(8e9).div(6e5);
    const y = new Dec(480).plus(new Dec(480 * 480).plus(c.times(4)).sqrt()).div(2);
    const out = stableswapOutExact(500, 1000, 1000, 50);
    expect(out.minus(new Dec(1000).minus(y)).abs().lt('1e-30')).toBe(true);
    // About 493.667: close to par for a 3:1 imbalance, where a constant product pays 333.33.
    expect(out.toFixed(3)).toBe('493.667');
    expect(invariantGap(new Dec(1500), y, new Dec(2000), 50).lt('1e-30')).toBe(true);
  });

  it('takes the fee on the output', () => {
    const gross = stableswapOutExact(500, 1000, 1000, 50);
    const net = stableswapOutExact(500, 1000, 1000, 50, 0.0004);
    expect(net.minus(gross.times('0.9996')).abs().lt('1e-30')).toBe(true);
  });

  it('tends to the constant product as A -> 0 and to the constant sum as A -> infinity', () => {
    const cp = constantProductOutExact(300, 1000, 2000);
    const low = stableswapOutExact(300, 1000, 2000, 1e-12);
    expect(low.minus(cp).abs().div(cp).lt('1e-9')).toBe(true);
    const high = stableswapOutExact(300, 1000, 1000, 1e12);
    expect(high.minus(300).abs().lt('1e-6')).toBe(true);
  });

  it('keeps D (no fee) and the new balance solves the invariant', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        (x, y, amp, share) => {
          const dx = x * share;
          const D = stableswapDExact(x, y, amp);
          const yNew = stableswapYExact(new Dec(x).plus(dx), D, amp);
          const out = stableswapOutExact(dx, x, y, amp);
          return (
            out.gt(0) &&
            out.lte(new Dec(y)) &&
            invariantGap(new Dec(x).plus(dx), yNew, D, amp).lt('1e-25')
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('stableswapSpotExact', () => {
  it('is 1 when balanced and the limit of out/in for a small trade', () => {
    expect(stableswapSpotExact(1000, 1000, 50).minus(1).abs().lt('1e-30')).toBe(true);
    const spot = stableswapSpotExact(1500, 500, 50);
    const eps = new Dec('1e-12');
    const fd = stableswapOutExact(eps, 1500, 500, 50).div(eps);
    expect(spot.minus(fd).abs().div(spot).lt('1e-10')).toBe(true);
    // The coin the pool holds more of is worth less.
    expect(spot.lt(1)).toBe(true);
  });
});

// Black-Scholes prices and Greeks: a published worked example, put-call parity, finite differences
// of repriced options, the float path against the decimal reference, and the smile's delta.
import { describe, expect, it } from 'vitest';
import {
  blackScholes,
  blackScholesExact,
  normalCdf,
  smileGreeks,
  smileVol,
  type OptionInputs,
  type Smile,
} from './options.js';

describe('Black-Scholes', () => {
  it('prices Hull’s worked example: S 42, K 40, r 10%, vol 20%, six months', () => {
    // Hull, Options, Futures, and Other Derivatives: d1 = 0.7693, d2 = 0.6278, c = 4.76, p = 0.81.
    const o = { spot: 42, strike: 40, expiry: 0.5, vol: 0.2, rate: 0.1 };
    expect(blackScholes({ ...o, kind: 'call' }).price).toBeCloseTo(4.76, 2);
    expect(blackScholes({ ...o, kind: 'put' }).price).toBeCloseTo(0.81, 2);
    expect(normalCdf(0.7693)).toBeCloseTo(0.7791, 4);
    expect(normalCdf(0.6278)).toBeCloseTo(0.7349, 4);
  });

  it('keeps put-call parity: c - p = S - K e^(-rT)', () => {
    for (const [S, K, T, v, r] of [
      [100, 100, 1, 0.2, 0.05],
      [2000, 1500, 0.1, 0.9, 0],
      [2000, 2600, 0.02, 0.6, 0.03],
    ] as const) {
      const o = { spot: S, strike: K, expiry: T, vol: v, rate: r };
      const c = blackScholes({ ...o, kind: 'call' });
      const p = blackScholes({ ...o, kind: 'put' });
      expect(c.price - p.price).toBeCloseTo(S - K * Math.exp(-r * T), 9);
      // Deltas differ by 1; gamma, vega, vanna, volga are the same for both.
      expect(c.delta - p.delta).toBeCloseTo(1, 12);
      expect(c.gamma).toBeCloseTo(p.gamma, 14);
      expect(c.vega).toBeCloseTo(p.vega, 10);
      const ce = blackScholesExact({ ...o, kind: 'call' });
      const pe = blackScholesExact({ ...o, kind: 'put' });
      const parity = ce.price.minus(pe.price).minus(S - K * Math.exp(-r * T));
      expect(Math.abs(parity.toNumber())).toBeLessThan(1e-9);
    }
  });

  it('has Greeks equal to finite differences of repriced options', () => {
    const base: OptionInputs = {
      kind: 'put',
      spot: 2000,
      strike: 1800,
      expiry: 0.08,
      vol: 0.7,
      rate: 0.02,
    };
    const price = (o: Partial<OptionInputs>) => blackScholes({ ...base, ...o }).price;
    const g = blackScholes(base);
    const hS = 0.5;
    const hV = 1e-4;
    const hT = 1e-6;
    // Central differences: error of order h^2 (about 1e-7 here for delta).
    expect((price({ spot: 2000 + hS }) - price({ spot: 2000 - hS })) / (2 * hS)).toBeCloseTo(
      g.delta,
      6,
    );
    expect(
      (price({ spot: 2000 + hS }) - 2 * g.price + price({ spot: 2000 - hS })) / (hS * hS),
    ).toBeCloseTo(g.gamma, 7);
    expect((price({ vol: 0.7 + hV }) - price({ vol: 0.7 - hV })) / (2 * hV)).toBeCloseTo(g.vega, 5);
    // Theta per year: the value change as calendar time passes, -dV/dT.
    expect(-(price({ expiry: 0.08 + hT }) - price({ expiry: 0.08 - hT })) / (2 * hT)).toBeCloseTo(
      g.theta,
      2,
    );
    const delta = (o: Partial<OptionInputs>) => blackScholes({ ...base, ...o }).delta;
    const vega = (o: Partial<OptionInputs>) => blackScholes({ ...base, ...o }).vega;
    expect((delta({ vol: 0.7 + hV }) - delta({ vol: 0.7 - hV })) / (2 * hV)).toBeCloseTo(
      g.vanna,
      6,
    );
    expect((vega({ vol: 0.7 + hV }) - vega({ vol: 0.7 - hV })) / (2 * hV)).toBeCloseTo(g.volga, 4);
  });

  it('agrees with the decimal reference to 1e-11 relative (absolute below 1e-11)', () => {
    for (const kind of ['call', 'put'] as const)
      for (const S of [500, 1800, 2000, 2200, 4000])
        for (const T of [0.01, 0.25, 2])
          for (const v of [0.05, 0.6, 1.5]) {
            const o = { kind, spot: S, strike: 2000, expiry: T, vol: v, rate: 0.03 };
            const f = blackScholes(o);
            const e = blackScholesExact(o);
            for (const key of [
              'price',
              'delta',
              'gamma',
              'vega',
              'theta',
              'vanna',
              'volga',
            ] as const) {
              const x = e[key].toNumber();
              expect(Math.abs(f[key] - x)).toBeLessThanOrEqual(1e-11 * Math.max(1, Math.abs(x)));
            }
          }
  });

  it('refuses a non-positive spot, strike, expiry or volatility', () => {
    expect(() => blackScholes({ kind: 'call', spot: 1, strike: 1, expiry: 0, vol: 0.2 })).toThrow(
      /expiry must be a positive finite number, got 0/,
    );
    expect(() => blackScholes({ kind: 'call', spot: 1, strike: -1, expiry: 1, vol: 0.2 })).toThrow(
      /strike/,
    );
  });
});

describe('the smile and the delta hedgers use', () => {
  const smile: Smile = { atm: 0.6, skew: -0.4, curvature: 0.8, floor: 0.1 };

  it('reads vol at log-moneyness: puts dearer than calls under a negative skew', () => {
    expect(smileVol(smile, 0)).toBe(0.6);
    expect(smileVol(smile, -0.2)).toBeCloseTo(0.6 + 0.08 + 0.032, 12);
    expect(smileVol(smile, 0.2)).toBeCloseTo(0.6 - 0.08 + 0.032, 12);
    expect(smileVol({ ...smile, atm: 0.05 }, 0.3)).toBe(0.1);
  });

  it('gives the smile-consistent delta: the derivative of the price as the smile moves with spot', () => {
    const o = { kind: 'put' as const, strike: 1800, expiry: 0.1, rate: 0.01 };
    const price = (S: number) => smileGreeks({ ...o, spot: S }, smile).price;
    const h = 0.05;
    const fd = (price(2000 + h) - price(2000 - h)) / (2 * h);
    const g = smileGreeks({ ...o, spot: 2000 }, smile, 'sticky-moneyness');
    expect(g.delta).toBeCloseTo(fd, 7);
    // Sticky strike: the vol stays at the strike's, so delta is Black-Scholes delta at that vol.
    const ss = smileGreeks({ ...o, spot: 2000 }, smile, 'sticky-strike');
    expect(ss.delta).toBeCloseTo(blackScholes({ ...o, spot: 2000, vol: ss.vol }).delta, 14);
    // The slope at the put's strike is negative: a higher spot moves the strike further down the
    // smile, where vol is higher, so the smile adds vega x (-slope / S) > 0 to the delta.
    expect(g.delta).toBeGreaterThan(ss.delta);
  });
});

describe('the reference in the tails', () => {
  it('keeps its digits where the float path rounds to 0 or 1', () => {
    // A put struck at 5% of the spot, 0.1 year out at 20% vol: -d2 is about -47, so its value is
    // positive but below 1e-100 (the float path's 0), which the continued fraction keeps.
    const far = blackScholesExact({ kind: 'put', spot: 2000, strike: 100, expiry: 0.1, vol: 0.2 });
    expect(far.price.gt(0)).toBe(true);
    expect(far.price.lt('1e-100')).toBe(true);
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(() =>
      blackScholes({ kind: 'call', spot: 1, strike: 1, expiry: 1, vol: 0.2, rate: Number.NaN }),
    ).toThrow(/rate must be a finite number/);
  });
});

describe('a smile whose ATM level moves with the spot', () => {
  it('adds vega x d atm / d S to the smile-consistent delta', () => {
    // atm(S) = 0.6 - 1 x ln(S / 2000): the price as a function of S, its slope by central
    // differences, against smileGreeks with atmSlope = -1 / S.
    const base: Smile = { atm: 0.6, skew: -0.3, curvature: 0.4, floor: 0.1 };
    const o = { kind: 'put' as const, strike: 1900, expiry: 0.02 };
    const at = (S: number) =>
      smileGreeks({ ...o, spot: S }, { ...base, atm: 0.6 - Math.log(S / 2000) }).price;
    const h = 0.01;
    const fd = (at(1950 + h) - at(1950 - h)) / (2 * h);
    const smile = { ...base, atm: 0.6 - Math.log(1950 / 2000) };
    const g = smileGreeks({ ...o, spot: 1950 }, smile, 'sticky-moneyness', -1 / 1950);
    expect(g.delta).toBeCloseTo(fd, 6);
  });
});

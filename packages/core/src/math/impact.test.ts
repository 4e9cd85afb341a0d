import { describe, expect, it } from 'vitest';
import { impactFactorExact, impactProceedsExact } from './impact.js';

// Reference constants from Python's decimal module at 50 digits (independent of decimal.js):
//   exp(-1)     = 0.36787944117144232159552377016146086744581113103177
//   1 - exp(-1) = 0.63212055882855767840447622983853913255418886896823

describe('impactFactorExact', () => {
  it('exponential: exp(-q / depth)', () => {
    expect(impactFactorExact('exponential', 0, 400_000).eq(1)).toBe(true);
    // Selling one depth moves the price by 1/e.
    expect(
      impactFactorExact('exponential', 400_000, 400_000).toSignificantDigits(30).toString(),
    ).toBe('0.367879441171442321595523770161');
    // Net purchases raise the price: exp(+1) = 2.71828182845904523536...
    expect(
      impactFactorExact('exponential', -400_000, 400_000).toSignificantDigits(21).toString(),
    ).toBe('2.71828182845904523536');
  });

  it('exponential factors compose: f(a + b) = f(a) x f(b)', () => {
    const fa = impactFactorExact('exponential', 123_456, 400_000);
    const fb = impactFactorExact('exponential', 7_890, 400_000);
    const fab = impactFactorExact('exponential', 131_346, 400_000);
    expect(fa.times(fb).minus(fab).abs().lt('1e-35')).toBe(true);
  });

  it('linear: max(0, 1 - q / depth), clipped at depth', () => {
    expect(impactFactorExact('linear', 250, 1000).toString()).toBe('0.75');
    expect(impactFactorExact('linear', 1000, 1000).isZero()).toBe(true);
    expect(impactFactorExact('linear', 1500, 1000).isZero()).toBe(true);
    expect(impactFactorExact('linear', -100, 1000).toString()).toBe('1.1');
  });
});

describe('impactProceedsExact (exponential)', () => {
  it('is P x D x (exp(-q0/D) - exp(-q1/D))', () => {
    // P = 2000, D = 400000, selling one depth from 0: 2000 x 400000 x (1 - 1/e)
    //   = 8e8 x 0.632120558828557678404476229838... = 505696447.06284614272358098387...
    const p = impactProceedsExact('exponential', 2000, 0, 400_000, 400_000);
    expect(p.toSignificantDigits(29).toString()).toBe('505696447.06284614272358098387');
    // From q0 = 100000 to q1 = 300000: 8e8 x (e^-0.25 - e^-0.75) = 245147384.26431212888569897283...
    const q = impactProceedsExact('exponential', 2000, 100_000, 200_000, 400_000);
    expect(q.toSignificantDigits(29).toString()).toBe('245147384.26431212888569897283');
  });

  it('sells between the end prices: P f(q1) a < proceeds < P f(q0) a', () => {
    const p = impactProceedsExact('exponential', 2000, 100_000, 200_000, 400_000);
    const hi = impactFactorExact('exponential', 100_000, 400_000).times(2000 * 200_000);
    const lo = impactFactorExact('exponential', 300_000, 400_000).times(2000 * 200_000);
    expect(p.gt(lo) && p.lt(hi)).toBe(true);
  });

  it('a small sale fetches about price x amount', () => {
    // 1 ETH against D = 400000: P x D x (1 - e^(-1/D)) = 2000 x (1 - 1/(2D) + ...) = 1999.9975...
    const p = impactProceedsExact('exponential', 2000, 0, 1, 400_000);
    expect(p.toSignificantDigits(8).toString()).toBe('1999.9975');
  });

  it('is additive: selling a then b equals selling a + b', () => {
    const a = impactProceedsExact('exponential', 2000, 0, 30_000, 400_000);
    const b = impactProceedsExact('exponential', 2000, 30_000, 70_000, 400_000);
    const ab = impactProceedsExact('exponential', 2000, 0, 100_000, 400_000);
    expect(a.plus(b).minus(ab).abs().lt('1e-28')).toBe(true);
  });

  it('is memoryless: proceeds after q0 = f(q0) x proceeds from 0', () => {
    const later = impactProceedsExact('exponential', 2000, 50_000, 10_000, 400_000);
    const fresh = impactProceedsExact('exponential', 2000, 0, 10_000, 400_000);
    const f = impactFactorExact('exponential', 50_000, 400_000);
    expect(later.minus(f.times(fresh)).abs().lt('1e-28')).toBe(true);
  });
});

describe('impactProceedsExact (linear)', () => {
  // P = 2000, D = 1000: integral of (1 - q/D) from lo to hi = (hi - lo) - (hi^2 - lo^2) / (2D)
  it('integrates 1 - q/D', () => {
    // 0 -> 200: 200 - 40000/2000 = 180 (mean factor (1 + 0.8)/2 = 0.9); x 2000 = 360000
    expect(impactProceedsExact('linear', 2000, 0, 200, 1000).toString()).toBe('360000');
    // 200 -> 500: 300 - (250000 - 40000)/2000 = 195 (mean factor 0.65); x 2000 = 390000
    expect(impactProceedsExact('linear', 2000, 200, 300, 1000).toString()).toBe('390000');
  });

  it('is additive: 0 -> 200 then 200 -> 500 equals 0 -> 500', () => {
    // 0 -> 500: 500 - 250000/2000 = 375; x 2000 = 750000 = 360000 + 390000
    const ab = impactProceedsExact('linear', 2000, 0, 500, 1000);
    expect(ab.toString()).toBe('750000');
    expect(
      impactProceedsExact('linear', 2000, 0, 200, 1000)
        .plus(impactProceedsExact('linear', 2000, 200, 300, 1000))
        .eq(ab),
    ).toBe(true);
  });

  it('clips at depth: what is sold past q = D fetches nothing', () => {
    // 800 -> 1300 clipped to 800 -> 1000: 200 - (1e6 - 640000)/2000 = 20; x 2000 = 40000
    expect(impactProceedsExact('linear', 2000, 800, 500, 1000).toString()).toBe('40000');
    // Everything from 0: D/2 = 500; x 2000 = 1e6, however much is sold
    expect(impactProceedsExact('linear', 2000, 0, 5000, 1000).toString()).toBe('1000000');
    // Entirely beyond depth
    expect(impactProceedsExact('linear', 2000, 1200, 100, 1000).isZero()).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { borrowRate, borrowRateExact, utilisationExact } from './rates.js';

// Aave v3 DefaultReserveInterestRateStrategy: below the optimal utilisation (kink)
// rate = base + slope1 x u / kink; above, base + slope1 + slope2 x (u - kink) / (1 - kink).
const model = { base: 0, slope1: 0.04, kink: 0.8, slope2: 0.75 };

describe('utilisationExact', () => {
  it('is debt / (cash + debt)', () => {
    expect(utilisationExact(25, 75).toString()).toBe('0.75');
    expect(utilisationExact(0, 10).toString()).toBe('1');
    expect(utilisationExact(10, 0).toString()).toBe('0');
  });

  it('is 0 for an empty reserve', () => {
    expect(utilisationExact(0, 0).toString()).toBe('0');
  });
});

describe('borrowRateExact', () => {
  it('below the kink: slope1 x u / kink', () => {
    // 0.04 x 0.4 / 0.8 = 0.02
    expect(borrowRateExact(model, 0.4).toString()).toBe('0.02');
    expect(borrowRateExact(model, 0).toString()).toBe('0');
  });

  it('at the kink: base + slope1', () => {
    expect(borrowRateExact(model, 0.8).toString()).toBe('0.04');
  });

  it('above the kink: + slope2 x (u - kink) / (1 - kink)', () => {
    // 0.04 + 0.75 x 0.1 / 0.2 = 0.415; at u = 1: 0.04 + 0.75 = 0.79
    expect(borrowRateExact(model, 0.9).toString()).toBe('0.415');
    expect(borrowRateExact(model, 1).toString()).toBe('0.79');
  });

  it('adds the base rate everywhere', () => {
    const m = { ...model, base: 0.01 };
    expect(borrowRateExact(m, 0.4).toString()).toBe('0.03');
    expect(borrowRateExact(m, 0.9).toString()).toBe('0.425');
  });

  it('is continuous at the kink', () => {
    const below = borrowRateExact(model, '0.799999999');
    const above = borrowRateExact(model, '0.800000001');
    expect(above.minus(below).abs().lt('1e-8')).toBe(true);
  });
});

describe('borrowRate (float twin)', () => {
  it('agrees with the exact rate to 1e-15', () => {
    for (const u of [0, 0.1, 0.4, 0.8, 0.85, 0.9, 0.99, 1]) {
      expect(Math.abs(borrowRate(model, u) - borrowRateExact(model, u).toNumber())).toBeLessThan(
        1e-15,
      );
    }
  });
});

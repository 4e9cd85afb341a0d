import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { Dec, dec, decSum } from './decimal.js';

describe('Dec', () => {
  it('works to 40 significant digits', () => {
    // 1/3 to 40 digits
    expect(new Dec(1).div(3).toString()).toBe(`0.${'3'.repeat(40)}`);
  });

  it('rounds half-even', () => {
    expect(new Dec('2.5').toDecimalPlaces(0).toString()).toBe('2');
    expect(new Dec('3.5').toDecimalPlaces(0).toString()).toBe('4');
  });

  it('is a clone: the global decimal.js configuration is untouched', () => {
    expect(Decimal.precision).toBe(20);
    expect(new Decimal(1).div(3).toString()).toBe(`0.${'3'.repeat(20)}`);
  });
});

describe('dec', () => {
  it('converts numbers through their shortest round-trip string, so 0.1 + 0.2 = 0.3', () => {
    expect(dec(0.1).plus(dec(0.2)).eq(dec(0.3))).toBe(true);
    // toExpNeg -30: small values print in plain notation
    expect(dec('1e-7').toString()).toBe('0.0000001');
  });

  it('returns a decimal unchanged', () => {
    const x = new Dec('1.25');
    expect(dec(x)).toBe(x);
  });
});

describe('decSum', () => {
  it('sums exactly', () => {
    expect(decSum([0.1, '0.2', new Dec('0.3')]).toString()).toBe('0.6');
    expect(decSum([]).toString()).toBe('0');
  });
});

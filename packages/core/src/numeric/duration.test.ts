import { describe, expect, it } from 'vitest';
import { SECONDS_PER_YEAR, parseDuration, yearFraction } from './duration.js';

describe('parseDuration', () => {
  it('parses seconds, minutes, hours, days and weeks', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('1d')).toBe(86_400);
    expect(parseDuration('1w')).toBe(604_800);
  });

  it('accepts decimals and surrounding or inner blanks', () => {
    expect(parseDuration('1.5h')).toBe(5400);
    expect(parseDuration(' 2 h ')).toBe(7200);
  });

  it('rejects malformed, zero and negative durations', () => {
    for (const bad of ['', 'h', '1', '1x', '1H', '-1h', '0h', '0.0m', '1h30m', '1 hour', '.5h']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });
});

describe('yearFraction', () => {
  it('uses a 365-day year', () => {
    expect(SECONDS_PER_YEAR).toBe(31_536_000);
    expect(yearFraction(3600)).toBe(1 / 8760);
    expect(yearFraction(SECONDS_PER_YEAR)).toBe(1);
  });
});

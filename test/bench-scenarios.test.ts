// The shipped 1M-account bench scenarios run here too, and do the work the bench describes.
import { describe, expect, it } from 'vitest';
import { runFile } from './helpers.js';

describe('scenarios/bench-1m.yaml', () => {
  const s = runFile('scenarios/bench-1m.yaml', { record: false }).summary;

  it('cascades about once per account over five or more rounds after a 25% shock', () => {
    expect(s.accounts).toBe(1_000_000);
    expect(s.prices['ETH']!.exogenousDrawdown).toBeCloseTo(0.25, 12);
    expect(s.liquidations.count / s.accounts).toBeGreaterThan(0.9);
    expect(s.liquidations.count / s.accounts).toBeLessThan(1.5);
    expect(s.waves).toBeGreaterThanOrEqual(5);
  });

  it('reaches lendB through the receipt token, and conserves every asset', () => {
    expect(s.byChannel['lendB']!['value']!.liquidated).toBeGreaterThan(0);
    expect(s.reach.contagionDepth).toBe(2);
    expect(s.conservation.ok).toBe(true);
  });
});

describe('scenarios/bench-quiet-1m.yaml', () => {
  const s = runFile('scenarios/bench-quiet-1m.yaml', { record: false }).summary;

  it('liquidates almost nobody after a 2% drop and books no bad debt', () => {
    expect(s.accounts).toBe(1_000_000);
    expect(s.liquidations.count).toBeGreaterThan(0);
    expect(s.liquidations.count).toBeLessThan(1000);
    expect(s.badDebt.total).toBe(0);
    expect(s.conservation.ok).toBe(true);
  });
});

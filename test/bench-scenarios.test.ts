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

describe('scenarios/bench-mixed-1m.yaml', () => {
  const r = runFile('scenarios/bench-mixed-1m.yaml', { record: false });
  const s = r.summary;

  it('holds every venue and mechanic kind, cascades, and conserves every asset', () => {
    expect(s.accounts).toBe(1_000_001);
    expect(new Set(r.model.pools.map((p) => p.kind))).toEqual(
      new Set(['constant-product', 'stableswap']),
    );
    expect(r.model.assets.some((a) => a.kind === 'pegged')).toBe(true);
    expect(r.model.markets.map((m) => m.oracle.kind).sort()).toEqual([
      'push',
      'read',
      'read',
      'read',
    ]);
    expect(r.model.markets.some((m) => m.circuitBreakers.length > 0)).toBe(true);
    expect(r.model.accountGroups.some((g) => g.agent !== undefined)).toBe(true);
    // A perpetual venue with cross-margin collateral, liquidated and auto-deleveraged in the run.
    expect(r.model.perps.map((p) => p.collateral.length)).toEqual([1]);
    expect(s.perps['perp']!.liquidations.count).toBeGreaterThan(0);
    expect(s.perps['perp']!.adl.count).toBeGreaterThan(0);
    // Option dealers hedging in the pool.
    expect(s.options['options']!.hedgeVolume).toBeGreaterThan(0);
    // A CDP whose vaults are auctioned with their penalty.
    expect(r.model.markets.filter((m) => m.cdp !== undefined).length).toBe(1);
    expect(s.liquidations.byVenue['maker']!.count).toBeGreaterThan(0);
    expect(s.cdps['maker']!.penaltyIncome).toBeGreaterThan(0);
    expect(s.liquidations.count / s.accounts).toBeGreaterThan(0.2);
    expect(s.agents.sells).toBeGreaterThan(0);
    // Gas is paid on liquidators' calls; a perp venue's engine closes its own positions.
    const perpCalls = s.perps['perp']!.liquidations.count;
    expect(s.liquidations.gasUsd).toBe(5 * (s.liquidations.count - perpCalls));
    expect(s.conservation.ok).toBe(true);
  });
});

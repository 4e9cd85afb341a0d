// The default scenario tells its two stories: fire sales hit both markets (price), and lendA's bad
// debt reaches lendB through the re-pledged receipt token (value).
import { loopHealthExact } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { modelOf, runFile } from './helpers.js';

describe('scenarios/default.yaml', () => {
  const r = runFile('scenarios/default.yaml');
  const s = r.summary;
  const m = r.model;

  it('has about 10,000 accounts over two lending markets, one pool, and a 40% exogenous drawdown', () => {
    expect(s.accounts).toBe(8900);
    expect(m.markets.map((x) => x.id)).toEqual(['lendA', 'lendB']);
    expect(m.pools.map((x) => x.id)).toEqual(['eth-usdc']);
    expect(s.prices['ETH']!.exogenousDrawdown).toBeCloseTo(1 - 0.8 * 0.85 * 0.88, 12);
  });

  it('shows the price channel in both markets and amplifies the drawdown', () => {
    expect(s.byChannel['lendA']!['price']!.liquidated).toBeGreaterThan(1_000_000);
    expect(s.byChannel['lendB']!['price']!.liquidated).toBeGreaterThan(1_000_000);
    expect(s.prices['ETH']!.amplification!).toBeGreaterThan(1.05);
    expect(s.prices['ETH']!.oracles['lendA']!).toBeGreaterThan(s.prices['ETH']!.realisedDrawdown);
  });

  it("books enough bad debt in lendA to push the loopers under: loss > (1 - 1/HF) x lendA's USDC supply", () => {
    const hf = loopHealthExact(0.95, 14).toNumber(); // 1.0231
    const supplyA = m.reserveBalances[0]![1]!.receiptSupply;
    const needed = (1 - 1 / hf) * supplyA;
    expect(s.badDebt.byVenue['lendA']!).toBeGreaterThan(needed);
    expect(s.receiptRates['aUSDC-lendA']!.end).toBeLessThan(1 / hf);
  });

  it('carries lendA bad debt to lendB through aUSDC-lendA (the value channel), at depth 2', () => {
    expect(s.byChannel['lendB']!['value']!.liquidated).toBeGreaterThan(10_000_000);
    expect(s.byChannel['lendA']!['value']!.liquidated).toBe(0);
    const b = s.reach.venues.find((v) => v.venue === 'lendB')!;
    expect(b.channels).toContain('value');
    expect(b.path).toEqual(['ETH', 'lendA', 'aUSDC-lendA', 'lendB']);
    expect(s.reach.contagionDepth).toBe(2);
    expect(s.liquidations.collateralSold['aUSDC-lendA']!.amount).toBeGreaterThan(0);
  });

  it('splits lendB bad debt into treasury cover and socialised loss, and conserves every asset', () => {
    expect(s.receiptRates['aUSDC-lendB']!.end).toBeLessThan(1);
    expect(s.badDebt.byReserve['lendB']!['USDC']!.socialised).toBeCloseTo(
      s.badDebt.byReserve['lendB']!['USDC']!.booked -
        s.badDebt.byReserve['lendB']!['USDC']!.coveredByTreasury,
      6,
    );
    expect(s.conservation.ok).toBe(true);
  });

  it('is reproducible from its seed and differs with another seed', () => {
    const again = runFile('scenarios/default.yaml');
    expect(JSON.stringify(again.summary)).toBe(JSON.stringify(s));
    const other = runFile('scenarios/default.yaml', {}, { seed: 43 });
    expect(other.summary.liquidations.count).not.toBe(s.liquidations.count);
    expect(modelOf('scenarios/default.yaml', { seed: 43 }).books[0]!.coll[0]![0]).not.toBe(
      m.books[0]!.coll[0]![0],
    );
  });
});

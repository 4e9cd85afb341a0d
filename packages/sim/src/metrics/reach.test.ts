// Exposure and reach on a three-market chain: A takes ETH, B takes A's receipt, C takes B's receipt.
import { buildModel, validateScenario, type Model } from '@contagion/core';
import { describe, expect, it } from 'vitest';
import { exposure, reach } from './reach.js';

const collateral = { ltv: 0.7, liquidationThreshold: 0.75, liquidationBonus: 0.05 };

const model: Model = buildModel(
  validateScenario(
    {
      version: 1,
      name: 'chain',
      assets: [
        { id: 'ETH', kind: 'base', price: 2000 },
        { id: 'BTC', kind: 'base', price: 60000 },
        { id: 'USDC', kind: 'stable', price: 1 },
      ],
      venues: [
        { id: 'A', kind: 'lending', assets: { ETH: collateral, USDC: { borrowable: true } } },
        {
          id: 'B',
          kind: 'lending',
          assets: { 'aUSDC-A': collateral, USDC: { borrowable: true } },
        },
        {
          id: 'C',
          kind: 'lending',
          assets: { 'aUSDC-B': collateral, USDC: { borrowable: true } },
        },
      ],
    },
    'chain',
  ),
);
const ETH = model.assetIndex.get('ETH')!;
const BTC = model.assetIndex.get('BTC')!;
const aA = model.assetIndex.get('aUSDC-A')!;
const PATH_A = ['ETH', 'A'];
const PATH_B = ['ETH', 'A', 'aUSDC-A', 'B'];
const PATH_C = ['ETH', 'A', 'aUSDC-A', 'B', 'aUSDC-B', 'C'];

describe('exposure', () => {
  it('gives depths 1, 2, 3 down the chain with the shortest paths of ids', () => {
    const e = exposure(model, [ETH]);
    expect(e.depth).toEqual([1, 2, 3]);
    expect(e.path).toEqual([PATH_A, PATH_B, PATH_C]);
  });

  it('starts from the shocked asset: a shocked receipt exposes only the markets below it', () => {
    const e = exposure(model, [aA]);
    expect(e.depth).toEqual([Infinity, 1, 2]);
    expect(e.path).toEqual([[], ['aUSDC-A', 'B'], ['aUSDC-A', 'B', 'aUSDC-B', 'C']]);
  });

  it('takes the shallowest depth over several shocked assets', () => {
    const e = exposure(model, [ETH, aA]);
    expect(e.depth).toEqual([1, 1, 2]);
    expect(e.path[1]).toEqual(['aUSDC-A', 'B']);
  });

  it('leaves every market unexposed to an asset none takes', () => {
    const e = exposure(model, [BTC]);
    expect(e.depth).toEqual([Infinity, Infinity, Infinity]);
    expect(e.path).toEqual([[], [], []]);
  });
});

describe('reach', () => {
  // Every market starts with 1,000,000 of value; materiality 0.001: a channel reaches above 1000.
  const start = [1e6, 1e6, 1e6];
  const M = 0.001;
  /** channelTotals from a table market -> [shock, price, value]. */
  const totals = (t: Record<number, [number, number, number]>) => (m: number, c: number) =>
    t[m]?.[c] ?? 0;

  it('price above materiality reaches a venue at its exposure depth', () => {
    const r = reach(model, [ETH], totals({ 2: [0, 1001, 0] }), [0, 0, 0], start, M);
    expect(r).toEqual([{ venue: 'C', channels: ['price'], depth: 3, path: PATH_C }]);
  });

  it('at or below materiality, and the shock channel, reach nothing', () => {
    const t = totals({ 0: [5e5, 1000, 0], 1: [0, 999, 1000], 2: [0, 0, 500] });
    expect(reach(model, [ETH], t, [1, 1, 0], start, M)).toEqual([]);
  });

  it('the threshold scales with the venue value at the start', () => {
    const t = totals({ 0: [0, 1500, 0], 1: [0, 1500, 0] });
    const r = reach(model, [ETH], t, [0, 0, 0], [1e6, 2e6, 1e6], M);
    // A: 1500 > 1000 reached; B: 1500 < 2000 not.
    expect(r.map((v) => v.venue)).toEqual(['A']);
  });

  it('value reaches one venue beyond the issuer with bad debt whose receipt it takes', () => {
    // A has bad debt; B takes aUSDC-A: depth 1 + 1 = 2 along A's path.
    const r = reach(model, [ETH], totals({ 1: [0, 0, 2000] }), [50, 0, 0], start, M);
    expect(r).toEqual([{ venue: 'B', channels: ['value'], depth: 2, path: PATH_B }]);
    // B has bad debt; C takes aUSDC-B: depth 3.
    const r2 = reach(model, [ETH], totals({ 2: [0, 0, 2000] }), [0, 50, 0], start, M);
    expect(r2).toEqual([{ venue: 'C', channels: ['value'], depth: 3, path: PATH_C }]);
  });

  it('value from an unexposed issuer counts depth 1 past it, the path starting at the issuer', () => {
    // Shock BTC (taken by none): A is unexposed, but its bad debt still reaches B by value.
    const r = reach(model, [BTC], totals({ 1: [0, 0, 2000] }), [50, 0, 0], start, M);
    expect(r).toEqual([{ venue: 'B', channels: ['value'], depth: 1, path: ['A', 'aUSDC-A', 'B'] }]);
  });

  it('price and value together: both channels, the value path only when strictly deeper', () => {
    // Shock ETH: B at price depth 2 and, with A's bad debt, value depth 1 + 1 = 2: a tie.
    const r = reach(model, [ETH], totals({ 1: [0, 2000, 2000] }), [50, 0, 0], start, M);
    expect(r).toEqual([{ venue: 'B', channels: ['price', 'value'], depth: 2, path: PATH_B }]);
    // Shock A's receipt: B at price depth 1; A is unexposed, so value depth 1 too: the price path stays.
    const r2 = reach(model, [aA], totals({ 1: [0, 2000, 2000] }), [50, 0, 0], start, M);
    expect(r2).toEqual([
      { venue: 'B', channels: ['price', 'value'], depth: 1, path: ['aUSDC-A', 'B'] },
    ]);
  });

  it('lists every reached venue in market order', () => {
    const t = totals({ 0: [0, 2000, 0], 1: [0, 0, 2000], 2: [0, 2000, 0] });
    const r = reach(model, [ETH], t, [50, 0, 0], start, M);
    expect(r.map((v) => [v.venue, v.depth])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 3],
    ]);
    expect(r.map((v) => v.path)).toEqual([PATH_A, PATH_B, PATH_C]);
  });
});

import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.js';
import { loadScenario } from '../scenario/load.js';
import { collateralGraph, nodeKey, reachableVenues } from './collateral-graph.js';

// A pool holding ETH and USDC; lendA takes ETH and lends USDC; lendB takes lendA's USDC receipt
// token (not ETH) and lends USDC. Three ETH borrowers in lendA, two loopers in lendB.
const TINY = `
version: 1
name: tiny
assets:
  - { id: ETH, kind: base, price: 2000 }
  - { id: USDC, kind: stable, price: 1 }
venues:
  - { id: pool, kind: constant-product, holdings: { ETH: 10, USDC: 20000 } }
  - id: lendA
    kind: lending
    assets:
      ETH: { ltv: 0.8, liquidationThreshold: 0.825, liquidationBonus: 0.05 }
      USDC: { borrowable: true }
  - id: lendB
    kind: lending
    assets:
      aUSDC-lendA: { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 0.01 }
      USDC: { borrowable: true }
populations:
  - { name: sa, count: 2, positions: [{ venue: lendA, supply: USDC }], size: { fixed: 100000 } }
  - { name: sb, count: 2, positions: [{ venue: lendB, supply: USDC }], size: { fixed: 100000 } }
  - { name: b, count: 3, positions: [{ venue: lendA, deposit: ETH, borrow: USDC }], size: { fixed: 1 }, healthFactor: { fixed: 1.5 } }
  - name: l
    count: 2
    strategy: { loop: { supply: { venue: lendA, asset: USDC }, pledgeIn: lendB, targetLeverage: 10 } }
    size: { fixed: 100 }
`;
const model = buildModel(loadScenario(TINY, 'tiny.yaml'));

function edges(g: ReturnType<typeof collateralGraph>) {
  const out: string[] = [];
  g.forEachEdge((_e, a, s, t) => out.push(`${a.kind} ${s} -> ${t} ${a.asset} ${a.amount ?? ''}`));
  return out.sort();
}

describe('collateralGraph', () => {
  it('nodes: assets (with receipt tokens), venues, and accounts with positions or supplies', () => {
    const g = collateralGraph(model);
    expect(g.nodes().sort()).toEqual(
      [
        'asset:ETH',
        'asset:USDC',
        'asset:aUSDC-lendA',
        'asset:aUSDC-lendB',
        'venue:pool',
        'venue:lendA',
        'venue:lendB',
        'account:b#0',
        'account:b#1',
        'account:b#2',
        'account:l#0',
        'account:l#1',
        'account:sa#0',
        'account:sa#1',
        'account:sb#0',
        'account:sb#1',
      ].sort(),
    );
    expect(g.getNodeAttributes('asset:aUSDC-lendA')).toEqual({
      kind: 'asset',
      label: 'aUSDC-lendA',
      subkind: 'receipt',
    });
    expect(g.getNodeAttributes('venue:pool')).toEqual({
      kind: 'venue',
      label: 'pool',
      subkind: 'constant-product',
    });
    expect(g.getNodeAttribute('venue:lendA', 'subkind')).toBe('lending');
  });

  it('edges: pool holdings, issuance, acceptance, supplies, deposits and borrows with start amounts', () => {
    // b: 1 ETH each, debt 1 x 2000 x 0.825 / 1.5 = 1100 USDC. l: L = 10, equity 100:
    // 1000 USDC supplied to lendA, the 1000 aUSDC-lendA pledged in lendB, 900 USDC borrowed.
    expect(edges(collateralGraph(model))).toEqual(
      [
        'pool-holds venue:pool -> asset:ETH ETH 10',
        'pool-holds venue:pool -> asset:USDC USDC 20000',
        'accepts asset:ETH -> venue:lendA ETH 0',
        'issues venue:lendA -> asset:aUSDC-lendA aUSDC-lendA 0',
        'accepts asset:aUSDC-lendA -> venue:lendB aUSDC-lendA 0',
        'issues venue:lendB -> asset:aUSDC-lendB aUSDC-lendB 0',
        'deposit account:b#0 -> venue:lendA ETH 1',
        'deposit account:b#1 -> venue:lendA ETH 1',
        'deposit account:b#2 -> venue:lendA ETH 1',
        'borrow venue:lendA -> account:b#0 USDC 1100',
        'borrow venue:lendA -> account:b#1 USDC 1100',
        'borrow venue:lendA -> account:b#2 USDC 1100',
        'deposit account:l#0 -> venue:lendB aUSDC-lendA 1000',
        'deposit account:l#1 -> venue:lendB aUSDC-lendA 1000',
        'borrow venue:lendB -> account:l#0 USDC 900',
        'borrow venue:lendB -> account:l#1 USDC 900',
        'supply account:sa#0 -> venue:lendA USDC 100000',
        'supply account:sa#1 -> venue:lendA USDC 100000',
        'supply account:sb#0 -> venue:lendB USDC 100000',
        'supply account:sb#1 -> venue:lendB USDC 100000',
        'supply account:l#0 -> venue:lendA USDC 1000',
        'supply account:l#1 -> venue:lendA USDC 1000',
      ].sort(),
    );
  });

  it('clusters accounts per venue and group above the threshold, summing amounts', () => {
    // 9 accounts > 3: one cluster per (venue, population).
    const g = collateralGraph(model, { individualAccountsUpTo: 3 });
    expect(g.filterNodes((_n, a) => a.kind === 'account')).toEqual([]);
    expect(g.getNodeAttributes(nodeKey.cluster('lendA', 'b'))).toEqual({
      kind: 'cluster',
      label: 'b @ lendA',
      accounts: 3,
    });
    expect(g.getNodeAttribute(nodeKey.cluster('lendB', 'l'), 'accounts')).toBe(2);
    expect(g.getNodeAttribute(nodeKey.cluster('lendA', 'l'), 'accounts')).toBe(2);
    expect(g.getNodeAttribute(nodeKey.cluster('lendA', 'sa'), 'accounts')).toBe(2);
    expect(edges(g).filter((e) => e.includes('cluster:'))).toEqual(
      [
        'deposit cluster:lendA:b -> venue:lendA ETH 3',
        'borrow venue:lendA -> cluster:lendA:b USDC 3300',
        'deposit cluster:lendB:l -> venue:lendB aUSDC-lendA 2000',
        'borrow venue:lendB -> cluster:lendB:l USDC 1800',
        'supply cluster:lendA:sa -> venue:lendA USDC 200000',
        'supply cluster:lendB:sb -> venue:lendB USDC 200000',
        'supply cluster:lendA:l -> venue:lendA USDC 2000',
      ].sort(),
    );
  });

  it('keeps accounts individual up to the threshold (default 50)', () => {
    // 9 accounts: exactly at a threshold of 9 they stay individual.
    expect(collateralGraph(model, { individualAccountsUpTo: 9 }).hasNode('account:b#0')).toBe(true);
    expect(collateralGraph(model, { individualAccountsUpTo: 8 }).hasNode('account:b#0')).toBe(
      false,
    );
  });

  it('is a fresh graph each call, independent of earlier ones', () => {
    const a = collateralGraph(model);
    a.dropNode('venue:lendB');
    expect(collateralGraph(model).hasNode('venue:lendB')).toBe(true);
  });
});

describe('reachableVenues', () => {
  const g = collateralGraph(model);

  it('from ETH: direct holders at depth 1, the market taking the receipt token at depth 2', () => {
    expect(reachableVenues(g, 'ETH')).toEqual([
      { venue: 'lendA', path: ['asset:ETH', 'venue:lendA'], depth: 1 },
      { venue: 'pool', path: ['asset:ETH', 'venue:pool'], depth: 1 },
      {
        venue: 'lendB',
        path: ['asset:ETH', 'venue:lendA', 'asset:aUSDC-lendA', 'venue:lendB'],
        depth: 2,
      },
    ]);
  });

  it('a market that takes ETH itself is reached directly', () => {
    const direct = buildModel(
      loadScenario(
        TINY.replace(
          '      aUSDC-lendA: {',
          '      ETH: { ltv: 0.8, liquidationThreshold: 0.83, liquidationBonus: 0.05 }\n      aUSDC-lendA: {',
        ),
        'tiny.yaml',
      ),
    );
    expect(reachableVenues(collateralGraph(direct), 'ETH').map((r) => [r.venue, r.depth])).toEqual([
      ['lendA', 1],
      ['lendB', 1],
      ['pool', 1],
    ]);
  });

  it('from the receipt token: only the market that accepts it', () => {
    expect(reachableVenues(g, 'aUSDC-lendA')).toEqual([
      { venue: 'lendB', path: ['asset:aUSDC-lendA', 'venue:lendB'], depth: 1 },
    ]);
  });

  it('from USDC: lending it out is not exposure, holding it in a pool is', () => {
    expect(reachableVenues(g, 'USDC').map((r) => r.venue)).toEqual(['pool']);
  });

  it('an unknown asset reaches nothing', () => {
    expect(reachableVenues(g, 'BTC')).toEqual([]);
  });
});

// `contagion run --network-measures`: the literature's measures on the small scenario's collateral
// graph, worked by hand.
import { describe, expect, it } from 'vitest';
import { collateralNetwork, compileNetwork } from '@contagion/sim';
import { modelOf, runFile } from './helpers.js';

// scenarios/small.yaml at ETH 2000: sam supplies 100,000 USDC to lendA and 50,000 to lendB; bob
// and carol pledge 10 ETH each in lendA and owe 16,500 and 13,000; lou supplies 20,000 to lendA
// and pledges the receipts in lendB, owing 18,200 there. Cash: lendA 120,000 - 29,500 = 90,500,
// lendB 50,000 - 18,200 = 31,800.
describe('the collateral graph as a balance-sheet network', () => {
  it('has the markets, the accounts, debts to markets and supply claims on them', () => {
    const model = modelOf('scenarios/small.yaml');
    const { input, venues } = collateralNetwork(
      model,
      model.assets.map((a) => a.price),
    );
    expect(venues).toEqual(['lendA', 'lendB']);
    const owes = Object.fromEntries(
      input.liabilities.map((l) => [`${l.debtor}>${l.creditor}`, l.amount]),
    );
    expect(owes).toEqual({
      'account:bob>lendA': 16500,
      'account:carol>lendA': 13000,
      'account:lou>lendB': 18200,
      'lendA>account:sam': 100000,
      'lendA>account:lou': 20000,
      'lendB>account:sam': 50000,
    });
    const node = (id: string) => input.nodes.find((n) => n.id === id)!;
    expect(node('lendA').externalAssets).toBe(90500);
    expect(node('lendB').externalAssets).toBe(31800);
    // lendB's cushion: lou's 20,000 of receipts against 18,200 of debt. lou's equity: 20,000 of
    // claims - 18,200.
    expect(node('lendB').capital).toBe(1800);
    expect(node('account:lou').capital).toBe(1800);
    expect(node('account:bob').externalAssets).toBe(20000);
    expect(compileNetwork(input).n).toBe(6);
  });
});

describe('summary.networkMeasures', () => {
  const s = runFile('scenarios/small.yaml', { networkMeasures: true }).summary;
  const m = s.networkMeasures!;

  it('clears the start positions at the shocked price', () => {
    // ETH at 1500: bob (15,000 < 16,500) pays 15,000; carol pays 13,000. lendA has 90,500 +
    // 28,000 = 118,500 of 120,000 owed: it defaults and pays pro rata (lou gets 19,750 and pays
    // lendB its 18,200). lendB has 31,800 + 18,200 = 50,000: exactly what it owes. Shortfall
    // 1,500 + 1,500.
    expect(m.clearing.payments['lendA']).toBeCloseTo(118500, 8);
    expect(m.clearing.payments['lendB']).toBeCloseTo(50000, 8);
    expect(m.clearing.defaultedVenues).toEqual(['lendA']);
    expect(m.clearing.defaultedAccounts).toBe(1);
    expect(m.clearing.shortfall).toBeCloseTo(3000, 8);
  });

  it('gives the DebtRank of each venue failing', () => {
    // lendA fails (h = 1): sam loses 100,000 of 150,000 of equity (h 2/3), lou 20,000 of 1,800
    // (h 1); lou's distress wipes lendB's 1,800 cushion (18,200 / 1,800 > 1), and lendB's takes
    // sam's last third. Weights (assets): lendA 120,000, lendB 50,000, sam 150,000, bob, carol
    // and lou 20,000 each: R = (150,000 + 20,000 + 50,000) / 380,000.
    expect(m.debtRank['lendA']!.differential).toBeCloseTo(220000 / 380000, 12);
    expect(m.debtRank['lendA']!.singleHit).toBeCloseTo(220000 / 380000, 12);
    // lendB fails: sam loses 50,000 of 150,000 (h 1/3); nobody else is lendB's creditor.
    expect(m.debtRank['lendB']!.differential).toBeCloseTo(150000 / 3 / 380000, 12);
  });

  it('is left out unless asked for', () => {
    expect(runFile('scenarios/small.yaml').summary.networkMeasures).toBeUndefined();
  });
});

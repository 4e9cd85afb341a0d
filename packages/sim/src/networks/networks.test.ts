// Hand-worked networks, the algebra in the comments.
import { describe, expect, it } from 'vitest';
import { clearing, clearingExact } from './clearing.js';
import { debtRank, shockVector } from './debtrank.js';
import { gaiKapadia, gaiKapadiaFails } from './gai-kapadia.js';
import { compileNetwork, type NetworkInput } from './network.js';

const ids = (net: ReturnType<typeof compileNetwork>, xs: readonly number[]) =>
  xs.map((i) => net.ids[i]);

describe('Eisenberg-Noe clearing (fictitious default algorithm)', () => {
  // A owes B 2, B owes C 2, C owes A 1; external assets 0.5, 0.5, 1; no external debt.
  // Paying in full, A is worth 0.5 + 1 = 1.5 < 2: A defaults and pays its value, 1.5. Then B is
  // worth 0.5 + 1.5 = 2, exactly what it owes: solvent. C is worth 1 + 2 = 3 >= 1.
  const chain: NetworkInput = {
    nodes: [
      { id: 'A', externalAssets: 0.5 },
      { id: 'B', externalAssets: 0.5 },
      { id: 'C', externalAssets: 1 },
    ],
    liabilities: [
      { debtor: 'A', creditor: 'B', amount: 2 },
      { debtor: 'B', creditor: 'C', amount: 2 },
      { debtor: 'C', creditor: 'A', amount: 1 },
    ],
  };

  it('pays what a defaulter is worth; a node exactly at its obligations is solvent', () => {
    const net = compileNetwork(chain);
    const r = clearing(net);
    expect([...r.payments]).toEqual([1.5, 2, 1]);
    expect(ids(net, r.defaulted)).toEqual(['A']);
    expect(r.unique).toBe(true);
  });

  // Two nodes owe each other 4; B also owes 2 outside; external assets A 0.5, B 1.
  // Pari passu: B (worth 5 < 6) defaults, then A (worth 0.5 + 4/6 x 5 < 4) too. Both pay their
  // value: P_A = 0.5 + (4/6) P_B, P_B = 1 + P_A, so P_A / 3 = 7/6: P_A = 3.5, P_B = 4.5 (B's
  // outside creditors get 2/6 of it, 1.5).
  // Senior: B pays its 2 outside first. x_B = V_B - 2 = x_A - 1 and x_A = 0.5 + x_B have no
  // solution with both positive; the greatest clearing vector is x_B = 0, x_A = 0.5: B's outside
  // creditors get V_B = 1.5, A gets nothing from B.
  const pair: NetworkInput = {
    nodes: [
      { id: 'A', externalAssets: 0.5 },
      { id: 'B', externalAssets: 1, externalLiabilities: 2 },
    ],
    liabilities: [
      { debtor: 'A', creditor: 'B', amount: 4 },
      { debtor: 'B', creditor: 'A', amount: 4 },
    ],
  };

  it('pari passu: the defaulters solve a linear system together', () => {
    const net = compileNetwork(pair);
    const r = clearing(net);
    expect(r.payments[0]).toBeCloseTo(3.5, 13);
    expect(r.payments[1]).toBeCloseTo(4.5, 13);
    expect(r.externalPayments[1]).toBeCloseTo(1.5, 13);
    expect(r.interbankPayments[1]).toBeCloseTo(3, 13);
    expect(ids(net, r.defaulted)).toEqual(['A', 'B']);
    const exact = clearingExact(net);
    expect(exact.payments.map((d) => d.toString())).toEqual(['3.5', '4.5']);
  });

  it('senior external debt gives another answer', () => {
    const net = compileNetwork(pair);
    const r = clearing(net, { external: 'senior' });
    expect(r.payments[0]).toBeCloseTo(0.5, 14);
    expect(r.interbankPayments[1]).toBe(0);
    expect(r.externalPayments[1]).toBeCloseTo(1.5, 13);
    expect(r.payments[1]).toBeCloseTo(1.5, 14);
    expect(clearingExact(net, { external: 'senior' }).payments.map(String)).toEqual(['0.5', '1.5']);
  });

  it('says when clearing vectors are not unique, and returns the greatest', () => {
    // A and B owe each other 1 and hold nothing else: paying in full clears (each is worth 1),
    // and so does paying nothing.
    const net = compileNetwork({
      nodes: [{ id: 'A' }, { id: 'B' }],
      liabilities: [
        { debtor: 'A', creditor: 'B', amount: 1 },
        { debtor: 'B', creditor: 'A', amount: 1 },
      ],
    });
    const r = clearing(net);
    expect([...r.payments]).toEqual([1, 1]);
    expect(r.defaulted).toEqual([]);
    expect(r.unique).toBe(false);
  });
});

describe('Rogers-Veraart clearing with default costs', () => {
  it('alpha = beta = 1 is Eisenberg-Noe; costs spread the default', () => {
    const chain: NetworkInput = {
      nodes: [
        { id: 'A', externalAssets: 0.5 },
        { id: 'B', externalAssets: 0.5 },
        { id: 'C', externalAssets: 1 },
      ],
      liabilities: [
        { debtor: 'A', creditor: 'B', amount: 2 },
        { debtor: 'B', creditor: 'C', amount: 2 },
        { debtor: 'C', creditor: 'A', amount: 1 },
      ],
    };
    const net = compileNetwork(chain);
    expect([...clearing(net, { alpha: 1, beta: 1 }).payments]).toEqual([1.5, 2, 1]);
    // alpha = beta = 1/2: A realises 0.25 + 0.5 x 1 = 0.75; B is then worth 0.5 + 0.75 < 2 and
    // realises 0.25 + 0.5 x 0.75 = 0.625; C is worth 1 + 0.625 >= 1 and pays in full.
    const r = clearing(net, { alpha: 0.5, beta: 0.5 });
    expect([...r.payments]).toEqual([0.75, 0.625, 1]);
    expect(ids(net, r.defaulted)).toEqual(['A', 'B']);
    expect(clearingExact(net, { alpha: 0.5, beta: 0.5 }).payments.map(String)).toEqual([
      '0.75',
      '0.625',
      '1',
    ]);
  });
});

describe('DebtRank', () => {
  // A owes B 5, B owes C 4, C owes A 10; capital A 10, B 10, C 2; weights 0.5, 0.3, 0.2.
  // Impacts W = L / E of the creditor: A on B 0.5, B on C 2 (1 capped), C on A 1.
  const cycle: NetworkInput = {
    nodes: [
      { id: 'A', capital: 10, weight: 5 },
      { id: 'B', capital: 10, weight: 3 },
      { id: 'C', capital: 2, weight: 2 },
    ],
    liabilities: [
      { debtor: 'A', creditor: 'B', amount: 5 },
      { debtor: 'B', creditor: 'C', amount: 4 },
      { debtor: 'C', creditor: 'A', amount: 10 },
    ],
  };
  const net = compileNetwork(cycle);
  const psi = shockVector(net, new Map([['A', 0.5]]));

  it('single-hit, uncapped: each node passes its distress on once', () => {
    // h(1) = (0.5, 0, 0); h_B = 0.5 x 0.5 = 0.25; h_C = 2 x 0.25 = 0.5; h_A = 0.5 + 1 x 0.5 = 1,
    // but A is inactive by then. R = 0.5 (1 - 0.5) + 0.3 x 0.25 + 0.2 x 0.5 = 0.425.
    const r = debtRank(net, psi, { variant: 'single-hit', capImpact: false });
    expect([...r.stress]).toEqual([1, 0.25, 0.5]);
    expect(r.debtRank).toBeCloseTo(0.425, 15);
  });

  it('differential: increments keep travelling round the cycle', () => {
    // h_B 0.25, h_C 0.5, h_A 1 (+0.5), then h_B 0.25 + 0.5 x 0.5 = 0.5, h_C 0.5 + 2 x 0.25 = 1.
    // R = 0.5 x 0.5 + 0.3 x 0.5 + 0.2 x 1 = 0.6.
    const r = debtRank(net, psi, { variant: 'differential' });
    expect([...r.stress]).toEqual([1, 0.5, 1]);
    expect(r.debtRank).toBeCloseTo(0.6, 15);
    expect(net.ids.filter((_, i) => r.defaulted.includes(i))).toEqual(['A', 'C']);
  });

  it('single-hit caps impacts at 1 by default, as Battiston et al. define them', () => {
    // A owes B 5, B owes C 4; capital 10, 10, 2; A fails; equal weights. W_AB = 0.5, W_BC =
    // min(1, 2) = 1: h_B = 0.5, h_C = 0.5. R = (0.5 + 0.5) / 3.
    const chain = compileNetwork({
      nodes: [
        { id: 'A', capital: 10 },
        { id: 'B', capital: 10 },
        { id: 'C', capital: 2 },
      ],
      liabilities: [
        { debtor: 'A', creditor: 'B', amount: 5 },
        { debtor: 'B', creditor: 'C', amount: 4 },
      ],
    });
    const r = debtRank(chain, shockVector(chain, new Map([['A', 1]])), { variant: 'single-hit' });
    expect([...r.stress]).toEqual([1, 0.5, 0.5]);
    expect(r.debtRank).toBeCloseTo(1 / 3, 15);
  });

  it('caps impacts at 1 when asked', () => {
    // W_BC = 1: h_C = 0.25 after B's 0.25, h_A = 0.75, ... single-hit R = 0.5 x 0.25 + 0.3 x
    // 0.25 + 0.2 x 0.25 = 0.25.
    const r = debtRank(net, psi, { variant: 'single-hit', capImpact: true });
    expect([...r.stress]).toEqual([0.75, 0.25, 0.25]);
    expect(r.debtRank).toBeCloseTo(0.25, 15);
  });

  it('threshold: only defaults propagate, at full loss', () => {
    // A shocked to 1 defaults: B loses 5 of 10 (h 0.5) and survives. R = 0.3 x 0.5 = 0.15.
    const r = debtRank(net, shockVector(net, new Map([['A', 1]])), { variant: 'threshold' });
    expect([...r.stress]).toEqual([1, 0.5, 0]);
    expect(r.debtRank).toBeCloseTo(0.15, 15);
    // A shock short of default spreads nothing.
    expect(debtRank(net, psi, { variant: 'threshold' }).debtRank).toBe(0);
  });

  it('refuses a shock outside [0, 1] or on an unknown node', () => {
    expect(() => shockVector(net, new Map([['A', 1.2]]))).toThrow('A=1.2 must be in [0, 1]');
    expect(() => shockVector(net, new Map([['Z', 1]]))).toThrow('no node "Z"');
  });
});

describe('Gai-Kapadia cascades', () => {
  it('compares loss with capital exactly: one of five debtors lost at 20% interbank, 4% capital', () => {
    // Loss = 1/5 x 0.2 = 0.04 = capital: not strictly more, no failure. In floats 0.2 x 0.2 is
    // 0.04000000000000001 > 0.04.
    expect(0.2 * 0.2 > 0.04).toBe(true);
    expect(gaiKapadiaFails(1, 5, 0.2, 0.04)).toBe(false);
    expect(gaiKapadiaFails(1, 4, 0.2, 0.04)).toBe(true);
    expect(gaiKapadiaFails(2, 9, 0.2, 0.04)).toBe(true);
  });

  it('is robust yet fragile: contagion is rare at low and high connectivity, common between', () => {
    // Gai and Kapadia (2010), figure 1 (n = 1000, capital 4%, interbank 20%): the frequency of
    // contagion rises from zero near z = 1, is high for z of about 2 to 5, and falls to zero
    // beyond. With the failure rule strict (a loss equal to capital, one of five debtors, is
    // survived), only banks with at most four debtors are vulnerable, and contagion stops
    // spreading near z = 5.8 (z P(Poisson(z) <= 3) = 1); measured: 0.79 at z = 3, 0 from z = 8.
    const f = (z: number) => gaiKapadia({ banks: 1000, degree: z, draws: 60, seed: 1 });
    expect(f(0.5).frequency).toBeLessThan(0.1);
    expect(f(3).frequency).toBeGreaterThan(0.5);
    expect(f(3).extent).toBeGreaterThan(0.5);
    expect(f(12).frequency).toBeLessThan(0.1);
    // The same seed gives the same draws.
    expect(f(3)).toEqual(f(3));
  });
});

describe('clearing on large networks (the sparse solvers)', () => {
  // 2,000 nodes, 20,000 liabilities, most defaulting: past the dense solver's 200 unknowns, so
  // BiCGSTAB, the active-set step and the sweeps do the work. Every node must meet the clearing
  // conditions: solvent and paying in full, or in default paying what it realises (senior:
  // external creditors first).
  const n = 2000;
  let seed = 7;
  const u = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const input: NetworkInput = {
    nodes: Array.from({ length: n }, (_, i) => ({
      id: `n${i}`,
      externalAssets: 0.5 * u(),
      externalLiabilities: 0.5 * u(),
    })),
    liabilities: Array.from({ length: 10 * n }, () => {
      const d = Math.floor(u() * n);
      const c = (d + 1 + Math.floor(u() * (n - 1))) % n;
      return { debtor: `n${d}`, creditor: `n${c}`, amount: 2 * u() };
    }),
  };
  const net = compileNetwork(input);
  for (const [external, alpha, beta] of [
    ['pari-passu', 1, 1],
    ['senior', 1, 1],
    ['pari-passu', 0.6, 0.8],
    ['senior', 0.9, 0.7],
  ] as const)
    it(`meets the clearing conditions at every node: ${external}, alpha ${alpha}, beta ${beta}`, () => {
      const r = clearing(net, { external, alpha, beta });
      expect(r.defaulted.length).toBeGreaterThan(n / 2);
      for (let i = 0; i < n; i++) {
        let recv = 0;
        for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
          const j = net.inNode[e]!;
          recv += (net.inAmount[e]! / net.interbankLiabilities[j]!) * r.interbankPayments[j]!;
        }
        const b = net.externalLiabilities[i]!;
        const l = net.interbankLiabilities[i]!;
        const tol = 1e-9 * Math.max(1, b + l);
        if (!r.defaulted.includes(i)) {
          expect(net.externalAssets[i]! + recv).toBeGreaterThanOrEqual(b + l - tol);
          continue;
        }
        const V = alpha * net.externalAssets[i]! + beta * recv;
        expect(net.externalAssets[i]! + recv).toBeLessThan(b + l + tol);
        if (external === 'senior') {
          expect(Math.abs(r.externalPayments[i]! - Math.min(b, Math.max(0, V)))).toBeLessThan(tol);
          expect(Math.abs(r.interbankPayments[i]! - Math.max(0, V - b))).toBeLessThan(tol);
        } else expect(Math.abs(r.payments[i]! - Math.max(0, V))).toBeLessThan(tol);
      }
    });
});

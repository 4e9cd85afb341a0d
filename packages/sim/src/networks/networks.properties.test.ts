// Invariants of the clearing and DebtRank algorithms over random small networks.
// Fixed seeds: the same cases on every run (CI stays reproducible); change a seed to explore more.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearing, clearingExact, DEFAULT_TOLERANCE } from './clearing.js';
import { debtRank } from './debtrank.js';
import { compileNetwork, type NetworkInput } from './network.js';

const amount = fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 10, noNaN: true }));
const networkArb = fc
  .integer({ min: 2, max: 9 })
  .chain((n) =>
    fc.record({
      nodes: fc.array(
        fc.record({
          externalAssets: amount,
          externalLiabilities: amount,
          capital: fc.double({ min: 0.1, max: 10, noNaN: true }),
          weight: fc.double({ min: 0.1, max: 5, noNaN: true }),
        }),
        { minLength: n, maxLength: n },
      ),
      edges: fc.array(
        fc.record({
          debtor: fc.integer({ min: 0, max: n - 1 }),
          creditor: fc.integer({ min: 0, max: n - 1 }),
          amount: fc.double({ min: 0.01, max: 10, noNaN: true }),
        }),
        { maxLength: 3 * n },
      ),
    }),
  )
  .map((r): NetworkInput => ({
    nodes: r.nodes.map((x, i) => ({ id: `n${i}`, ...x })),
    liabilities: r.edges
      .filter((e) => e.debtor !== e.creditor)
      .map((e) => ({ debtor: `n${e.debtor}`, creditor: `n${e.creditor}`, amount: e.amount })),
  }));
const modeArb = fc.constantFrom('pari-passu' as const, 'senior' as const);
const costArb = fc.double({ min: 0, max: 1, noNaN: true });

/** What node i is worth under the payments (external assets plus what its debtors pay it). */
function values(input: NetworkInput, interbank: Float64Array): number[] {
  const net = compileNetwork(input);
  return net.ids.map((_, i) => {
    let v = net.externalAssets[i]!;
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
      const j = net.inNode[e]!;
      v += (net.inAmount[e]! / net.interbankLiabilities[j]!) * interbank[j]!;
    }
    return v;
  });
}

describe('clearing: properties', () => {
  it('never pays more than is owed, to anyone', () => {
    fc.assert(
      fc.property(networkArb, modeArb, costArb, costArb, (input, external, alpha, beta) => {
        const net = compileNetwork(input);
        const r = clearing(net, { external, alpha, beta });
        for (let i = 0; i < net.n; i++) {
          const slack =
            1e-12 * Math.max(1, net.interbankLiabilities[i]! + net.externalLiabilities[i]!);
          expect(r.interbankPayments[i]!).toBeLessThanOrEqual(net.interbankLiabilities[i]! + slack);
          expect(r.externalPayments[i]!).toBeLessThanOrEqual(net.externalLiabilities[i]! + slack);
          expect(r.interbankPayments[i]!).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('Eisenberg-Noe: a node pays in full iff it is solvent, else all it is worth', () => {
    fc.assert(
      fc.property(networkArb, modeArb, (input, external) => {
        const net = compileNetwork(input);
        const r = clearing(net, { external });
        const v = values(input, r.interbankPayments);
        for (let i = 0; i < net.n; i++) {
          const owed = net.interbankLiabilities[i]! + net.externalLiabilities[i]!;
          const tol = 1e-9 * Math.max(1, owed);
          if (r.defaulted.includes(i)) {
            expect(v[i]!).toBeLessThan(owed - DEFAULT_TOLERANCE * Math.max(1, owed) + tol);
            // A defaulter pays out everything it is worth (nothing left for its shareholders).
            expect(Math.abs(r.payments[i]! - Math.max(0, v[i]!))).toBeLessThanOrEqual(tol);
          } else {
            expect(v[i]!).toBeGreaterThanOrEqual(owed - tol);
            expect(r.payments[i]).toBe(owed);
          }
        }
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('Rogers-Veraart payments never exceed Eisenberg-Noe payments', () => {
    fc.assert(
      fc.property(networkArb, modeArb, costArb, costArb, (input, external, alpha, beta) => {
        const net = compileNetwork(input);
        const en = clearing(net, { external });
        const rv = clearing(net, { external, alpha, beta });
        for (let i = 0; i < net.n; i++)
          expect(rv.payments[i]!).toBeLessThanOrEqual(en.payments[i]! * (1 + 1e-12) + 1e-12);
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('matches the exact decimal reference within 1e-12', () => {
    fc.assert(
      fc.property(networkArb, modeArb, costArb, costArb, (input, external, alpha, beta) => {
        const net = compileNetwork(input);
        const r = clearing(net, { external, alpha, beta });
        const x = clearingExact(net, { external, alpha, beta });
        expect(x.defaulted).toEqual(r.defaulted);
        x.payments.forEach((p, i) =>
          expect(Math.abs(p.toNumber() - r.payments[i]!)).toBeLessThanOrEqual(
            1e-12 * Math.max(1, p.abs().toNumber()),
          ),
        );
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('is the greatest fixed point: iterating the clearing map down from full payment ends there', () => {
    fc.assert(
      fc.property(networkArb, (input) => {
        // Eisenberg-Noe pari passu: P <- min(owed, e + Pi^T P), from P = owed.
        const net = compileNetwork(input);
        const owed = net.ids.map(
          (_, i) => net.interbankLiabilities[i]! + net.externalLiabilities[i]!,
        );
        let P = [...owed];
        // Iterate until a step changes nothing beyond 1e-15 (slow when little leaks out of a cycle:
        // such cases, not converged in a million steps, are left out).
        let change = Infinity;
        for (let k = 0; k < 1_000_000 && change > 1e-15; k++) {
          const next = owed.map((o, i) => {
            let v = net.externalAssets[i]!;
            for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++)
              v += (net.inAmount[e]! / owed[net.inNode[e]!]!) * P[net.inNode[e]!]!;
            return Math.min(o, v);
          });
          change = Math.max(...next.map((x, i) => Math.abs(x - P[i]!)));
          P = next;
        }
        fc.pre(change <= 1e-15);
        const r = clearing(net);
        P.forEach((p, i) =>
          expect(Math.abs(p - r.payments[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, owed[i]!)),
        );
      }),
      { numRuns: 100, seed: 20261126 },
    );
  });
});

describe('DebtRank: properties', () => {
  it('more capital never raises DebtRank, in any variant', () => {
    fc.assert(
      fc.property(
        networkArb,
        fc.constantFrom('differential' as const, 'single-hit' as const, 'threshold' as const),
        fc.boolean(),
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        (input, variant, capImpact, who, factor) => {
          const net = compileNetwork(input);
          const k = who % net.n;
          const psi = new Float64Array(net.n);
          psi[0] = 1;
          if (net.n > 2) psi[2] = 0.3;
          const before = debtRank(net, psi, { variant, capImpact }).debtRank;
          const richer = compileNetwork({
            ...input,
            nodes: input.nodes.map((x, i) =>
              i === k ? { ...x, capital: x.capital! * factor } : x,
            ),
          });
          const after = debtRank(richer, psi, { variant, capImpact }).debtRank;
          expect(after).toBeLessThanOrEqual(before + 1e-12);
          expect(before).toBeGreaterThanOrEqual(0);
          expect(before).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
      { numRuns: 400, seed: 20261126 },
    );
  });
});

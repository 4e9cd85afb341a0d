// Network measures at scale: Eisenberg-Noe / Rogers-Veraart clearing and DebtRank on a seeded
// random network of 10,000 nodes and 100,000 liabilities (each debtor-creditor pair drawn
// uniformly, amounts lognormal), with external assets set so that a share of the nodes default.
import { stream } from '@contagion/core';
import {
  clearing,
  compileNetwork,
  debtRank,
  gaiKapadia,
  type Network,
  type NetworkInput,
} from '@contagion/sim';
import { repeat, type Samples } from '../lib/measure.js';

export interface NetworkBenchResult {
  readonly nodes: number;
  readonly edges: number;
  readonly clearing: Samples;
  readonly clearingSenior: Samples;
  readonly rogersVeraart: Samples;
  readonly debtRankDifferential: Samples;
  readonly debtRankSingleHit: Samples;
  /** Gai-Kapadia: 100 draws of 1,000 banks at z = 3. */
  readonly gaiKapadia: Samples;
  readonly defaulted: number;
  readonly rounds: number;
}

/** The bench network: n nodes, m liabilities. */
export function benchNetwork(n = 10_000, m = 100_000, seed = 1): Network {
  const u = stream(seed, 'bench/network');
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const liabilities: { debtor: string; creditor: string; amount: number }[] = [];
  const owes = new Float64Array(n);
  const owed = new Float64Array(n);
  while (liabilities.length < m) {
    const d = Math.floor(u() * n);
    const c = Math.floor(u() * n);
    if (d === c) continue;
    const amount = Math.exp(normal());
    liabilities.push({ debtor: `b${d}`, creditor: `b${c}`, amount });
    owes[d] = owes[d]! + amount;
    owed[c] = owed[c]! + amount;
  }
  // External assets cover what a node owes, less what it is owed, times a lognormal buffer: about
  // a tenth of the nodes start short, and their defaults cascade to about half of them.
  const input: NetworkInput = {
    nodes: Array.from({ length: n }, (_, i) => ({
      id: `b${i}`,
      externalAssets: Math.max(0, owes[i]! - owed[i]! + 2 * normal()),
      externalLiabilities: 1 + u(),
      capital: 1 + 2 * u(),
      weight: 1 + u(),
    })),
    liabilities,
  };
  return compileNetwork(input);
}

export function networkBench(warm: number): NetworkBenchResult {
  const net = benchNetwork();
  const psi = new Float64Array(net.n);
  for (let i = 0; i < 100; i++) psi[i * 97] = 1;
  let defaulted = 0;
  let rounds = 0;
  return {
    nodes: net.n,
    edges: net.outNode.length,
    clearing: repeat(warm, () => {
      const r = clearing(net);
      defaulted = r.defaulted.length;
      rounds = r.rounds;
    }),
    clearingSenior: repeat(warm, () => clearing(net, { external: 'senior' })),
    rogersVeraart: repeat(warm, () => clearing(net, { alpha: 0.8, beta: 0.9 })),
    debtRankDifferential: repeat(warm, () => debtRank(net, psi, { variant: 'differential' })),
    debtRankSingleHit: repeat(warm, () => debtRank(net, psi, { variant: 'single-hit' })),
    gaiKapadia: repeat(warm, () => gaiKapadia({ banks: 1000, degree: 3, draws: 100, seed: 1 })),
    get defaulted() {
      return defaulted;
    },
    get rounds() {
      return rounds;
    },
  };
}

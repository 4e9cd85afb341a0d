import { clearing, clearingExact } from './packages/sim/src/networks/clearing.ts';
import { compileNetwork, type NetworkInput } from './packages/sim/src/networks/network.ts';

// Brute force: every partition into solvent (0) / defaulting paying (1) / (senior) paying 0 interbank (2).
function solve(A: number[][], b: number[]): number[] | null {
  const k = b.length; const M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < k; c++) {
    let p = c; for (let r = c + 1; r < k; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    if (Math.abs(M[c]![c]!) < 1e-12) return null;
    for (let r = c + 1; r < k; r++) { const f = M[r]![c]! / M[c]![c]!; for (let q = c; q <= k; q++) M[r]![q]! -= f * M[c]![q]!; }
  }
  const x = new Array(k).fill(0);
  for (let r = k - 1; r >= 0; r--) { let v = M[r]![k]!; for (let q = r + 1; q < k; q++) v -= M[r]![q]! * x[q]; x[r] = v / M[r]![r]!; }
  return x;
}
export function brute(n: number, e: number[], b: number[], L: number[][], senior: boolean, alpha: number, beta: number) {
  const l = L.map((r) => r.reduce((a, x) => a + x, 0));
  const owed = l.map((x, i) => x + b[i]!);
  const full = senior ? l : owed;
  // share of j's variable reaching i
  const sh = (j: number, i: number) => (senior ? (l[j]! > 0 ? L[j]![i]! / l[j]! : 0) : owed[j]! > 0 ? L[j]![i]! / owed[j]! : 0);
  const sols: number[][] = [];
  let singular = 0;
  const K = senior ? 3 : 2;
  const total = K ** n;
  for (let code = 0; code < total; code++) {
    const mode: number[] = []; let c = code; for (let i = 0; i < n; i++) { mode.push(c % K); c = Math.floor(c / K); }
    // unknowns: mode 1 nodes
    const act = mode.map((m, i) => (m === 1 ? i : -1)).filter((i) => i >= 0);
    const y = full.map((f, i) => (mode[i] === 0 ? f : 0));
    if (act.length) {
      const A = act.map((i) => act.map((j) => (i === j ? 1 : 0) - beta * sh(j, i)));
      const rhs = act.map((i) => { let r = 0; for (let j = 0; j < n; j++) if (mode[j] !== 1) r += sh(j, i) * y[j]!; return alpha * e[i]! - (senior ? b[i]! : 0) + beta * r; });
      const x = solve(A, rhs); if (!x) { singular++; continue; }
      act.forEach((i, a) => (y[i] = x[a]!));
    }
    // check
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      let r = 0; for (let j = 0; j < n; j++) r += sh(j, i) * y[j]!;
      const v = e[i]! + r; const tol = 1e-11 * Math.max(1, owed[i]!);
      const V = alpha * e[i]! + beta * r;
      if (mode[i] === 0) ok = v >= owed[i]! - tol;
      else if (mode[i] === 1) ok = v < owed[i]! - tol && y[i]! >= -tol && (!senior || V - b[i]! > -tol) && y[i]! <= full[i]! + tol;
      else ok = v < owed[i]! - tol && V - b[i]! <= tol;
    }
    if (ok && !sols.some((s) => s.every((x, i) => Math.abs(x - y[i]!) < 1e-9 * Math.max(1, full[i]!)))) sols.push(y);
  }
  return { sols, singular, full };
}
let seed = Number(process.argv[2] ?? 1);
const rnd = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
let bad = 0, tried = 0, nonuniq = 0;
for (let t = 0; t < 4000; t++) {
  const n = 2 + Math.floor(rnd() * 4);
  const senior = rnd() < 0.5;
  const alpha = [1, 0.5, 0.8, 0.3, 0][Math.floor(rnd() * 5)]!;
  const beta = [1, 0.5, 0.9, 0.3, 0][Math.floor(rnd() * 5)]!;
  const e = Array.from({ length: n }, () => (rnd() < 0.2 ? 0 : Math.round(rnd() * 40) / 4));
  const b = Array.from({ length: n }, () => (rnd() < 0.4 ? 0 : Math.round(rnd() * 40) / 4));
  const L = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i !== j && rnd() < 0.6 ? Math.round(rnd() * 40) / 4 : 0)));
  const input: NetworkInput = { nodes: e.map((x, i) => ({ id: `n${i}`, externalAssets: x, externalLiabilities: b[i]! })), liabilities: [] };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (L[i]![j]! > 0) (input.liabilities as any[]).push({ debtor: `n${i}`, creditor: `n${j}`, amount: L[i]![j]! });
  const { sols, singular, full } = brute(n, e, b, L, senior, alpha, beta);
  if (singular > 0 || sols.length === 0) continue;
  tried++;
  const net = compileNetwork(input);
  let r;
  try { r = clearing(net, { external: senior ? 'senior' : 'pari-passu', alpha, beta }); } catch (err) { console.log('THROW', (err as Error).message, JSON.stringify({ e, b, L, senior, alpha, beta })); bad++; continue; }
  const yImpl = senior ? Array.from(r.interbankPayments) : Array.from(r.payments);
  const G = full.map((_, i) => Math.max(...sols.map((s) => s[i]!)));
  const greatestIsSol = sols.some((s) => s.every((x, i) => Math.abs(x - G[i]!) < 1e-9 * Math.max(1, full[i]!)));
  const okG = yImpl.every((x, i) => Math.abs(x - G[i]!) < 1e-9 * Math.max(1, full[i]!));
  const uniq = sols.length === 1;
  if (!uniq) nonuniq++;
  if (!okG || uniq !== r.unique || !greatestIsSol) {
    bad++;
    if (bad < 8) console.log('MISMATCH', JSON.stringify({ e, b, L, senior, alpha, beta }), 'impl', yImpl, 'unique', r.unique, 'brute', sols, 'G', G, greatestIsSol);
  }
  // exact reference agrees
  try { const ex = clearingExact(net, { external: senior ? 'senior' : 'pari-passu', alpha, beta }); const p = ex.payments.map(Number); if (p.some((x, i) => Math.abs(x - r.payments[i]!) > 1e-9)) { console.log('EXACT differs', p, Array.from(r.payments)); } } catch (err) { console.log('EXACT THROW', (err as Error).message, JSON.stringify({ e, b, L, senior, alpha, beta })); }
}
console.log({ tried, bad, nonuniq });

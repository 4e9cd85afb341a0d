// DebtRank: distress h_i in [0, 1] (the share of node i's capital lost) propagating along
// interbank exposures. Creditor j holds an asset L_ij on debtor i, so i's distress costs j a
// share W_ij = L_ij / E_j of its capital per unit of h_i, capped at 1 as Battiston et al. 2012
// define it for single-hit and left uncapped for the differential variant (Bardoscia et al. 2015)
// unless `capImpact` says otherwise.
//
// - single-hit (Battiston et al. 2012): a node is undistressed, distressed or inactive. A node
//   distressed at t - 1 passes its whole distress on once, at t, then becomes inactive:
//   h_j(t) = min(1, h_j(t-1) + sum over i distressed at t-1 of W_ij h_i(t-1)); a node whose h
//   turned positive and that was not inactive is distressed. Stops when no node is distressed.
// - differential (Bardoscia et al. 2015): every node passes on each increase of its distress:
//   h_j(t+1) = min(1, h_j(t) + sum_i W_ij (h_i(t) - h_i(t-1))), with h(0) = 0 and h(1) the
//   shock. Stops when no distress changes (or after 10,000 steps).
// - threshold: a default cascade. Only defaults propagate, at full loss: h_j = min(1, shock_j +
//   sum over defaulted debtors i of W_ij); j defaults when h_j reaches 1 (its losses take all
//   its capital). A node shocked to 1 defaults at the start.
//
// The DebtRank reported excludes the initial shock: R = sum_j v_j h_j(T) - sum_j v_j h_j(1), with
// the weights v normalised to sum to 1.
import { InvalidArgumentError } from '@contagion/core';
import type { Network } from './network.js';

export type DebtRankVariant = 'differential' | 'single-hit' | 'threshold';

/** Options of {@link debtRank}. */
export interface DebtRankOptions {
  readonly variant?: DebtRankVariant;
  /**
   * Cap each impact W_ij at 1. Default: capped for `single-hit` (Battiston et al. 2012 define
   * W = min(1, A / E)), uncapped for `differential` (Bardoscia et al. 2015) and `threshold`.
   */
  readonly capImpact?: boolean;
}

/** The outcome of a shock. */
export interface DebtRankResult {
  /** R: the weighted distress the shock caused beyond itself. */
  readonly debtRank: number;
  /** Final distress of each node, h_j(T). */
  readonly stress: Float64Array;
  /** Nodes whose distress reached 1 (lost all their capital), in node order. */
  readonly defaulted: readonly number[];
  /** Steps of the dynamics until it stopped. */
  readonly steps: number;
}

const MAX_STEPS = 10_000;

/** Impacts along the in-lists: entry e (creditor j, debtor inNode[e]) costs j W = L / E_j. */
function impacts(net: Network, cap: boolean): Float64Array {
  const w = new Float64Array(net.inAmount.length);
  for (let j = 0; j < net.n; j++) {
    const E = net.capital[j]!;
    for (let e = net.inStart[j]!; e < net.inStart[j + 1]!; e++) {
      const a = net.inAmount[e]!;
      // No capital: any exposure wipes it out.
      let x = E > 0 ? a / E : a > 0 ? Infinity : 0;
      if (cap) x = Math.min(1, x);
      w[e] = x;
    }
  }
  return w;
}

/** Shock of each node in [0, 1], by id; nodes not named are not shocked. */
export function shockVector(net: Network, shock: ReadonlyMap<string, number>): Float64Array {
  const psi = new Float64Array(net.n);
  for (const [id, x] of shock) {
    const i = net.index.get(id);
    if (i === undefined) throw new InvalidArgumentError(`shock: no node "${id}"`, 'shock');
    if (!(x >= 0 && x <= 1))
      throw new InvalidArgumentError(`shock: ${id}=${x} must be in [0, 1]`, 'shock');
    psi[i] = x;
  }
  return psi;
}

/** Run DebtRank from the initial distress `psi` (h(1)). */
export function debtRank(net: Network, psi: Float64Array, o: DebtRankOptions = {}): DebtRankResult {
  const variant = o.variant ?? 'differential';
  const n = net.n;
  const cap = o.capImpact ?? variant === 'single-hit';
  const W = impacts(net, cap);
  let total = 0;
  for (let i = 0; i < n; i++) total += net.weight[i]!;
  if (!(total > 0)) throw new InvalidArgumentError("the nodes' weights sum to 0", 'weight');
  const h = Float64Array.from(psi);
  let steps = 0;
  const clamp = (x: number) => (x > 1 ? 1 : x);
  if (variant === 'single-hit') {
    // 0 undistressed, 1 distressed, 2 inactive.
    const state = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (h[i]! > 0) state[i] = 1;
    const prev = new Float64Array(n);
    for (; steps < MAX_STEPS; steps++) {
      let any = false;
      for (let i = 0; i < n; i++) if (state[i] === 1) any = true;
      if (!any) break;
      prev.set(h);
      for (let j = 0; j < n; j++) {
        let add = 0;
        for (let e = net.inStart[j]!; e < net.inStart[j + 1]!; e++) {
          const i = net.inNode[e]!;
          if (state[i] === 1) add += W[e]! * prev[i]!;
        }
        if (add > 0) h[j] = clamp(prev[j]! + add);
      }
      for (let i = 0; i < n; i++)
        state[i] = state[i] === 1 ? 2 : state[i] === 0 && h[i]! > 0 ? 1 : state[i]!;
    }
  } else if (variant === 'differential') {
    const before = new Float64Array(n); // h(t - 1); h(0) = 0
    const next = new Float64Array(n);
    for (; steps < MAX_STEPS; steps++) {
      let changed = false;
      for (let j = 0; j < n; j++) {
        let add = 0;
        for (let e = net.inStart[j]!; e < net.inStart[j + 1]!; e++) {
          const i = net.inNode[e]!;
          const d = h[i]! - before[i]!;
          if (d !== 0) add += W[e]! * d;
        }
        next[j] = clamp(h[j]! + add);
        if (next[j] !== h[j]) changed = true;
      }
      before.set(h);
      h.set(next);
      if (!changed) break;
    }
  } else {
    // Threshold: only defaults propagate, at full loss.
    const down = new Uint8Array(n);
    const fresh: number[] = [];
    for (let i = 0; i < n; i++)
      if (h[i]! >= 1) {
        down[i] = 1;
        fresh.push(i);
      }
    const loss = Float64Array.from(psi);
    while (fresh.length > 0 && steps < MAX_STEPS) {
      steps++;
      const wave = fresh.splice(0);
      for (const i of wave)
        for (let e = net.outStart[i]!; e < net.outStart[i + 1]!; e++) {
          const j = net.outNode[e]!;
          const E = net.capital[j]!;
          let x = E > 0 ? net.outAmount[e]! / E : Infinity;
          if (cap) x = Math.min(1, x);
          loss[j] = loss[j]! + x;
        }
      for (let j = 0; j < n; j++) {
        h[j] = clamp(loss[j]!);
        if (down[j] === 0 && h[j]! >= 1) {
          down[j] = 1;
          fresh.push(j);
        }
      }
    }
  }
  let r = 0;
  for (let j = 0; j < n; j++) r += (net.weight[j]! / total) * (h[j]! - psi[j]!);
  const defaulted: number[] = [];
  for (let j = 0; j < n; j++) if (h[j]! >= 1) defaulted.push(j);
  return { debtRank: r, stress: h, defaulted, steps };
}

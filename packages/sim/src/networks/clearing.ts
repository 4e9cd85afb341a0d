// Clearing payment vectors: Eisenberg and Noe (2001) and Rogers and Veraart (2013), external
// liabilities pari passu with interbank debt or senior to it.
//
// Node i owes its creditors p_i = b_i (external) + l_i (interbank, l_i = sum_j L_ij) and holds
// external assets e_i. Its value under payments is e_i plus what its debtors pay it.
// - Pari passu: i pays P_i in total, shared among all its creditors in proportion to what each is
//   owed; j receives L_ij / p_i of P_i. Solvent (value >= p_i): P_i = p_i. In default: P_i =
//   alpha e_i + beta (receipts) (alpha = beta = 1: Eisenberg-Noe, P_i = value).
// - Senior: i pays its external creditors first, then its interbank creditors in proportion. Its
//   interbank payment x_i is l_i when solvent, else max(0, V_i - b_i) with V_i = alpha e_i + beta
//   (receipts), j receiving L_ij / l_i of x_i.
// The greatest clearing vector is found by the fictitious default algorithm (Eisenberg-Noe) /
// greatest clearing vector algorithm (Rogers-Veraart): start from full payment, mark who cannot
// pay, solve the linear system of the defaulters' payments with everyone else paying in full, and
// repeat until the set of defaulters stops growing (at most n rounds). Each linear system is solved
// by Gaussian elimination with partial pivoting when it has up to 200 unknowns, else by BiCGSTAB
// over the sparse liabilities, polished (or, where it fails, done) by symmetric projected
// Gauss-Seidel until the error left, estimated from the contraction, is a few units in the last
// place (dense elimination if the sweeps stall). The
// least clearing vector comes from the mirror algorithm started from nothing paid; `unique` says
// whether the two coincide.
import { Dec, InvalidArgumentError } from '@contagion/core';
import type { Network } from './network.js';

/** Options of {@link clearing}. */
export interface ClearingOptions {
  /** External liabilities rank pari passu with interbank debt (default) or senior to it. */
  readonly external?: 'pari-passu' | 'senior';
  /** Share of external assets a defaulting node realises (Rogers-Veraart alpha; default 1). */
  readonly alpha?: number;
  /** Share of interbank receipts a defaulting node realises (beta; default 1). */
  readonly beta?: number;
}

/** A clearing vector and what it means. */
export interface ClearingResult {
  /** Total paid by each node to all its creditors. */
  readonly payments: Float64Array;
  /** Paid to other nodes, and to external creditors. */
  readonly interbankPayments: Float64Array;
  readonly externalPayments: Float64Array;
  /** Nodes that pay less than they owe, in node order. */
  readonly defaulted: readonly number[];
  /** Whether the greatest and least clearing vectors coincide (within 1e-9 of what is owed). */
  readonly unique: boolean;
  /** Rounds of the greatest clearing vector algorithm (default sets tried). */
  readonly rounds: number;
}

/** A node defaults when its value is short of what it owes by more than this share (round-off). */
export const DEFAULT_TOLERANCE = 1e-12;

const EPS = 2 ** -52;
const MAX_SWEEPS = 50_000;
/** Defaulter sets up to this size are solved by dense elimination (about 10 ms at 200). */
const DENSE_UP_TO = 200;

interface Setup {
  readonly net: Network;
  readonly senior: boolean;
  readonly alpha: number;
  readonly beta: number;
  /** What each node owes in total. */
  readonly owed: Float64Array;
  /** Share of node j's payment variable that reaches each creditor, along the in-lists. */
  readonly inShare: Float64Array;
  /** Each node's payment variable when it pays in full (P = owed, or x = l). */
  readonly full: Float64Array;
}

function setup(net: Network, o: ClearingOptions): Setup {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 1;
  for (const [name, x] of [
    ['alpha', alpha],
    ['beta', beta],
  ] as const)
    if (!(x >= 0 && x <= 1))
      throw new InvalidArgumentError(`${name} must be in [0, 1], got ${x}`, name);
  const senior = (o.external ?? 'pari-passu') === 'senior';
  const n = net.n;
  const owed = new Float64Array(n);
  for (let i = 0; i < n; i++) owed[i] = net.externalLiabilities[i]! + net.interbankLiabilities[i]!;
  // Pari passu: the variable is P_j, and creditor i gets L_ji / owed_j of it. Senior: the variable
  // is x_j, and i gets L_ji / l_j of it.
  const inShare = new Float64Array(net.inAmount.length);
  for (let i = 0; i < n; i++)
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
      const j = net.inNode[e]!;
      inShare[e] = net.inAmount[e]! / (senior ? net.interbankLiabilities[j]! : owed[j]!);
    }
  return {
    net,
    senior,
    alpha,
    beta,
    owed,
    inShare,
    full: senior ? Float64Array.from(net.interbankLiabilities) : owed,
  };
}

/** Interbank receipts of node i under payment variables y. */
function receipts(s: Setup, y: Float64Array, i: number): number {
  const { net, inShare } = s;
  let r = 0;
  for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) r += inShare[e]! * y[net.inNode[e]!]!;
  return r;
}

/** Whether node i is solvent under payment variables y (value >= owed, within the tolerance). */
function solvent(s: Setup, y: Float64Array, i: number): boolean {
  const v = s.net.externalAssets[i]! + receipts(s, y, i);
  return v >= s.owed[i]! - DEFAULT_TOLERANCE * Math.max(1, s.owed[i]!);
}

/**
 * Solve, for the nodes with `mode` 1 (paying what they realise), y_i = max(0, c_i + beta
 * sum_{j mode 1} share_ji y_j), at most what it owes, with every other y fixed: c_i = alpha e_i (- b_i when senior) +
 * beta (receipts from the others). Projected Gauss-Seidel from the current y (monotone from above
 * or below) to machine precision; dense elimination if the sweeps stall.
 */
function solveActive(s: Setup, y: Float64Array, mode: Uint8Array, lenient = false): void {
  const { net, inShare, alpha, beta, senior } = s;
  const active: number[] = [];
  for (let i = 0; i < net.n; i++) if (mode[i] === 1) active.push(i);
  if (active.length === 0) return;
  const c = new Float64Array(net.n);
  for (const i of active) {
    let r = 0;
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
      const j = net.inNode[e]!;
      if (mode[j] !== 1) r += inShare[e]! * y[j]!;
    }
    c[i] = alpha * net.externalAssets[i]! - (senior ? net.externalLiabilities[i]! : 0) + beta * r;
  }
  // Small systems: Gaussian elimination with partial pivoting (backward stable: the answer is as
  // good as the data allow), kept when it is non-singular and every payment is in range; else
  // the sweeps below, which also handle payments pinned at zero.
  if (active.length <= DENSE_UP_TO) {
    const trial = Float64Array.from(y);
    try {
      denseSolve(s, trial, mode, active, c);
      if (active.every((i) => trial[i]! >= 0 && trial[i]! <= s.full[i]!)) {
        for (const i of active) y[i] = trial[i]!;
        return;
      }
    } catch {
      // Singular (a cycle that pays only itself): the projected sweeps find the fixed point.
    }
  }
  // Large systems: BiCGSTAB on (I - beta M) y = c, kept when it converges with every payment in
  // range; else the sweeps below do the work.
  if (active.length > DENSE_UP_TO && krylovSolve(s, y, mode, active, c)) return;
  // Sweep until a sweep changes nothing, or the error left, estimated from the contraction seen
  // (change x rho / (1 - rho), rho = change / previous change), is a few units in the last place
  // (rounding can make the last bit flicker).
  let previous = Infinity;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let change = 0;
    let scale = 1;
    // Symmetric: a forward pass then a backward one, so payments travel along a chain of
    // obligations in one sweep whichever way the nodes are numbered.
    for (let pass = 0; pass < 2; pass++)
      for (let a = 0; a < active.length; a++) {
        const i = active[pass === 0 ? a : active.length - 1 - a]!;
        let r = 0;
        for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
          const j = net.inNode[e]!;
          if (mode[j] === 1) r += inShare[e]! * y[j]!;
        }
        // Projected: a node pays nothing below zero (senior: its realised value does not reach
        // past its external liabilities), nor more than it owes, which also carries a singular
        // cycle to its fixed point.
        const next = Math.min(s.full[i]!, Math.max(0, c[i]! + beta * r));
        change = Math.max(change, Math.abs(next - y[i]!));
        scale = Math.max(scale, Math.abs(next));
        y[i] = next;
      }
    if (change === 0) return;
    const rho = change < previous ? change / previous : 1;
    const left = rho < 1 ? (change * rho) / (1 - rho) : Infinity;
    if (change <= 8 * EPS * scale && left <= 8 * EPS * scale) return;
    previous = change;
    // Slow contraction: guess the payments pinned at a bound from where the sweeps are, solve the
    // rest as a linear system, and keep it if every condition of the fixed point holds.
    if (
      sweep % 32 === 31 &&
      active.length > DENSE_UP_TO &&
      activeSetSolve(s, y, mode, active, c, lenient ? 'owed' : 'zero')
    )
      return;
  }
  // The least vector only decides `unique`: a system that stalls there (nearly singular: a
  // cycle that pays almost only itself) keeps the sweeps' answer, a lower bound.
  if (lenient) return;
  if (active.length > 3000)
    throw new InvalidArgumentError(
      `the clearing system of ${active.length} defaulting nodes did not converge in ${MAX_SWEEPS} sweeps (obligations that almost all stay inside the network converge slowly)`,
    );
  denseSolve(s, y, mode, active, c);
}

/**
 * (I - beta M) y = c over the active nodes by BiCGSTAB (van der Vorst 1992), to a residual of
 * 1e-15 of c; writes y (and returns true) only when it converged with every payment in [0,
 * owed]. Cheap when the
 * sweeps would crawl: when nearly everything a defaulter pays stays among the defaulters.
 */
function krylovSolve(
  s: Setup,
  y: Float64Array,
  mode: Uint8Array,
  active: readonly number[],
  c: Float64Array,
): boolean {
  const { net, inShare, beta } = s;
  const k = active.length;
  const pos = new Int32Array(net.n).fill(-1);
  active.forEach((i, a) => (pos[i] = a));
  const apply = (v: Float64Array, out: Float64Array) => {
    for (let a = 0; a < k; a++) {
      const i = active[a]!;
      let r = 0;
      for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
        const j = net.inNode[e]!;
        if (mode[j] === 1) r += inShare[e]! * v[pos[j]!]!;
      }
      out[a] = v[a]! - beta * r;
    }
  };
  const dot = (u: Float64Array, v: Float64Array) => {
    let t = 0;
    for (let a = 0; a < k; a++) t += u[a]! * v[a]!;
    return t;
  };
  const b = Float64Array.from(active, (i) => c[i]!);
  const x = Float64Array.from(active, (i) => y[i]!);
  const r = new Float64Array(k);
  apply(x, r);
  for (let a = 0; a < k; a++) r[a] = b[a]! - r[a]!;
  const r0 = Float64Array.from(r);
  const p = new Float64Array(k);
  const v = new Float64Array(k);
  const t = new Float64Array(k);
  const sv = new Float64Array(k);
  const bnorm = Math.sqrt(dot(b, b)) || 1;
  let rho = 1;
  let alpha = 1;
  let omega = 1;
  let converged = false;
  for (let it = 0; it < 2000; it++) {
    const rhoNext = dot(r0, r);
    if (rhoNext === 0) break;
    const bet = (rhoNext / rho) * (alpha / omega);
    rho = rhoNext;
    for (let a = 0; a < k; a++) p[a] = r[a]! + bet * (p[a]! - omega * v[a]!);
    apply(p, v);
    const d = dot(r0, v);
    if (d === 0) break;
    alpha = rho / d;
    for (let a = 0; a < k; a++) sv[a] = r[a]! - alpha * v[a]!;
    if (Math.sqrt(dot(sv, sv)) <= 1e-15 * bnorm) {
      for (let a = 0; a < k; a++) x[a] = x[a]! + alpha * p[a]!;
      converged = true;
      break;
    }
    apply(sv, t);
    const tt = dot(t, t);
    if (tt === 0) break;
    omega = dot(t, sv) / tt;
    for (let a = 0; a < k; a++) {
      x[a] = x[a]! + alpha * p[a]! + omega * sv[a]!;
      r[a] = sv[a]! - omega * t[a]!;
    }
    if (Math.sqrt(dot(r, r)) <= 1e-15 * bnorm) {
      converged = true;
      break;
    }
    if (omega === 0) break;
  }
  if (!converged) return false;
  for (let a = 0; a < k; a++) {
    const i = active[a]!;
    if (!(x[a]! >= -1e-12 * Math.max(1, s.full[i]!) && x[a]! <= s.full[i]! * (1 + 1e-12) + 1e-12))
      return false;
  }
  for (let a = 0; a < k; a++) {
    const i = active[a]!;
    y[i] = Math.min(s.full[i]!, Math.max(0, x[a]!));
  }
  return true;
}

/**
 * An active-set step: the nodes whose payment sits at a bound stay there, the others are solved
 * for by BiCGSTAB with those fixed. Sweeping down from above (the greatest vector), a payment at
 * 0 is 0 in the fixed point below it, so only those are pinned (`zero`); sweeping up from below
 * (the least), only payments at all that is owed (`owed`). Kept (true) only if the solution is
 * in range and every pinned node would stay pinned at it (its unprojected payment is past its
 * bound, within 1e-12 of what it owes): then y is that fixed point, found exactly instead of by
 * thousands of sweeps (the free nodes' system being non-singular, it is the one the sweeps
 * approach).
 */
function activeSetSolve(
  s: Setup,
  y: Float64Array,
  mode: Uint8Array,
  active: readonly number[],
  c: Float64Array,
  bound: 'zero' | 'owed',
): boolean {
  const { net, inShare, beta } = s;
  const pinned = new Uint8Array(net.n);
  const free: number[] = [];
  for (const i of active) {
    if (bound === 'zero' ? y[i] === 0 : y[i] === s.full[i]) pinned[i] = 1;
    else free.push(i);
  }
  if (free.length === 0 || free.length === active.length) return false;
  const local = Uint8Array.from(mode);
  for (const i of active) if (pinned[i] === 1) local[i] = 3;
  const cFree = new Float64Array(net.n);
  for (const i of free) {
    let r = 0;
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
      const j = net.inNode[e]!;
      if (local[j] === 3) r += inShare[e]! * y[j]!;
    }
    cFree[i] = c[i]! + beta * r;
  }
  const trial = Float64Array.from(y);
  if (!krylovSolve(s, trial, local, free, cFree)) return false;
  for (const i of active) {
    if (pinned[i] !== 1) continue;
    let r = 0;
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
      const j = net.inNode[e]!;
      if (mode[j] === 1) r += inShare[e]! * trial[j]!;
    }
    const raw = c[i]! + beta * r;
    const tol = 1e-12 * Math.max(1, s.full[i]!);
    if (bound === 'zero' ? raw > tol : raw < s.full[i]! - tol) return false;
  }
  for (const i of active) y[i] = trial[i]!;
  return true;
}

/** (I - beta M) y = c over the active nodes, by Gaussian elimination with partial pivoting. */
function denseSolve(
  s: Setup,
  y: Float64Array,
  mode: Uint8Array,
  active: readonly number[],
  c: Float64Array,
): void {
  const k = active.length;
  const pos = new Map(active.map((i, a) => [i, a]));
  const A = Array.from({ length: k }, () => new Float64Array(k + 1));
  active.forEach((i, a) => {
    A[a]![a] = 1;
    A[a]![k] = c[i]!;
    for (let e = s.net.inStart[i]!; e < s.net.inStart[i + 1]!; e++) {
      const j = s.net.inNode[e]!;
      if (mode[j] === 1) A[a]![pos.get(j)!] = A[a]![pos.get(j)!]! - s.beta * s.inShare[e]!;
    }
  });
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    const p = A[col]![col]!;
    if (Math.abs(p) < 1e-300)
      throw new InvalidArgumentError(
        'the clearing system is singular: a closed cycle of defaulting nodes owes only to itself',
      );
    for (let r = col + 1; r < k; r++) {
      const f = A[r]![col]! / p;
      if (f === 0) continue;
      for (let q = col; q <= k; q++) A[r]![q] = A[r]![q]! - f * A[col]![q]!;
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    let v = A[r]![k]!;
    for (let q = r + 1; q < k; q++) v -= A[r]![q]! * y[active[q]!]!;
    y[active[r]!] = v / A[r]![r]!;
  }
}

/**
 * Modes: 0 solvent (pays in full), 1 paying what it realises, 2 (senior only) paying nothing to
 * other nodes (what it realises does not cover its external liabilities).
 */
function greatest(s: Setup): { y: Float64Array; mode: Uint8Array; rounds: number } {
  const n = s.net.n;
  const y = Float64Array.from(s.full);
  const mode = new Uint8Array(n);
  let rounds = 0;
  for (;;) {
    rounds++;
    let changed = false;
    for (let i = 0; i < n; i++)
      if (mode[i] === 0 && !solvent(s, y, i)) {
        mode[i] = 1;
        changed = true;
      }
    if (!changed) break;
    // Senior: a defaulter whose realised value does not reach past its external liabilities pays
    // other nodes nothing; payments only fall, so such nodes stay there.
    for (;;) {
      solveActive(s, y, mode);
      let moved = false;
      if (s.senior)
        for (let i = 0; i < n; i++)
          if (mode[i] === 1 && y[i]! <= 0) {
            mode[i] = 2;
            y[i] = 0;
            moved = true;
          }
      if (!moved) break;
    }
    for (let i = 0; i < n; i++) if (mode[i] === 1 && y[i]! < 0) y[i] = 0;
  }
  return { y, mode, rounds };
}

/** The mirror: start with nothing paid and everyone in default; nodes become solvent one round at a time. */
function least(s: Setup): Float64Array {
  const n = s.net.n;
  const y = new Float64Array(n);
  const mode = new Uint8Array(n).fill(s.senior ? 2 : 1);
  for (let round = 0; round <= 2 * n + 1; round++) {
    let changed = false;
    if (s.senior)
      for (let i = 0; i < n; i++)
        if (mode[i] === 2) {
          const v = s.alpha * s.net.externalAssets[i]! + s.beta * receipts(s, y, i);
          if (v > s.net.externalLiabilities[i]!) {
            mode[i] = 1;
            changed = true;
          }
        }
    for (;;) {
      solveActive(s, y, mode, true);
      let up = false;
      for (let i = 0; i < n; i++)
        if (mode[i] !== 0 && solvent(s, y, i)) {
          mode[i] = 0;
          y[i] = s.full[i]!;
          up = true;
        }
      if (!up) break;
      changed = true;
    }
    if (!changed) break;
  }
  for (let i = 0; i < n; i++) if (y[i]! < 0) y[i] = 0;
  return y;
}

/** The greatest clearing vector of `net`, who defaults, and whether it is the only one. */
export function clearing(net: Network, o: ClearingOptions = {}): ClearingResult {
  const s = setup(net, o);
  const { y, mode, rounds } = greatest(s);
  const low = least(s);
  const n = net.n;
  let unique = true;
  for (let i = 0; i < n; i++)
    if (Math.abs(y[i]! - low[i]!) > 1e-9 * Math.max(1, s.full[i]!)) unique = false;
  const payments = new Float64Array(n);
  const interbank = new Float64Array(n);
  const external = new Float64Array(n);
  const defaulted: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = net.externalLiabilities[i]!;
    const l = net.interbankLiabilities[i]!;
    if (mode[i] === 0) {
      payments[i] = s.owed[i]!;
      interbank[i] = l;
      external[i] = b;
      continue;
    }
    defaulted.push(i);
    if (s.senior) {
      const V = s.alpha * net.externalAssets[i]! + s.beta * receipts(s, y, i);
      interbank[i] = y[i]!;
      external[i] = Math.min(b, Math.max(0, V));
    } else {
      payments[i] = Math.max(0, y[i]!);
      const share = s.owed[i]! > 0 ? payments[i]! / s.owed[i]! : 0;
      interbank[i] = share * l;
      external[i] = share * b;
    }
    payments[i] = interbank[i]! + external[i]!;
  }
  return {
    payments,
    interbankPayments: interbank,
    externalPayments: external,
    defaulted,
    unique,
    rounds,
  };
}

/**
 * The exact reference of {@link clearing}'s greatest vector, for networks up to 200 nodes. Given
 * who defaults the clearing vector is a closed form, a linear system: this takes the partition the
 * float algorithm found (solvent, paying what it realises, paying other nodes nothing), solves that
 * system by Gaussian elimination in decimal arithmetic, and checks in decimals that the partition
 * holds at the solution (solvent nodes worth at least what they owe, the others short, payments in
 * range; 1e-14 of what is owed allowed at the default tolerance's edge, where the float
 * classification rounds). Throws if it does not.
 */
export function clearingExact(
  net: Network,
  o: ClearingOptions = {},
): { payments: Dec[]; defaulted: number[] } {
  const n = net.n;
  if (n > 200)
    throw new InvalidArgumentError(`the exact clearing reference takes up to 200 nodes, got ${n}`);
  const s = setup(net, o);
  const { mode } = greatest(s);
  const D = (x: number) => new Dec(x);
  const alpha = D(s.alpha);
  const beta = D(s.beta);
  const owed = Array.from(s.owed, D);
  const y: Dec[] = Array.from(s.full, (f, i) => (mode[i] === 0 ? D(f) : D(0)));
  const share = (e: number): Dec =>
    D(net.inAmount[e]!).div(
      s.senior ? D(net.interbankLiabilities[net.inNode[e]!]!) : owed[net.inNode[e]!]!,
    );
  const recv = (i: number): Dec => {
    let r = D(0);
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++)
      r = r.plus(share(e).times(y[net.inNode[e]!]!));
    return r;
  };
  const act: number[] = [];
  for (let i = 0; i < n; i++) if (mode[i] === 1) act.push(i);
  const k = act.length;
  const pos = new Map(act.map((i, a) => [i, a]));
  const A = act.map((i, a) => {
    const row: Dec[] = Array.from({ length: k + 1 }, () => D(0));
    row[a] = D(1);
    let c = alpha.times(net.externalAssets[i]!);
    if (s.senior) c = c.minus(net.externalLiabilities[i]!);
    for (let e = net.inStart[i]!; e < net.inStart[i + 1]!; e++) {
      const j = net.inNode[e]!;
      if (mode[j] === 1) row[pos.get(j)!] = row[pos.get(j)!]!.minus(beta.times(share(e)));
      else c = c.plus(beta.times(share(e)).times(y[j]!));
    }
    row[k] = c;
    return row;
  });
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (A[r]![col]!.abs().gt(A[piv]![col]!.abs())) piv = r;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    if (A[col]![col]!.isZero())
      throw new InvalidArgumentError('the exact clearing system is singular');
    for (let r = col + 1; r < k; r++) {
      const f = A[r]![col]!.div(A[col]![col]!);
      if (f.isZero()) continue;
      for (let q = col; q <= k; q++) A[r]![q] = A[r]![q]!.minus(f.times(A[col]![q]!));
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    let v = A[r]![k]!;
    for (let q = r + 1; q < k; q++) v = v.minus(A[r]![q]!.times(y[act[q]!]!));
    y[act[r]!] = v.div(A[r]![r]!);
  }
  // The partition must hold exactly (within the stated default tolerance).
  for (let i = 0; i < n; i++) {
    const value = D(net.externalAssets[i]!).plus(recv(i));
    const tol = D(DEFAULT_TOLERANCE).times(Dec.max(1, owed[i]!));
    // The float classification rounds at the tolerance's edge: allow it 1e-14 of what is owed.
    const slack = D(1e-14).times(Dec.max(1, owed[i]!));
    const ok =
      mode[i] === 0
        ? value.gte(owed[i]!.minus(tol).minus(slack))
        : value.lt(owed[i]!.minus(tol).plus(slack)) &&
          (mode[i] === 2
            ? alpha
                .times(net.externalAssets[i]!)
                .plus(beta.times(recv(i)))
                .lte(D(net.externalLiabilities[i]!).plus(slack))
            : y[i]!.gte(0));
    if (!ok)
      throw new InvalidArgumentError(
        `the exact clearing check failed at node ${net.ids[i]}: the float partition does not hold exactly`,
      );
  }
  const payments = y.map((v, i) => {
    if (mode[i] === 0) return owed[i]!;
    if (!s.senior) return v;
    const V = alpha.times(net.externalAssets[i]!).plus(beta.times(recv(i)));
    return v.plus(Dec.min(net.externalLiabilities[i]!, Dec.max(0, V)));
  });
  const defaulted: number[] = [];
  for (let i = 0; i < n; i++) if (mode[i] !== 0) defaulted.push(i);
  return { payments, defaulted };
}

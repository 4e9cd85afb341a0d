// Gai and Kapadia (2010), "Contagion in financial networks": seeded directed Erdos-Renyi networks
// of n banks, each ordered pair linked with probability z / (n - 1) (z the average degree); a link
// from creditor i to debtor j is an interbank loan. Every bank has assets 1: a share `interbank`
// (default 0.2) of them interbank, spread evenly over its debtors (a bank with no debtor holds
// none), the rest external; capital is a share `capital` (default 0.04) of assets. One bank,
// drawn at random, fails; a creditor of failed banks loses the whole of its loans to them. With
// a fire sale, the external assets of failed banks are sold and every surviving bank's external
// assets are marked at q = exp(-fireSale x), x the share of all external assets sold. A bank
// fails when its loss strictly exceeds its capital: phi A_IB + (1 - q) A_M > K with phi the share
// of its debtors that failed. Without a fire sale that is k x interbank > capital x j for k of j
// debtors failed, compared exactly in decimals (so 0.2 x 0.2 against 0.04 does not flip on the
// floats' rounding): strictly, as the paper's vulnerability condition K / A_IB < 1 / j has it (its
// solvency inequality, net worth > 0, would fail a bank whose loss equals its capital). With a
// fire sale the test is in floats, and every failed bank's external assets are sold, the first
// one's included.
import { Dec, InvalidArgumentError, stream } from '@contagion/core';

/**
 * Whether a bank with `k` of its `j` debtors failed loses more than its capital, with no fire sale:
 * k / j x interbank > capital, compared exactly in decimals (k x interbank > capital x j).
 */
export function gaiKapadiaFails(k: number, j: number, interbank: number, capital: number): boolean {
  return j > 0 && k > 0 && new Dec(interbank).times(k).gt(new Dec(capital).times(j));
}

/** Options of {@link gaiKapadia}. */
export interface GaiKapadiaOptions {
  readonly banks: number;
  /** Average degree z (expected debtors, and creditors, per bank). */
  readonly degree: number;
  readonly draws: number;
  readonly seed: number;
  readonly capital?: number;
  readonly interbank?: number;
  /** Fire-sale intensity alpha of q = exp(-alpha x); absent: no fire sale (q = 1). */
  readonly fireSale?: number;
  /** Share of banks failed that counts as contagion (default 0.05). */
  readonly contagionAt?: number;
}

/** Over the draws. */
export interface GaiKapadiaResult {
  /** Share of draws in which at least `contagionAt` of the banks failed. */
  readonly frequency: number;
  /** Mean share of banks failed in those draws (NaN when none). */
  readonly extent: number;
  readonly draws: number;
  /** Mean share failed over all draws. */
  readonly meanFailed: number;
}

/** One draw: how many banks failed. */
function drawOnce(
  o: Required<Omit<GaiKapadiaOptions, 'fireSale'>> & { fireSale?: number },
  d: number,
): number {
  const n = o.banks;
  const u = stream(o.seed, 'gai-kapadia', d);
  const p = o.degree / (n - 1);
  // Links by geometric skips over the n (n - 1) ordered pairs: creditor i lends to debtor j.
  const debtors: number[][] = Array.from({ length: n }, () => []);
  const creditors: number[][] = Array.from({ length: n }, () => []);
  const pairs = n * (n - 1);
  if (p >= 1) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (i !== j) {
          debtors[i]!.push(j);
          creditors[j]!.push(i);
        }
  } else if (p > 0) {
    const logq = Math.log(1 - p);
    for (let k = -1; ;) {
      k += 1 + Math.floor(Math.log(1 - u()) / logq);
      if (k >= pairs) break;
      const i = Math.floor(k / (n - 1));
      let j = k % (n - 1);
      if (j >= i) j++;
      debtors[i]!.push(j);
      creditors[j]!.push(i);
    }
  }
  const failed = new Uint8Array(n);
  const lost = new Int32Array(n); // failed debtors per bank
  const first = Math.floor(u() * n);
  failed[first] = 1;
  let count = 1;
  let wave = [first];
  const external = 1 - o.interbank;
  let soldExternal = 0; // external assets of failed banks
  const fails = (i: number, q: number): boolean => {
    const j = debtors[i]!.length;
    const k = lost[i]!;
    if (o.fireSale === undefined) return gaiKapadiaFails(k, j, o.interbank, o.capital);
    const ib = j > 0 ? (o.interbank * k) / j : 0;
    const holdsExternal = j > 0 ? external : 1;
    return ib + (1 - q) * holdsExternal > o.capital;
  };
  while (wave.length > 0) {
    const next: number[] = [];
    for (const f of wave) {
      soldExternal += debtors[f]!.length > 0 ? external : 1;
      for (const c of creditors[f]!) lost[c] = lost[c]! + 1;
    }
    // The whole system's external assets: banks with debtors hold 1 - interbank, others 1.
    let q = 1;
    if (o.fireSale !== undefined) {
      let totalExternal = 0;
      for (let i = 0; i < n; i++) totalExternal += debtors[i]!.length > 0 ? external : 1;
      q = Math.exp(-o.fireSale * (soldExternal / totalExternal));
    }
    for (let i = 0; i < n; i++)
      if (failed[i] === 0 && fails(i, q)) {
        failed[i] = 1;
        count++;
        next.push(i);
      }
    wave = next;
  }
  return count;
}

/** Frequency and extent of contagion over `draws` seeded networks (draw d from (seed, d)). */
export function gaiKapadia(o: GaiKapadiaOptions): GaiKapadiaResult {
  const capital = o.capital ?? 0.04;
  const interbank = o.interbank ?? 0.2;
  const contagionAt = o.contagionAt ?? 0.05;
  if (!(Number.isInteger(o.banks) && o.banks >= 2 && o.banks <= 100_000))
    throw new InvalidArgumentError(
      `banks must be a whole number in [2, 100000], got ${o.banks}`,
      'banks',
    );
  if (!(o.degree >= 0 && o.degree <= o.banks - 1))
    throw new InvalidArgumentError(`degree must be in [0, banks - 1], got ${o.degree}`, 'degree');
  if (!(Number.isInteger(o.draws) && o.draws >= 1))
    throw new InvalidArgumentError(`draws must be a whole number >= 1, got ${o.draws}`, 'draws');
  if (!(capital >= 0 && capital <= 1))
    throw new InvalidArgumentError(`capital must be in [0, 1], got ${capital}`, 'capital');
  if (!(interbank >= 0 && interbank <= 1))
    throw new InvalidArgumentError(`interbank must be in [0, 1], got ${interbank}`, 'interbank');
  if (o.fireSale !== undefined && !(o.fireSale >= 0 && Number.isFinite(o.fireSale)))
    throw new InvalidArgumentError(
      `fire-sale must be a number >= 0, got ${o.fireSale}`,
      'fireSale',
    );
  const opts = { ...o, capital, interbank, contagionAt };
  let hits = 0;
  let extent = 0;
  let mean = 0;
  for (let d = 0; d < o.draws; d++) {
    const failed = drawOnce(opts, d);
    const share = failed / o.banks;
    mean += share;
    // At least contagionAt of the banks (a count, so 50 of 1,000 is 5% whatever the rounding).
    if (failed >= contagionAt * o.banks - 1e-9) {
      hits++;
      extent += share;
    }
  }
  return {
    frequency: hits / o.draws,
    extent: hits > 0 ? extent / hits : NaN,
    draws: o.draws,
    meanFailed: mean / o.draws,
  };
}

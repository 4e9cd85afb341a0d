// The state of the collateral graph's account nodes per step: positions by health band, for pictures.
import { accountNodeOf, INDIVIDUAL_ACCOUNTS_UP_TO } from '@contagion/core';
import { FLAG_BAD_DEBT, FLAG_LIQUIDATED, type SimState } from '../state/state.js';
import { perpEquity } from '../perps/perp.js';

/**
 * Health bands of a position, in the order pictures list them. A position's health factor is
 * threshold-weighted collateral over debt at its market's oracle prices:
 * `liquidatable` below 1, `at-risk` in [1, 1.1), `watch` in [1.1, 1.5), `safe` from 1.5;
 * `no-debt` holds collateral and owes nothing; `closed` has no collateral left (liquidations took it
 * all; any debt left on it is bad debt, booked or latent).
 */
export const HEALTH_BANDS = [
  'liquidatable',
  'at-risk',
  'watch',
  'safe',
  'no-debt',
  'closed',
] as const;
/** A health band name. */
export type HealthBand = (typeof HEALTH_BANDS)[number];
/** Lower health-factor bound of `at-risk`, `watch` and `safe`. */
export const BAND_BOUNDS = Object.freeze({ atRisk: 1, watch: 1.1, safe: 1.5 });

/** Index in {@link HEALTH_BANDS} of a position with weighted collateral `c` and debt `d` (USD). */
export function bandIndex(c: number, d: number, hasCollateral: boolean): number {
  if (!hasCollateral) return 5;
  if (d > 0) {
    const h = c / d;
    if (h < BAND_BOUNDS.atRisk) return 0;
    if (h < BAND_BOUNDS.watch) return 1;
    if (h < BAND_BOUNDS.safe) return 2;
    return 3;
  }
  return 4;
}

/**
 * One row of network.csv: the positions of one graph node (an account, or a cluster of a group's
 * accounts in one market) in one market and health band at the end of a step. On a perpetual
 * venue a position's "collateral" is its equity (margin value plus unrealised PnL) and its "debt"
 * the maintenance margin it must keep, so the same bands read equity / maintenance margin.
 */
export interface NetworkRow {
  step: number;
  /** Graph node key (`account:bob`, `cluster:lendA:borrowers-A`), as in graph.json. */
  node: string;
  /** The lending market. */
  venue: string;
  band: HealthBand;
  /** Positions in the band. */
  positions: number;
  /** Collateral pledged, USD at the market's oracle. */
  collateralValue: number;
  /** Debt owed with interest, USD at the market's oracle. */
  debtValue: number;
  /** Of those positions, how many a liquidation has taken (at this step or before). */
  liquidated: number;
  /** Of those positions, how many had bad debt booked (at this step or before). */
  badDebt: number;
}

/** Reusable per-venue tables that map book rows to graph nodes: markets, then perpetual venues. */
export interface NetworkTables {
  /** Per venue: node index of each book row. */
  readonly rowNode: Int32Array[];
  /** Per venue: node keys, in first-appearance order of the book. */
  readonly nodes: string[][];
}

/**
 * Node tables of `state`: accounts one by one up to `individualUpTo` accounts, else one cluster per
 * account group and market. Clusters are found through the group of each row's account (no string
 * per row), so building the tables costs one pass over the book.
 */
export function networkTables(
  state: SimState,
  individualUpTo: number = INDIVIDUAL_ACCOUNTS_UP_TO,
): NetworkTables {
  const model = state.model;
  const individual = model.accountCount <= individualUpTo;
  const nodeOf = accountNodeOf(model, individualUpTo);
  const groupOf = new Int32Array(model.accountCount);
  model.accountGroups.forEach((g, gi) => groupOf.fill(gi, g.start, g.start + g.count));
  const rowNode: Int32Array[] = [];
  const nodes: string[][] = [];
  const venues = [
    ...state.markets.map((ms) => ({ id: ms.info.id, rows: ms.rows, account: ms.account })),
    ...state.perps.map((ps) => ({ id: ps.info.id, rows: ps.rows, account: ps.account })),
  ];
  for (const ms of venues) {
    // A key per row: the account itself, or its group; the first row of each key names its node.
    const keyOf = individual ? ms.account : ms.account.map((a) => groupOf[a]!);
    let maxKey = -1;
    for (let i = 0; i < ms.rows; i++) if (keyOf[i]! > maxKey) maxKey = keyOf[i]!;
    const first = new Int32Array(maxKey + 1).fill(-1);
    for (let i = 0; i < ms.rows; i++) if (first[keyOf[i]!] === -1) first[keyOf[i]!] = i;
    const seen: [number, string][] = [];
    first.forEach((row, k) => {
      if (row >= 0) seen.push([k, nodeOf(ms.account[row]!, ms.id)]);
    });
    // Nodes in key order, so rows do not depend on the book's internal order.
    const keys = [...seen].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const rank = new Int32Array(keys.reduce((m, [k]) => Math.max(m, k + 1), 0));
    keys.forEach(([k], r) => (rank[k] = r));
    const rn = new Int32Array(ms.rows);
    for (let i = 0; i < ms.rows; i++) rn[i] = rank[keyOf[i]!]!;
    rowNode.push(rn);
    nodes.push(keys.map(([, key]) => key));
  }
  return { rowNode, nodes };
}

const FIELDS = 5; // positions, collateral value, debt value, liquidated, bad debt

/** Rows of network.csv for the current state (oracle prices and weights as last refreshed). */
export function networkRows(state: SimState, tables: NetworkTables, step: number): NetworkRow[] {
  const out: NetworkRow[] = [];
  const nB = HEALTH_BANDS.length;
  state.markets.forEach((ms, mi) => {
    const rn = tables.rowNode[mi]!;
    const keys = tables.nodes[mi]!;
    const acc = new Float64Array(keys.length * nB * FIELDS);
    const cp = ms.info.collReserves.map((ri) => ms.price[ri]!);
    const dp = ms.info.debtReserves.map((ri) => ms.price[ri]! * ms.borrowIndex[ri]!);
    const nC = ms.coll.length;
    const nD = ms.debt.length;
    const { coll, debt, collW, debtW } = ms;
    for (let i = 0; i < ms.rows; i++) {
      // Health parts (threshold-weighted collateral, debt) and values, without an array per row.
      let cw = 0;
      let cv = 0;
      for (let k = 0; k < nC; k++) {
        const x = coll[k]![i]!;
        cw += x * collW[k]!;
        cv += x * cp[k]!;
      }
      let dw = 0;
      let dv = 0;
      for (let k = 0; k < nD; k++) {
        const x = debt[k]![i]!;
        dw += x * debtW[k]!;
        dv += x * dp[k]!;
      }
      const at = (rn[i]! * nB + bandIndex(cw, dw, cv > 0)) * FIELDS;
      const f = ms.flags[i]!;
      acc[at] = acc[at]! + 1;
      acc[at + 1] = acc[at + 1]! + cv;
      acc[at + 2] = acc[at + 2]! + dv;
      if ((f & FLAG_LIQUIDATED) !== 0) acc[at + 3] = acc[at + 3]! + 1;
      if ((f & FLAG_BAD_DEBT) !== 0) acc[at + 4] = acc[at + 4]! + 1;
    }
    pushRows(out, step, ms.info.id, keys, acc);
  });
  const nM = state.markets.length;
  state.perps.forEach((ps, pi) => {
    const rn = tables.rowNode[nM + pi]!;
    const keys = tables.nodes[nM + pi]!;
    const acc = new Float64Array(keys.length * nB * FIELDS);
    const q = state.marketPrice[ps.info.quote]!;
    const mmr = ps.info.maintenanceMargin;
    for (let i = 0; i < ps.rows; i++) {
      const e = perpEquity(ps, i) * q;
      const need = mmr * Math.abs(ps.size[i]!) * ps.mark * q;
      const at = (rn[i]! * nB + bandIndex(e, need, e > 0)) * FIELDS;
      const f = ps.flags[i]!;
      acc[at] = acc[at]! + 1;
      acc[at + 1] = acc[at + 1]! + Math.max(0, e);
      acc[at + 2] = acc[at + 2]! + need;
      if ((f & FLAG_LIQUIDATED) !== 0) acc[at + 3] = acc[at + 3]! + 1;
      if ((f & FLAG_BAD_DEBT) !== 0) acc[at + 4] = acc[at + 4]! + 1;
    }
    pushRows(out, step, ps.info.id, keys, acc);
  });
  return out;
}

function pushRows(
  out: NetworkRow[],
  step: number,
  venue: string,
  keys: readonly string[],
  acc: Float64Array,
): void {
  const nB = HEALTH_BANDS.length;
  keys.forEach((node, n) => {
    for (let b = 0; b < nB; b++) {
      const at = (n * nB + b) * FIELDS;
      if (acc[at] === 0) continue;
      out.push({
        step,
        node,
        venue,
        band: HEALTH_BANDS[b]!,
        positions: acc[at]!,
        collateralValue: acc[at + 1]!,
        debtValue: acc[at + 2]!,
        liquidated: acc[at + 3]!,
        badDebt: acc[at + 4]!,
      });
    }
  });
}

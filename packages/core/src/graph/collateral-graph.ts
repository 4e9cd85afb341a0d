// The collateral graph: assets, venues and (clustered) accounts as nodes; positions and issuance as edges.
import { MultiDirectedGraph } from 'graphology';
import { accountId } from '../model/build.js';
import type { Model } from '../model/model.js';

/** Node kinds of the collateral graph. */
export type NodeKind = 'asset' | 'venue' | 'account' | 'cluster';
/** Edge kinds: who pledges, lends, borrows or issues what. */
export type EdgeKind =
  'deposit' | 'supply' | 'borrow' | 'issues' | 'accepts' | 'pool-holds' | 'tracks';

/** Attributes of a node. */
export interface NodeAttributes {
  kind: NodeKind;
  label: string;
  /** Venue kind (`lending`, `constant-product`) or asset kind (`base`, `stable`, `receipt`). */
  subkind?: string;
  /** Accounts aggregated in a cluster node. */
  accounts?: number;
}

/** Attributes of an edge: the asset it concerns and, for positions, the amount at the start. */
export interface EdgeAttributes {
  kind: EdgeKind;
  asset: string;
  /** Token units at the start (positions and pool holdings). */
  amount?: number;
}

/** The graph type used throughout. */
/** A directed multigraph: one account may hold several assets at one venue, an edge each. */
export type CollateralGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;

/** Options of {@link collateralGraph}. */
export interface CollateralGraphOptions {
  /** Show accounts one by one when the model has at most this many; else cluster per venue and group. */
  readonly individualAccountsUpTo?: number;
  /** Leave accounts out: the venue-only graph of assets, venues, issuance and acceptance. */
  readonly venuesOnly?: boolean;
}

/** Models with at most this many accounts show them one by one; larger ones are clustered. */
export const INDIVIDUAL_ACCOUNTS_UP_TO = 50;

const DEFAULTS = Object.freeze({
  individualAccountsUpTo: INDIVIDUAL_ACCOUNTS_UP_TO,
  venuesOnly: false,
});

/** Node key of an asset, venue or account. */
export const nodeKey = {
  asset: (id: string) => `asset:${id}`,
  venue: (id: string) => `venue:${id}`,
  account: (id: string) => `account:${id}`,
  cluster: (venue: string, group: string) => `cluster:${venue}:${group}`,
};

function addEdgeSum(
  g: CollateralGraph,
  from: string,
  to: string,
  kind: EdgeKind,
  asset: string,
  amount: number,
): void {
  const key = `${kind}:${from}->${to}:${asset}`;
  if (g.hasEdge(key)) g.updateEdgeAttribute(key, 'amount', (a) => (a ?? 0) + amount);
  else g.addDirectedEdgeWithKey(key, from, to, { kind, asset, amount });
}

/**
 * Build the collateral graph of `model` at the start. Edge directions: account -> venue for deposits
 * and supplies (and margin posted on a perpetual venue), venue -> account for borrows, venue -> receipt
 * asset for issuance, asset -> venue where a market (or a perpetual venue, as margin) accepts the
 * asset as collateral, asset -> perpetual venue for the asset its contracts track, and pool -> asset
 * for pool holdings.
 */
export function collateralGraph(
  model: Model,
  options: CollateralGraphOptions = {},
): CollateralGraph {
  const opts = { ...DEFAULTS, ...options };
  const g: CollateralGraph = new MultiDirectedGraph({ allowSelfLoops: false });
  for (const a of model.assets)
    g.addNode(nodeKey.asset(a.id), { kind: 'asset', label: a.id, subkind: a.kind });
  for (const p of model.pools) {
    const key = nodeKey.venue(p.id);
    g.addNode(key, { kind: 'venue', label: p.id, subkind: p.kind });
    p.assets.forEach((a, i) =>
      addEdgeSum(
        g,
        key,
        nodeKey.asset(model.assets[a]!.id),
        'pool-holds',
        model.assets[a]!.id,
        p.reserves[i]!,
      ),
    );
  }
  model.markets.forEach((m) =>
    g.addNode(nodeKey.venue(m.id), {
      kind: 'venue',
      label: m.id,
      subkind: m.cdp === undefined ? 'lending' : 'cdp',
    }),
  );
  model.markets.forEach((m) => {
    const vk = nodeKey.venue(m.id);
    for (const r of m.reserves) {
      const aid = model.assets[r.asset]!.id;
      if (r.receipt >= 0)
        addEdgeSum(
          g,
          vk,
          nodeKey.asset(model.assets[r.receipt]!.id),
          'issues',
          model.assets[r.receipt]!.id,
          0,
        );
      if (r.collSlot >= 0) addEdgeSum(g, nodeKey.asset(aid), vk, 'accepts', aid, 0);
    }
  });
  for (const p of model.perps) {
    const vk = nodeKey.venue(p.id);
    g.addNode(vk, { kind: 'venue', label: p.id, subkind: 'perp' });
    const aid = model.assets[p.asset]!.id;
    addEdgeSum(g, nodeKey.asset(aid), vk, 'tracks', aid, 0);
    for (const a of [p.quote, ...p.collateral.map((c) => c.asset)]) {
      const id = model.assets[a]!.id;
      addEdgeSum(g, nodeKey.asset(id), vk, 'accepts', id, 0);
    }
  }
  for (const o of model.options) {
    const vk = nodeKey.venue(o.id);
    g.addNode(vk, { kind: 'venue', label: o.id, subkind: 'options' });
    const aid = model.assets[o.asset]!.id;
    addEdgeSum(g, nodeKey.asset(aid), vk, 'tracks', aid, 0);
  }
  if (opts.venuesOnly) return g;
  if (model.accountCount <= opts.individualAccountsUpTo) addAccounts(g, model);
  else addClusters(g, model);
  return g;
}

/**
 * The graph node that stands for account `acct`'s position in market `venue`: the account itself
 * when the model has at most `individualUpTo` accounts, else the cluster of its group in that market
 * (the same rule {@link collateralGraph} follows).
 */
export function accountNodeOf(
  model: Pick<Model, 'accountCount' | 'accountGroups' | 'explicitIds'>,
  individualUpTo: number = INDIVIDUAL_ACCOUNTS_UP_TO,
): (acct: number, venue: string) => string {
  if (model.accountCount <= individualUpTo)
    return (acct) => nodeKey.account(accountId(model, acct));
  const groupOf = new Int32Array(model.accountCount);
  model.accountGroups.forEach((grp, gi) => groupOf.fill(gi, grp.start, grp.start + grp.count));
  return (acct, venue) => nodeKey.cluster(venue, model.accountGroups[groupOf[acct]!]!.name);
}

/** A venue reachable from a shocked asset and the shortest path (node keys) that reaches it. */
export interface ReachedVenue {
  readonly venue: string;
  /** Node keys from the asset to the venue, both included. */
  readonly path: readonly string[];
  /** Venues on the path, this one included: 1 for a direct holder of the asset. */
  readonly depth: number;
}

/**
 * Venues reachable from `asset` through exposure: a venue is exposed to an asset it accepts as
 * collateral, holds in a pool or tracks (perpetual contracts), and to the receipt tokens of exposed
 * markets. Breadth-first, ties
 * by node key, so the result does not depend on insertion order.
 */
export function reachableVenues(g: CollateralGraph, asset: string): ReachedVenue[] {
  const start = nodeKey.asset(asset);
  if (!g.hasNode(start)) return [];
  const prev = new Map<string, string | null>([[start, null]]);
  let frontier = [start];
  const out: ReachedVenue[] = [];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const node of frontier) {
      const targets: string[] = [];
      g.forEachOutEdge(node, (_e, attr, _s, t) => {
        if (attr.kind === 'accepts' || attr.kind === 'issues' || attr.kind === 'tracks')
          targets.push(t);
      });
      // A pool holding the asset is exposed to it: follow pool-holds edges backwards.
      g.forEachInEdge(node, (_e, attr, s) => {
        if (attr.kind === 'pool-holds') targets.push(s);
      });
      targets.sort();
      for (const t of targets) {
        if (prev.has(t)) continue;
        prev.set(t, node);
        next.push(t);
      }
    }
    frontier = next.sort();
  }
  for (const [node] of prev) {
    if (g.getNodeAttribute(node, 'kind') !== 'venue') continue;
    const path: string[] = [];
    for (let n: string | null = node; n !== null; n = prev.get(n) ?? null) path.unshift(n);
    const depth = path.filter((k) => k.startsWith('venue:')).length;
    out.push({ venue: g.getNodeAttribute(node, 'label'), path, depth });
  }
  return out.sort(
    (a, b) => a.depth - b.depth || (a.venue < b.venue ? -1 : a.venue > b.venue ? 1 : 0),
  );
}

/** Accounts one by one: a node per account, an edge per position. */
function addAccounts(g: CollateralGraph, model: Model): void {
  const node = (acct: number): string => {
    const key = nodeKey.account(accountId(model, acct));
    if (!g.hasNode(key)) g.addNode(key, { kind: 'account', label: accountId(model, acct) });
    return key;
  };
  const sup = model.supplies;
  for (let k = 0; k < sup.rows; k++) {
    const m = model.markets[sup.market[k]!]!;
    const asset = model.assets[m.reserves[sup.reserve[k]!]!.asset]!.id;
    addEdgeSum(g, node(sup.account[k]!), nodeKey.venue(m.id), 'supply', asset, sup.amount[k]!);
  }
  model.perps.forEach((p, pi) => {
    const book = model.perpBooks[pi]!;
    const vk = nodeKey.venue(p.id);
    for (let r = 0; r < book.rows; r++) {
      const a = node(book.account[r]!);
      // Margin in the quote asset: the balance plus the contracts' cost (cash = margin - size x entry).
      const quote = book.cash[r]! + book.size[r]! * book.entry[r]!;
      if (quote > 0) addEdgeSum(g, a, vk, 'deposit', model.assets[p.quote]!.id, quote);
      p.collateral.forEach((c, k) => {
        const x = book.coll[k]![r]!;
        if (x > 0) addEdgeSum(g, a, vk, 'deposit', model.assets[c.asset]!.id, x);
      });
    }
  });
  model.markets.forEach((m, mi) => {
    const book = model.books[mi]!;
    const vk = nodeKey.venue(m.id);
    for (let r = 0; r < book.rows; r++) {
      const a = node(book.account[r]!);
      m.collReserves.forEach((ri, slot) => {
        const x = book.coll[slot]![r]!;
        if (x > 0) addEdgeSum(g, a, vk, 'deposit', model.assets[m.reserves[ri]!.asset]!.id, x);
      });
      m.debtReserves.forEach((ri, slot) => {
        const x = book.debt[slot]![r]!;
        if (x > 0) addEdgeSum(g, vk, a, 'borrow', model.assets[m.reserves[ri]!.asset]!.id, x);
      });
    }
  });
}

/**
 * Accounts clustered per market and account group: a node per cluster counting its distinct
 * accounts, an edge per cluster and asset summing the positions. Sums are taken in typed arrays
 * first, so the cost is one pass over the book, not a graph update per position.
 */
function addClusters(g: CollateralGraph, model: Model): void {
  const nG = model.accountGroups.length;
  const groupOf = new Int32Array(model.accountCount);
  model.accountGroups.forEach((grp, gi) => groupOf.fill(gi, grp.start, grp.start + grp.count));
  const seen = new Int32Array(model.accountCount).fill(-1);
  model.markets.forEach((m, mi) => {
    const nR = m.reserves.length;
    const accounts = new Int32Array(nG);
    const supplied = new Float64Array(nG * nR);
    const deposited = new Float64Array(nG * nR);
    const borrowed = new Float64Array(nG * nR);
    const count = (acct: number): number => {
      const grp = groupOf[acct]!;
      if (seen[acct] !== mi) {
        seen[acct] = mi;
        accounts[grp]!++;
      }
      return grp;
    };
    const sup = model.supplies;
    for (let k = 0; k < sup.rows; k++) {
      if (sup.market[k] !== mi) continue;
      const grp = count(sup.account[k]!);
      supplied[grp * nR + sup.reserve[k]!]! += sup.amount[k]!;
    }
    const book = model.books[mi]!;
    for (let r = 0; r < book.rows; r++) {
      const grp = count(book.account[r]!);
      m.collReserves.forEach((ri, slot) => (deposited[grp * nR + ri]! += book.coll[slot]![r]!));
      m.debtReserves.forEach((ri, slot) => (borrowed[grp * nR + ri]! += book.debt[slot]![r]!));
    }
    const vk = nodeKey.venue(m.id);
    model.accountGroups.forEach((grp, gi) => {
      if (accounts[gi] === 0) return;
      const node = nodeKey.cluster(m.id, grp.name);
      g.addNode(node, { kind: 'cluster', label: `${grp.name} @ ${m.id}`, accounts: accounts[gi]! });
      m.reserves.forEach((res, ri) => {
        const asset = model.assets[res.asset]!.id;
        const at = gi * nR + ri;
        if (supplied[at]! > 0) addEdgeSum(g, node, vk, 'supply', asset, supplied[at]!);
        if (deposited[at]! > 0) addEdgeSum(g, node, vk, 'deposit', asset, deposited[at]!);
        if (borrowed[at]! > 0) addEdgeSum(g, vk, node, 'borrow', asset, borrowed[at]!);
      });
    });
  });
  model.perps.forEach((p, pi) => {
    const book = model.perpBooks[pi]!;
    const margin = [p.quote, ...p.collateral.map((c) => c.asset)];
    const nM = margin.length;
    const accounts = new Int32Array(nG);
    const posted = new Float64Array(nG * nM);
    for (let r = 0; r < book.rows; r++) {
      const grp = groupOf[book.account[r]!]!;
      // One row per account and venue: each row is a distinct account.
      accounts[grp]!++;
      posted[grp * nM]! += Math.max(0, book.cash[r]! + book.size[r]! * book.entry[r]!);
      p.collateral.forEach((_, k) => (posted[grp * nM + 1 + k]! += book.coll[k]![r]!));
    }
    const vk = nodeKey.venue(p.id);
    model.accountGroups.forEach((grp, gi) => {
      if (accounts[gi] === 0) return;
      const node = nodeKey.cluster(p.id, grp.name);
      g.addNode(node, { kind: 'cluster', label: `${grp.name} @ ${p.id}`, accounts: accounts[gi]! });
      margin.forEach((a, k) => {
        const x = posted[gi * nM + k]!;
        if (x > 0) addEdgeSum(g, node, vk, 'deposit', model.assets[a]!.id, x);
      });
    });
  });
}

// The literature's measures on a scenario's own collateral graph. The network is the system at
// the start (step 0), as the model built it:
// - nodes: every lending market and CDP, and every account with a position in one;
// - an account owes each market it borrowed from its debt (USD at the prices given); a market
//   owes each account that supplied it the value of the receipt tokens minted (so a looper that
//   supplied lendA and borrowed from lendB sits between them: lendA -> looper -> lendB, the
//   rehypothecation chain);
// - external assets: an account's collateral other than receipt tokens (the receipts are its
//   claims on their issuer, already an edge), a market's cash; a CDP's external liabilities are
//   its stablecoin outstanding (held outside the graph);
// - capital (DebtRank's buffer): an account's equity (external assets + claims - debts, at
//   least 0); a market's collateral cushion, what its borrowers' collateral is worth above their
//   debts (a secured lender loses only past it), plus its treasury, which is 0 at the start;
// - weight: the node's assets (external assets + claims).
// Perpetual and options venues, pools and outside holders are not nodes.
import { accountId, type Model } from '@contagion/core';
import { clearing } from './clearing.js';
import { debtRank } from './debtrank.js';
import { compileNetwork, type NetworkInput } from './network.js';

/** The collateral graph as a balance-sheet network, and which nodes are venues. */
export interface DefiNetwork {
  readonly input: NetworkInput;
  /** Node ids of the venues (the markets' ids), in model order. */
  readonly venues: readonly string[];
  /** Accounts in the network. */
  readonly accounts: number;
}

/**
 * The network of `model` at the start, valued at `prices` (USD per asset; a receipt token at its
 * underlying's price, the exchange rate being 1 at the start).
 */
export function collateralNetwork(model: Model, prices: ArrayLike<number>): DefiNetwork {
  const assets = model.assets;
  const value = (a: number) => {
    const info = assets[a]!;
    return info.kind === 'receipt' ? prices[info.underlying!]! : prices[a]!;
  };
  const venues = model.markets.map((m) => m.id);
  const acct = new Map<number, number>(); // account index -> node
  const ext = new Map<number, number>(); // node -> external assets (accounts)
  const claims: number[] = venues.map(() => 0);
  const liabilities: { debtor: string; creditor: string; amount: number }[] = [];
  const cushion = venues.map(() => 0);
  const loans = venues.map(() => 0);
  const ids: string[] = [...venues];
  const nodeOf = (a: number): number => {
    let k = acct.get(a);
    if (k === undefined) {
      k = ids.length;
      acct.set(a, k);
      ids.push(`account:${accountId(model, a)}`);
    }
    return k;
  };
  const owe = new Map<string, number>();
  const add = (debtor: number, creditor: number, x: number) => {
    if (!(x > 0)) return;
    const key = `${debtor} ${creditor}`;
    owe.set(key, (owe.get(key) ?? 0) + x);
  };
  model.markets.forEach((m, mi) => {
    const book = model.books[mi]!;
    for (let i = 0; i < book.rows; i++) {
      const k = nodeOf(book.account[i]!);
      let coll = 0;
      let outside = 0;
      m.collReserves.forEach((ri, s) => {
        const a = m.reserves[ri]!.asset;
        const v = book.coll[s]![i]! * value(a);
        coll += v;
        if (assets[a]!.kind !== 'receipt') outside += v;
      });
      let debt = 0;
      m.debtReserves.forEach((ri, s) => {
        debt += book.debt[s]![i]! * value(m.reserves[ri]!.asset);
      });
      ext.set(k, (ext.get(k) ?? 0) + outside);
      add(k, mi, debt);
      loans[mi] = loans[mi]! + debt;
      cushion[mi] = cushion[mi]! + Math.max(0, coll - debt);
    }
  });
  const s = model.supplies;
  for (let r = 0; r < s.rows; r++) {
    const mi = s.market[r]!;
    const k = nodeOf(s.account[r]!);
    const x = s.amount[r]! * value(model.markets[mi]!.reserves[s.reserve[r]!]!.asset);
    add(mi, k, x);
  }
  for (const [key, x] of owe) {
    const [d, c] = key.split(' ').map(Number) as [number, number];
    liabilities.push({ debtor: ids[d]!, creditor: ids[c]!, amount: x });
    if (c >= venues.length) claims[c] = (claims[c] ?? 0) + x;
  }
  // Accounts' debts, for their equity.
  const debts = new Map<number, number>();
  for (const [key, x] of owe) {
    const [d] = key.split(' ').map(Number) as [number, number];
    if (d >= venues.length) debts.set(d, (debts.get(d) ?? 0) + x);
  }
  const nodes = ids.map((id, k) => {
    if (k < venues.length) {
      const m = model.markets[k]!;
      const cash = model.reserveBalances[k]!.reduce(
        (t, b, ri) => t + b.cash * value(m.reserves[ri]!.asset),
        0,
      );
      const stable = m.cdp === undefined ? 0 : loans[k]!;
      return {
        id,
        externalAssets: m.cdp === undefined ? cash : 0,
        externalLiabilities: stable,
        capital: cushion[k]!,
        weight: (m.cdp === undefined ? cash : 0) + loans[k]!,
      };
    }
    const e = ext.get(k) ?? 0;
    const assetsTotal = e + (claims[k] ?? 0);
    return {
      id,
      externalAssets: e,
      externalLiabilities: 0,
      capital: Math.max(0, assetsTotal - (debts.get(k) ?? 0)),
      weight: assetsTotal,
    };
  });
  return { input: { nodes, liabilities }, venues, accounts: ids.length - venues.length };
}

/** The literature's measures on the collateral graph, for summary.json. */
export interface NetworkMeasures {
  readonly nodes: number;
  readonly accounts: number;
  readonly liabilities: number;
  /**
   * Per venue: the DebtRank of its failure (h = 1 on the venue, nothing else shocked), at the
   * start's prices, differential and single-hit.
   */
  readonly debtRank: Readonly<
    Record<string, { readonly differential: number; readonly singleHit: number }>
  >;
  /**
   * Eisenberg-Noe clearing of the start's positions at the prices the exogenous path ends at (the
   * shock without the cascade's fire sales): per venue what it owes and pays, who defaults, and
   * the total shortfall (USD).
   */
  readonly clearing: {
    readonly owed: Readonly<Record<string, number>>;
    readonly payments: Readonly<Record<string, number>>;
    readonly defaultedVenues: readonly string[];
    readonly defaultedAccounts: number;
    readonly shortfall: number;
    readonly unique: boolean;
  };
}

/** Measures of `model`'s collateral graph: DebtRank per venue at `start` prices, clearing at `shocked`. */
export function networkMeasures(
  model: Model,
  start: ArrayLike<number>,
  shocked: ArrayLike<number>,
): NetworkMeasures {
  const before = collateralNetwork(model, start);
  const net = compileNetwork(before.input);
  const debtRankOf: Record<string, { differential: number; singleHit: number }> = {};
  before.venues.forEach((v, k) => {
    const psi = new Float64Array(net.n);
    psi[k] = 1;
    debtRankOf[v] = {
      differential: debtRank(net, psi, { variant: 'differential' }).debtRank,
      singleHit: debtRank(net, psi, { variant: 'single-hit' }).debtRank,
    };
  });
  const after = compileNetwork(collateralNetwork(model, shocked).input);
  const c = clearing(after);
  const owed: Record<string, number> = {};
  const payments: Record<string, number> = {};
  let shortfall = 0;
  for (let i = 0; i < after.n; i++) {
    const o = after.interbankLiabilities[i]! + after.externalLiabilities[i]!;
    shortfall += o - c.payments[i]!;
    if (i < before.venues.length) {
      owed[after.ids[i]!] = o;
      payments[after.ids[i]!] = c.payments[i]!;
    }
  }
  return {
    nodes: net.n,
    accounts: before.accounts,
    liabilities: net.outNode.length,
    debtRank: debtRankOf,
    clearing: {
      owed,
      payments,
      defaultedVenues: c.defaulted
        .filter((i) => i < before.venues.length)
        .map((i) => after.ids[i]!),
      defaultedAccounts: c.defaulted.filter((i) => i >= before.venues.length).length,
      shortfall,
      unique: c.unique,
    },
  };
}

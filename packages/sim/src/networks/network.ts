// Balance-sheet networks for the literature's contagion measures: nodes with external assets and
// liabilities, capital and an economic weight; interbank liabilities from debtor to creditor.
// Convention: a liability { debtor: i, creditor: j, amount } is what i owes j, and so j's
// interbank asset on i.
import { InvalidArgumentError } from '@contagion/core';

/** A node as given. Fields a method does not need may be absent (they read as 0, weight 1). */
export interface NetworkNode {
  readonly id: string;
  readonly externalAssets?: number;
  readonly externalLiabilities?: number;
  /** The buffer DebtRank and threshold cascades use (equity). */
  readonly capital?: number;
  /** Economic weight (normalised to sum to 1 where used). */
  readonly weight?: number;
}

/** An interbank liability: what `debtor` owes `creditor`. */
export interface NetworkLiability {
  readonly debtor: string;
  readonly creditor: string;
  readonly amount: number;
}

/** A network as given (the CLI's JSON input). */
export interface NetworkInput {
  readonly nodes: readonly NetworkNode[];
  readonly liabilities: readonly NetworkLiability[];
}

/**
 * A network compiled to arrays: per node its figures, and its liabilities both by debtor (what it
 * owes, `out`) and by creditor (what it is owed, `in`), in compressed rows. Parallel liabilities
 * between the same pair are summed; a liability of a node to itself is refused.
 */
export interface Network {
  readonly n: number;
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly externalAssets: Float64Array;
  readonly externalLiabilities: Float64Array;
  readonly capital: Float64Array;
  readonly weight: Float64Array;
  /** Interbank liabilities of each node (sum of what it owes other nodes). */
  readonly interbankLiabilities: Float64Array;
  /** Interbank assets of each node (sum of what other nodes owe it). */
  readonly interbankAssets: Float64Array;
  /** By debtor: liabilities outStart[i]..outStart[i+1] of node i go to outNode with outAmount. */
  readonly outStart: Int32Array;
  readonly outNode: Int32Array;
  readonly outAmount: Float64Array;
  /** By creditor: what node j is owed, from inNode, inAmount. */
  readonly inStart: Int32Array;
  readonly inNode: Int32Array;
  readonly inAmount: Float64Array;
}

function bad(path: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(`${path}: ${message}`);
}

function finiteAtLeast0(x: unknown, path: string, optional = true): number {
  if (x === undefined && optional) return 0;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
    throw bad(path, `must be a finite number >= 0, got ${JSON.stringify(x)}`);
  return x;
}

/** Check and compile a network. Errors name the field: `liabilities[2].creditor: no node "Z"`. */
export function compileNetwork(input: NetworkInput): Network {
  if (input === null || typeof input !== 'object')
    throw bad('(top)', 'must be an object with nodes and liabilities');
  if (!Array.isArray(input.nodes) || input.nodes.length === 0)
    throw bad('nodes', 'must be a non-empty list');
  if (!Array.isArray(input.liabilities)) throw bad('liabilities', 'must be a list');
  const n = input.nodes.length;
  const ids: string[] = [];
  const index = new Map<string, number>();
  const externalAssets = new Float64Array(n);
  const externalLiabilities = new Float64Array(n);
  const capital = new Float64Array(n);
  const weight = new Float64Array(n);
  input.nodes.forEach((node, i) => {
    const at = `nodes[${i}]`;
    if (node === null || typeof node !== 'object') throw bad(at, 'must be an object');
    if (typeof node.id !== 'string' || node.id === '')
      throw bad(`${at}.id`, `must be a non-empty string, got ${JSON.stringify(node.id)}`);
    if (index.has(node.id))
      throw bad(`${at}.id`, `"${node.id}" is also nodes[${index.get(node.id)}]`);
    index.set(node.id, i);
    ids.push(node.id);
    externalAssets[i] = finiteAtLeast0(node.externalAssets, `${at}.externalAssets`);
    externalLiabilities[i] = finiteAtLeast0(node.externalLiabilities, `${at}.externalLiabilities`);
    capital[i] = finiteAtLeast0(node.capital, `${at}.capital`);
    weight[i] = node.weight === undefined ? 1 : finiteAtLeast0(node.weight, `${at}.weight`);
  });
  // Sum parallel liabilities per (debtor, creditor).
  const pairs = new Map<number, number>();
  input.liabilities.forEach((l, k) => {
    const at = `liabilities[${k}]`;
    if (l === null || typeof l !== 'object') throw bad(at, 'must be an object');
    const d = index.get(l.debtor);
    if (d === undefined) throw bad(`${at}.debtor`, `no node ${JSON.stringify(l.debtor)}`);
    const c = index.get(l.creditor);
    if (c === undefined) throw bad(`${at}.creditor`, `no node ${JSON.stringify(l.creditor)}`);
    if (c === d) throw bad(at, `"${l.debtor}" owes itself`);
    const amount = finiteAtLeast0(l.amount, `${at}.amount`, false);
    if (amount === 0) return;
    const key = d * n + c;
    pairs.set(key, (pairs.get(key) ?? 0) + amount);
  });
  const keys = [...pairs.keys()].sort((a, b) => a - b);
  const m = keys.length;
  const outStart = new Int32Array(n + 1);
  const outNode = new Int32Array(m);
  const outAmount = new Float64Array(m);
  const inCount = new Int32Array(n + 1);
  const interbankLiabilities = new Float64Array(n);
  const interbankAssets = new Float64Array(n);
  keys.forEach((key, e) => {
    const d = Math.floor(key / n);
    const c = key % n;
    const a = pairs.get(key)!;
    outStart[d + 1]!++;
    outNode[e] = c;
    outAmount[e] = a;
    inCount[c + 1]!++;
    interbankLiabilities[d] = interbankLiabilities[d]! + a;
    interbankAssets[c] = interbankAssets[c]! + a;
  });
  for (let i = 0; i < n; i++) {
    outStart[i + 1] = outStart[i + 1]! + outStart[i]!;
    inCount[i + 1] = inCount[i + 1]! + inCount[i]!;
  }
  const inStart = Int32Array.from(inCount);
  const fill = Int32Array.from(inCount.subarray(0, n));
  const inNode = new Int32Array(m);
  const inAmount = new Float64Array(m);
  for (let d = 0; d < n; d++)
    for (let e = outStart[d]!; e < outStart[d + 1]!; e++) {
      const c = outNode[e]!;
      const slot = fill[c]!++;
      inNode[slot] = d;
      inAmount[slot] = outAmount[e]!;
    }
  return {
    n,
    ids,
    index,
    externalAssets,
    externalLiabilities,
    capital,
    weight,
    interbankLiabilities,
    interbankAssets,
    outStart,
    outNode,
    outAmount,
    inStart,
    inNode,
    inAmount,
  };
}

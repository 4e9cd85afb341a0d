// The network as drawn: nodes (assets, venues, accounts or cluster-by-band nodes), edges, and the
// state of every node and edge at every step. Pure data; the layout and the SVG come after.
import { HEALTH_BANDS } from '@contagion/sim';
import type { GraphEdgeData, HealthBand, RunData } from '../data.js';
import { change, count, price, ratio, share as pct, usd } from '../format.js';
import { BAND_LABELS, badDebtFill, BAND_COLOURS, priceMoveFill } from '../palette.js';

/** Kinds of drawn nodes. */
export type SceneNodeKind =
  'asset' | 'lending' | 'pool' | 'perp' | 'account' | 'cluster' | 'supplier';

/** A drawn node. */
export interface SceneNode {
  /** Stable element id in the SVG (`n0`, `n1`, ...). */
  readonly id: string;
  /** graph.json key, with `|<band>` for a cluster's band node. */
  readonly key: string;
  readonly kind: SceneNodeKind;
  readonly label: string;
  /** Asset kind (`base`, `stable`, `receipt`) for assets. */
  readonly subkind?: string;
  /** Graph key of the account or cluster behind an account, cluster or supplier node. */
  readonly owner?: string;
  /** Band of a cluster node. */
  readonly band?: HealthBand;
}

/** Kinds of drawn edges: graph.json's, with deposits of receipt tokens apart as `rehypothecation`. */
export type SceneEdgeKind =
  | 'deposit'
  | 'rehypothecation'
  | 'borrow'
  | 'supply'
  | 'issues'
  | 'accepts'
  | 'pool-holds'
  | 'tracks';

/** A drawn edge between two scene nodes (indices into `nodes`). */
export interface SceneEdge {
  readonly id: string;
  readonly source: number;
  readonly target: number;
  readonly kind: SceneEdgeKind;
  readonly asset: string;
}

/** Which contagion channel a marked edge carried (0 none, else 1 shock, 2 price, 3 value, 4 a liquidation). */
export const EDGE_MARKS = ['', 'shock', 'price', 'value', 'liquidated'] as const;
export type EdgeMark = (typeof EDGE_MARKS)[number];

/** A node at one step. */
export interface NodeState {
  readonly fill: string;
  /** Value the size stands for (USD). */
  readonly value: number;
  /** Drawn at this step (a cluster band with no positions, or a run without the node, is not). */
  readonly present: boolean;
  /** Positions behind an account or cluster node (0 for others). */
  readonly count: number;
  /** Marked as touched by liquidations (a ring). */
  readonly liquidated: boolean;
  /** Tooltip lines. */
  readonly text: readonly string[];
}

/** The whole scene: nodes, edges, and per step the state of each. */
export interface Scene {
  readonly title: string;
  readonly seed: number;
  readonly steps: number;
  readonly nodes: readonly SceneNode[];
  readonly edges: readonly SceneEdge[];
  /** [step][node] */
  readonly nodeStates: readonly (readonly NodeState[])[];
  /** [step][edge] mark. */
  readonly edgeMarks: readonly (readonly EdgeMark[])[];
  /** Whether accounts are drawn one by one (else clusters by band). */
  readonly individual: boolean;
}

/** Colour severity of bands when one account's positions fall in several (worst first). */
const SEVERITY: readonly HealthBand[] = [
  'liquidatable',
  'at-risk',
  'watch',
  'closed',
  'safe',
  'no-debt',
];

interface Figures {
  positions: number;
  collateral: number;
  debt: number;
  liquidated: number;
  badDebt: number;
  worst: number;
  /** Markets in which a liquidation took one of the node's positions (so far). */
  liquidatedIn: Set<string>;
}

const blankFigures = (): Figures => ({
  positions: 0,
  collateral: 0,
  debt: 0,
  liquidated: 0,
  badDebt: 0,
  worst: SEVERITY.length,
  liquidatedIn: new Set(),
});

/** Build the scene of a run. */
export function buildScene(data: RunData): Scene {
  const { graph, summary } = data;
  const steps = summary.steps;
  const attrs = new Map(graph.nodes.map((n) => [n.key, n.attributes]));
  const nodes: SceneNode[] = [];
  const index = new Map<string, number>();
  const add = (n: Omit<SceneNode, 'id'>): number => {
    const i = nodes.length;
    nodes.push({ ...n, id: `n${i}` });
    index.set(n.key, i);
    return i;
  };
  // Assets and venues first, in graph order.
  for (const n of graph.nodes) {
    const a = n.attributes;
    if (a.kind === 'asset')
      add({
        key: n.key,
        kind: 'asset',
        label: a.label,
        ...(a.subkind ? { subkind: a.subkind } : {}),
      });
    else if (a.kind === 'venue')
      add({
        key: n.key,
        kind:
          a.subkind === 'lending' || a.subkind === 'cdp'
            ? 'lending'
            : a.subkind === 'perp' || a.subkind === 'options'
              ? 'perp'
              : 'pool',
        label: a.label,
        ...(a.subkind === 'cdp' || a.subkind === 'options' ? { subkind: a.subkind } : {}),
      });
  }
  // Bands each cluster ever shows, over the whole run.
  const clusterBands = new Map<string, Set<HealthBand>>();
  for (const r of data.network) {
    if (!r.node.startsWith('cluster:')) continue;
    let s = clusterBands.get(r.node);
    if (s === undefined) clusterBands.set(r.node, (s = new Set()));
    s.add(r.band);
  }
  const individual = graph.nodes.some((n) => n.attributes.kind === 'account');
  const owners = new Map<string, number[]>();
  for (const n of graph.nodes) {
    const a = n.attributes;
    if (a.kind === 'account') {
      const hasPosition = graph.edges.some(
        (e) => (e.source === n.key || e.target === n.key) && e.attributes.kind !== 'supply',
      );
      owners.set(n.key, [
        add({
          key: n.key,
          kind: hasPosition ? 'account' : 'supplier',
          label: a.label,
          owner: n.key,
        }),
      ]);
    } else if (a.kind === 'cluster') {
      const bands = clusterBands.get(n.key);
      if (bands === undefined) {
        owners.set(n.key, [add({ key: n.key, kind: 'supplier', label: a.label, owner: n.key })]);
        continue;
      }
      const ids = HEALTH_BANDS.filter((b) => bands.has(b)).map((band) =>
        add({ key: `${n.key}|${band}`, kind: 'cluster', label: a.label, owner: n.key, band }),
      );
      owners.set(n.key, ids);
    }
  }
  const edges = sceneEdges(graph.edges, index, owners, attrs);
  const frames = sceneStates(data, nodes, edges, index);
  return {
    title: summary.scenario.name,
    seed: summary.seed,
    steps,
    nodes,
    edges,
    nodeStates: frames.nodeStates,
    edgeMarks: frames.edgeMarks,
    individual,
  };
}

function sceneEdges(
  graphEdges: readonly GraphEdgeData[],
  index: Map<string, number>,
  owners: Map<string, number[]>,
  attrs: Map<string, GraphNodeAttrs>,
): SceneEdge[] {
  const out: SceneEdge[] = [];
  const push = (source: number, target: number, kind: SceneEdgeKind, asset: string) =>
    out.push({ id: `e${out.length}`, source, target, kind, asset });
  for (const e of graphEdges) {
    const kind = e.attributes.kind;
    const asset = e.attributes.asset;
    const receipt = attrs.get(`asset:${asset}`)?.subkind === 'receipt';
    const drawn: SceneEdgeKind =
      kind === 'deposit' && receipt ? 'rehypothecation' : (kind as SceneEdgeKind);
    const from = owners.get(e.source) ?? [index.get(e.source)];
    const to = owners.get(e.target) ?? [index.get(e.target)];
    for (const s of from)
      for (const t of to) if (s !== undefined && t !== undefined) push(s, t, drawn, asset);
  }
  return out;
}

type GraphNodeAttrs = RunData['graph']['nodes'][number]['attributes'];

/** Per step: each node's fill, value, ring and tooltip; each edge's contagion mark. */
function sceneStates(
  data: RunData,
  nodes: readonly SceneNode[],
  edges: readonly SceneEdge[],
  index: Map<string, number>,
): { nodeStates: NodeState[][]; edgeMarks: EdgeMark[][] } {
  const steps = data.summary.steps;
  const byStep = <T extends { step: number }>(rows: readonly T[]): T[][] => {
    const out: T[][] = Array.from({ length: steps + 1 }, () => []);
    for (const r of rows) if (r.step >= 0 && r.step <= steps) out[r.step]!.push(r);
    return out;
  };
  const stepRows = byStep(data.steps);
  const priceRows = byStep(data.prices);
  const netRows = byStep(data.network);
  const roundRows = byStep(data.rounds);
  // Start values of venues (the base of the bad-debt share) and prices at step 0.
  const venueStart = new Map<string, number>();
  for (const r of stepRows[0] ?? []) venueStart.set(r.venue, venueValue(r));
  const startPrice = new Map<string, number>();
  const exoStart = new Map<string, number>();
  for (const r of priceRows[0] ?? []) {
    if (r.source === 'market') startPrice.set(r.asset, r.price);
    if (r.source === 'exogenous') exoStart.set(r.asset, r.price);
  }
  const rateStart = new Map<string, number>();
  for (const r of stepRows[0] ?? [])
    if (r.kind === 'lending') rateStart.set(r.venue, r.receiptRate);
  // Receipt token -> issuing venue, from `issues` edges.
  const issuer = new Map<string, string>();
  // Asset -> the markets that accept it as collateral, from `accepts` edges.
  const acceptors = new Map<string, string[]>();
  for (const e of edges) {
    if (e.kind === 'issues') issuer.set(nodes[e.target]!.label, nodes[e.source]!.label);
    if (e.kind === 'accepts') {
      const a = nodes[e.source]!.label;
      acceptors.set(a, [...(acceptors.get(a) ?? []), nodes[e.target]!.label]);
    }
  }
  // Supplier sizes: the start amount, valued at step 0 (stablecoins and receipts at 1).
  const supplied = new Map<number, number>();
  for (const ge of data.graph.edges) {
    if (ge.attributes.kind !== 'supply') continue;
    const i = index.get(ge.source);
    if (i === undefined) continue;
    const p = startPrice.get(ge.attributes.asset) ?? 1;
    supplied.set(i, (supplied.get(i) ?? 0) + (ge.attributes.amount ?? 0) * p);
  }
  const channels = new Map<string, [number, number, number]>();
  // Perpetual venues that have liquidated a position so far.
  const perpHit = new Set<string>();
  const nodeStates: NodeState[][] = [];
  const edgeMarks: EdgeMark[][] = [];
  for (let t = 0; t <= steps; t++) {
    for (const r of roundRows[t]!) {
      const c = channels.get(r.venue) ?? [0, 0, 0];
      c[0] += r.shock;
      c[1] += r.price;
      c[2] += r.value;
      channels.set(r.venue, c);
    }
    const venueRow = new Map(stepRows[t]!.map((r) => [r.venue, r]));
    for (const r of stepRows[t]!) if (r.kind === 'perp' && r.liquidations > 0) perpHit.add(r.venue);
    const prices = new Map<string, Map<string, number>>();
    for (const r of priceRows[t]!) {
      let m = prices.get(r.asset);
      if (m === undefined) prices.set(r.asset, (m = new Map()));
      m.set(r.source, r.price);
    }
    const figures = new Map<number, Figures>();
    for (const r of netRows[t]!) {
      const key = index.has(r.node) ? r.node : `${r.node}|${r.band}`;
      const i = index.get(key);
      if (i === undefined)
        throw new RangeError(
          `network rows name node "${r.node}", which the graph does not have (were the graph and the rows made with different individual-accounts thresholds?)`,
        );
      let f = figures.get(i);
      if (f === undefined) figures.set(i, (f = blankFigures()));
      f.positions += r.positions;
      f.collateral += r.collateralValue;
      f.debt += r.debtValue;
      f.liquidated += r.liquidated;
      f.badDebt += r.badDebt;
      f.worst = Math.min(f.worst, SEVERITY.indexOf(r.band));
      if (r.liquidated > 0) f.liquidatedIn.add(r.venue);
    }
    const states = nodes.map((n, i): NodeState => {
      switch (n.kind) {
        case 'asset':
          return assetState(
            n,
            prices.get(n.label),
            startPrice,
            exoStart,
            venueRow,
            rateStart,
            issuer,
          );
        case 'lending':
          return lendingState(n, venueRow.get(n.label), venueStart, channels.get(n.label));
        case 'perp':
          return n.subkind === 'options'
            ? optionsState(n, venueRow.get(n.label))
            : perpState(n, venueRow.get(n.label), venueStart, perpHit.has(n.label));
        case 'pool':
          return poolState(
            n,
            venueRow.get(n.label),
            stepRows[0]!.find((r) => r.venue === n.label),
          );
        case 'supplier': {
          const v = supplied.get(i) ?? 0;
          return {
            fill: BAND_COLOURS.supplier,
            value: v,
            present: true,
            count: 0,
            liquidated: false,
            text: [n.label, `supplied ${usd(v)} at the start`],
          };
        }
        default:
          return accountState(n, figures.get(i));
      }
    });
    nodeStates.push(states);
    const liquidatedIn = (node: number, venue: string) =>
      figures.get(node)?.liquidatedIn.has(venue) ?? false;
    edgeMarks.push(edges.map((e) => edgeMark(e, nodes, liquidatedIn, channels, acceptors)));
  }
  return { nodeStates, edgeMarks };
}

function venueValue(r: {
  kind: string;
  collateralValue: number;
  cashValue: number;
  liquidityValue: number;
}): number {
  if (r.kind === 'lending') return (r.collateralValue || 0) + (r.cashValue || 0);
  // A CDP's cash is the room left under its ceilings, not value held: its collateral sizes it.
  if (r.kind === 'cdp') return r.collateralValue || 0;
  if (r.kind === 'perp') return r.collateralValue || 0;
  return r.liquidityValue || 0;
}

/** The state of a node drawn at a fixed size (an asset): a fill and tooltip lines. */
function fixedNode(fill: string, text: string[]): NodeState {
  return { fill, value: 0, present: true, count: 0, liquidated: false, text };
}

function assetState(
  n: SceneNode,
  prices: Map<string, number> | undefined,
  startPrice: Map<string, number>,
  exoStart: Map<string, number>,
  venueRow: Map<string, RunData['steps'][number]>,
  rateStart: Map<string, number>,
  issuer: Map<string, string>,
): NodeState {
  const kindText = n.subkind ?? 'asset';
  if (prices !== undefined && prices.has('market')) {
    const p = prices.get('market')!;
    const move = p / startPrice.get(n.label)! - 1;
    const exo = prices.get('exogenous') ?? NaN;
    return fixedNode(priceMoveFill(move), [
      `${n.label} (${kindText})`,
      `market price ${price(p)} (${change(move)} since step 0)`,
      `exogenous path ${price(exo)} (${change(exo / exoStart.get(n.label)! - 1)})`,
    ]);
  }
  const venue = issuer.get(n.label);
  if (venue !== undefined) {
    const rate = venueRow.get(venue)?.receiptRate ?? NaN;
    const move = rate / (rateStart.get(venue) ?? NaN) - 1;
    return fixedNode(priceMoveFill(move), [
      `${n.label} (receipt token of ${venue})`,
      `exchange rate ${ratio(rate)} underlying per token (${change(move)} since step 0)`,
    ]);
  }
  return fixedNode(priceMoveFill(0), [`${n.label} (${kindText})`]);
}

function lendingState(
  n: SceneNode,
  r: RunData['steps'][number] | undefined,
  venueStart: Map<string, number>,
  ch: [number, number, number] | undefined,
): NodeState {
  if (r === undefined)
    return {
      fill: badDebtFill(0),
      value: 0,
      present: true,
      count: 0,
      liquidated: false,
      text: [n.label],
    };
  const share = r.badDebtCumulative / (venueStart.get(n.label) || 1);
  const c = ch ?? [0, 0, 0];
  return {
    fill: badDebtFill(share),
    value: venueValue(r),
    present: true,
    count: 0,
    liquidated: c[0] + c[1] + c[2] > 0,
    text: [
      n.subkind === 'cdp' ? `${n.label} (CDP)` : `${n.label} (lending market)`,
      `collateral ${usd(r.collateralValue)}, debt ${usd(r.debtValue)}, cash ${usd(r.cashValue)}`,
      `bad debt ${usd(r.badDebtCumulative)} so far (${pct(share)} of start value)`,
      `liquidations this step ${count(r.liquidations)}; so far by channel: shock ${count(c[0])}, price ${count(c[1])}, value ${count(c[2])}`,
      `utilisation ${pct(r.utilisation)}, receipt rate ${ratio(r.receiptRate)}`,
    ],
  };
}

function perpState(
  n: SceneNode,
  r: RunData['steps'][number] | undefined,
  venueStart: Map<string, number>,
  hit: boolean,
): NodeState {
  if (r === undefined) return fixedNode(badDebtFill(0), [n.label]);
  const share = r.badDebtCumulative / (venueStart.get(n.label) || 1);
  return {
    fill: badDebtFill(share),
    value: venueValue(r),
    present: true,
    count: 0,
    liquidated: hit,
    text: [
      `${n.label} (perpetual futures)`,
      `accounts' equity ${usd(r.collateralValue)}, open interest ${usd(r.openInterest)}, mark ${price(r.price)}`,
      `liquidations this step ${count(r.liquidations)} (${usd(r.liquidatedValue)}); ADL ${usd(r.adlVolume)}; funding paid ${usd(r.fundingPaid)}`,
      `insurance fund ${usd(r.insuranceFund)}; deficit ${usd(r.badDebtCumulative)} so far (${pct(share)} of starting equity)`,
    ],
  };
}

function optionsState(n: SceneNode, r: RunData['steps'][number] | undefined): NodeState {
  if (r === undefined) return fixedNode(badDebtFill(0), [n.label]);
  return {
    fill: priceMoveFill(-(r.hedgeImpact || 0)),
    value: Math.abs(r.gammaExposure || 0),
    present: true,
    count: 0,
    liquidated: false,
    text: [
      `${n.label} (options; dealers hedge delta)`,
      `dealer gamma ${usd(r.gammaExposure)} per 1% move, vega ${usd(r.vegaExposure)} per vol point`,
      `hedge trades this step ${usd(r.hedgeFlow)}; hedges' share of the price ${pct(r.hedgeImpact || 0)}`,
    ],
  };
}

function poolState(
  n: SceneNode,
  r: RunData['steps'][number] | undefined,
  r0: RunData['steps'][number] | undefined,
): NodeState {
  if (r === undefined) return fixedNode(priceMoveFill(0), [n.label]);
  const move = r.price / (r0?.price ?? NaN) - 1;
  return {
    fill: priceMoveFill(move),
    value: r.liquidityValue,
    present: true,
    count: 0,
    liquidated: false,
    text: [
      `${n.label} (pool)`,
      `spot ${price(r.price)} (${change(move)} since step 0), liquidity ${usd(r.liquidityValue)}`,
    ],
  };
}

function accountState(n: SceneNode, f: Figures | undefined): NodeState {
  if (f === undefined || f.positions === 0)
    return {
      fill: BAND_COLOURS.closed,
      value: 0,
      present: false,
      count: 0,
      liquidated: false,
      text: [n.label, 'no positions'],
    };
  const band = n.band ?? SEVERITY[f.worst] ?? 'closed';
  const ltv =
    f.debt > 0 && f.collateral > 0 ? ` (debt / collateral ${pct(f.debt / f.collateral)})` : '';
  return {
    fill: BAND_COLOURS[band],
    value: f.collateral,
    present: true,
    count: f.positions,
    liquidated: f.liquidated > 0,
    text: [
      n.kind === 'cluster'
        ? `${n.label}: ${BAND_LABELS[band]}`
        : `${n.label}: ${BAND_LABELS[band]} (worst position)`,
      `positions ${count(f.positions)}: liquidated ${count(f.liquidated)}, bad debt ${count(f.badDebt)}`,
      `collateral ${usd(f.collateral)}, debt ${usd(f.debt)}${ltv}`,
    ],
  };
}

function edgeMark(
  e: SceneEdge,
  nodes: readonly SceneNode[],
  liquidatedIn: (node: number, venue: string) => boolean,
  channels: Map<string, [number, number, number]>,
  acceptors: Map<string, string[]>,
): EdgeMark {
  // Markets accepting `asset` that took calls on channel `c` (0 shock, 1 price, 2 value) so far.
  const carried = (asset: string, c: number) =>
    (acceptors.get(asset) ?? []).some((v) => (channels.get(v)?.[c] ?? 0) > 0);
  const s = nodes[e.source]!;
  const t = nodes[e.target]!;
  switch (e.kind) {
    case 'accepts': {
      const c = channels.get(t.label);
      if (c === undefined) return '';
      if (s.subkind === 'receipt') return c[2] > 0 ? 'value' : '';
      return c[1] > 0 ? 'price' : c[0] > 0 ? 'shock' : '';
    }
    case 'tracks': {
      // Asset -> perp venue: the venue's liquidations that this asset's price moves carried.
      const c = channels.get(t.label);
      if (c === undefined) return '';
      return c[1] > 0 ? 'price' : c[0] > 0 ? 'shock' : '';
    }
    case 'issues':
      // Issuer -> receipt token: the path value contagion took to the markets that accept the token.
      return carried(t.label, 2) ? 'value' : '';
    case 'pool-holds':
      // Pool -> asset: fire sales moved this pool's price into the markets that accept the asset.
      return carried(t.label, 1) ? 'price' : '';
    case 'deposit':
    case 'rehypothecation':
    case 'borrow': {
      // The position edge of a market in which this account (or band) was liquidated.
      const [account, venue] = s.kind === 'lending' ? [e.target, s] : [e.source, t];
      return liquidatedIn(account, venue.label) ? 'liquidated' : '';
    }
    default:
      return '';
  }
}

// A seeded force layout of the scene: d3-force with an injected random source and a fixed number of
// ticks, so the same scene and seed give the same positions (rounded to 0.1 px).
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3';
import type { SimulationLinkDatum, SimulationNodeDatum } from 'd3';
import { stream } from '@contagion/core';
import { px } from '../format.js';
import type { NodeState, Scene, SceneEdgeKind, SceneNodeKind } from '../network/scene.js';

/** Where each node sits and how large it can get. */
export interface Layout {
  /** Size of the network's drawing area, in the units of `x` and `y`. */
  readonly width: number;
  readonly height: number;
  /** Per node: centre. */
  readonly x: readonly number[];
  readonly y: readonly number[];
  /**
   * Radius of a node's shape at a step: 0 when not present; assets fixed; cluster nodes by the
   * positions they hold (area proportional to count); other nodes by value (area proportional to
   * USD, the kind's smallest radius for a present node without value, such as a closed position).
   */
  radius(node: number, state: NodeState): number;
  /** Radius of a cluster node's inner disc: area proportional to its collateral value (0 for others). */
  innerRadius(node: number, state: NodeState): number;
  /** Per node: the largest radius it takes in any step. */
  readonly maxRadius: readonly number[];
}

/** Options of {@link forceLayout}. */
export interface LayoutOptions {
  /** Seed of the layout's random source (default: the scene's seed). */
  readonly seed?: number;
  /** Smallest drawing area (default 640 x 480); a larger network gets what it needs. */
  readonly width?: number;
  readonly height?: number;
  /** Simulation ticks (default 600). */
  readonly ticks?: number;
}

/** Radius bounds by node kind: [smallest shown, largest]. */
const RADIUS: Readonly<Record<SceneNodeKind, readonly [number, number]>> = {
  asset: [13, 13],
  lending: [12, 34],
  pool: [12, 30],
  perp: [12, 34],
  account: [4, 22],
  cluster: [4, 22],
  supplier: [4, 22],
};

const LINK_DISTANCE: Readonly<Record<SceneEdgeKind, number>> = {
  deposit: 100,
  rehypothecation: 100,
  borrow: 100,
  supply: 80,
  issues: 70,
  accepts: 110,
  'pool-holds': 90,
  tracks: 110,
};

/** Size group of a node kind: venues share one USD scale, accounts and clusters another. */
const sizeGroup = (k: SceneNodeKind): 'venue' | 'account' | 'fixed' =>
  k === 'asset' ? 'fixed' : k === 'lending' || k === 'pool' || k === 'perp' ? 'venue' : 'account';

interface SimNode extends SimulationNodeDatum {
  index: number;
  r: number;
}

/** Lay out `scene`: positions are fixed for the whole run, so steps differ only in colour and size. */
export function forceLayout(scene: Scene, options: LayoutOptions = {}): Layout {
  const minWidth = options.width ?? 640;
  const minHeight = options.height ?? 480;
  const ticks = options.ticks ?? 600;
  const seed = options.seed ?? scene.seed;
  const n = scene.nodes.length;
  // Largest value of each size group over all steps: area is proportional to value within a group.
  // Cluster nodes: count on their own scale, value on the accounts' scale.
  const groupMax = { venue: 0, account: 0, fixed: 1 };
  let countMax = 0;
  for (const states of scene.nodeStates)
    states.forEach((s, i) => {
      const g = sizeGroup(scene.nodes[i]!.kind);
      if (s.value > groupMax[g]) groupMax[g] = s.value;
      if (s.count > countMax) countMax = s.count;
    });
  const scaled = (hi: number, x: number, max: number) => px(hi * Math.sqrt(x / max));
  const radius = (node: number, st: NodeState): number => {
    const kind = scene.nodes[node]!.kind;
    const [lo, hi] = RADIUS[kind];
    if (!st.present) return 0;
    if (kind === 'asset') return hi;
    if (kind === 'cluster') return Math.max(lo, scaled(hi, st.count, countMax));
    if (!(st.value > 0)) return lo;
    return Math.max(lo, scaled(hi, st.value, groupMax[sizeGroup(kind)]));
  };
  const innerRadius = (node: number, st: NodeState): number =>
    scene.nodes[node]!.kind === 'cluster' && st.present && st.value > 0
      ? scaled(RADIUS.cluster[1], st.value, groupMax.account)
      : 0;
  const maxRadius = scene.nodes.map((_, i) =>
    scene.nodeStates.reduce(
      (m, states) => Math.max(m, radius(i, states[i]!), innerRadius(i, states[i]!)),
      0,
    ),
  );
  // Starting positions drawn from the layout's seeded stream (uniform in a disc), so the seed picks
  // the layout; d3 uses the same stream to separate nodes that coincide.
  const random = stream(seed, 'viz/layout');
  const spread = 60 * Math.sqrt(n + 1);
  const simNodes: SimNode[] = scene.nodes.map((_, i) => {
    const a = 2 * Math.PI * random();
    const d = spread * Math.sqrt(random());
    return { index: i, r: maxRadius[i]!, x: d * Math.cos(a), y: d * Math.sin(a) };
  });
  type Link = SimulationLinkDatum<SimNode> & { distance: number; strength: number };
  const degree = new Float64Array(n);
  for (const e of scene.edges) {
    degree[e.source]!++;
    degree[e.target]!++;
  }
  // d3's default link strength (1 / the smaller degree), so hubs are not pulled apart.
  const links: Link[] = scene.edges.map((e) => ({
    source: e.source,
    target: e.target,
    distance: LINK_DISTANCE[e.kind] + maxRadius[e.source]! + maxRadius[e.target]!,
    strength: 1 / Math.max(1, Math.min(degree[e.source]!, degree[e.target]!)),
  }));
  // A cluster's band nodes stay together: a short link between neighbours in band order.
  const byOwner = new Map<string, number[]>();
  scene.nodes.forEach((nd, i) => {
    if (nd.kind !== 'cluster' || nd.owner === undefined) return;
    byOwner.set(nd.owner, [...(byOwner.get(nd.owner) ?? []), i]);
  });
  for (const ids of byOwner.values())
    for (let k = 1; k < ids.length; k++)
      links.push({
        source: ids[k - 1]!,
        target: ids[k]!,
        distance: maxRadius[ids[k - 1]!]! + maxRadius[ids[k]!]! + 12,
        strength: 1,
      });
  const sim = forceSimulation<SimNode>(simNodes)
    .randomSource(random)
    .force(
      'link',
      forceLink<SimNode, Link>(links)
        .id((d) => d.index)
        .distance((l) => l.distance)
        .strength((l) => l.strength),
    )
    .force(
      'charge',
      forceManyBody<SimNode>().strength((d) =>
        scene.nodes[d.index]!.kind === 'asset' ? -500 : -260,
      ),
    )
    .force(
      'collide',
      forceCollide<SimNode>()
        .radius((d) => d.r + 10)
        .iterations(2),
    )
    .force('x', forceX<SimNode>(0).strength(0.04))
    .force('y', forceY<SimNode>(0).strength(0.06))
    .stop();
  sim.tick(ticks);
  // Translate so the drawing starts at the margin; the SVG's viewBox scales it as a whole (radii and
  // labels with it), so nothing that the collision force kept apart overlaps after fitting.
  const margin = 40;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const d of simNodes) {
    x0 = Math.min(x0, d.x! - d.r);
    x1 = Math.max(x1, d.x! + d.r);
    y0 = Math.min(y0, d.y! - d.r);
    y1 = Math.max(y1, d.y! + d.r);
  }
  if (n === 0) x0 = x1 = y0 = y1 = 0;
  return {
    width: Math.ceil(Math.max(minWidth, x1 - x0 + 2 * margin)),
    height: Math.ceil(Math.max(minHeight, y1 - y0 + 2 * margin)),
    x: simNodes.map((d) =>
      px(d.x! - x0 + margin + Math.max(0, (minWidth - (x1 - x0) - 2 * margin) / 2)),
    ),
    y: simNodes.map((d) =>
      px(d.y! - y0 + margin + Math.max(0, (minHeight - (y1 - y0) - 2 * margin) / 2)),
    ),
    radius,
    innerRadius,
    maxRadius,
  };
}

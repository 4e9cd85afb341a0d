// The network at one step as an SVG drawing: edges (curved, direction arrow at the middle), contagion
// marks under them, nodes sized by value and coloured by state, labels, a legend and a title.
import { select, type Selection } from 'd3';
import { HEALTH_BANDS } from '@contagion/sim';
import { createSvg } from '../dom.js';
import { count, px } from '../format.js';
import type { Layout } from '../layout/force.js';
import {
  BAD_DEBT_SATURATION,
  badDebtFill,
  BAND_COLOURS,
  BAND_LABELS,
  CHANNEL_COLOURS,
  EDGE_COLOURS,
  LIQUIDATED_STROKE,
  PRICE_MOVE_SATURATION,
  priceMoveFill,
} from '../palette.js';
import type { EdgeMark, Scene, SceneEdge, SceneEdgeKind, SceneNodeKind } from './scene.js';

/** Opacity of a cluster node's outer disc (its positions); the inner disc (value) is solid. */
export const CLUSTER_OUTER_OPACITY = 0.3;

/** Width of the legend panel right of the network. */
export const LEGEND_WIDTH = 270;
const TITLE_HEIGHT = 56;

type G = Selection<SVGGElement, unknown, null, undefined>;

/** Unit shapes (radius 1), scaled per node: `transform="scale(r)"` with a non-scaling stroke. */
export const UNIT_SHAPES: Readonly<Record<SceneNodeKind, string>> = {
  asset: 'M0,-1.25L1.25,0L0,1.25L-1.25,0Z',
  lending: 'M-0.86,-0.86H0.86V0.86H-0.86Z',
  pool: 'M1,0L0.5,0.866L-0.5,0.866L-1,0L-0.5,-0.866L0.5,-0.866Z',
  perp: 'M0,-1.2L1.1,0.8L-1.1,0.8Z',
  account: 'M1,0A1,1 0 1,1 -1,0A1,1 0 1,1 1,0Z',
  cluster: 'M1,0A1,1 0 1,1 -1,0A1,1 0 1,1 1,0Z',
  supplier: 'M1,0A1,1 0 1,1 -1,0A1,1 0 1,1 1,0Z',
};

const EDGE_STYLE: Readonly<
  Record<SceneEdgeKind, { colour: string; width: number; dash?: string; label: string }>
> = {
  deposit: { colour: EDGE_COLOURS.deposit, width: 1.5, label: 'deposit (collateral pledged)' },
  rehypothecation: {
    colour: EDGE_COLOURS.rehypothecation,
    width: 2.5,
    dash: '6 3',
    label: 'receipt token re-pledged (rehypothecation)',
  },
  borrow: { colour: EDGE_COLOURS.borrow, width: 1.5, label: 'borrow (market lends)' },
  supply: { colour: EDGE_COLOURS.supply, width: 1.2, label: 'supply (lends to the market)' },
  issues: { colour: EDGE_COLOURS.issues, width: 2, label: 'issues receipt token' },
  accepts: { colour: EDGE_COLOURS.accepts, width: 1, dash: '2 3', label: 'accepts as collateral' },
  'pool-holds': { colour: EDGE_COLOURS['pool-holds'], width: 1.5, label: 'pool holds' },
  tracks: {
    colour: EDGE_COLOURS.tracks,
    width: 1.2,
    dash: '5 2',
    label: 'contracts track the asset (perpetuals)',
  },
};

const MARK_STYLE: Readonly<Record<Exclude<EdgeMark, ''>, { colour: string; label: string }>> = {
  shock: { colour: CHANNEL_COLOURS.shock, label: 'carried shock-channel liquidations' },
  price: { colour: CHANNEL_COLOURS.price, label: 'carried fire-sale price contagion' },
  value: { colour: CHANNEL_COLOURS.value, label: 'carried receipt-value contagion' },
  liquidated: { colour: LIQUIDATED_STROKE, label: 'position liquidated' },
};

/** Colour of an edge mark (empty: none). */
export function markColour(mark: EdgeMark): string {
  return mark === '' ? 'none' : MARK_STYLE[mark].colour;
}

/** Stroke of a node: a red ring once liquidations touched it. */
export function nodeStroke(kind: SceneNodeKind, liquidated: boolean): [string, number] {
  if (liquidated) return [LIQUIDATED_STROKE, 3];
  if (kind === 'asset' || kind === 'lending' || kind === 'pool' || kind === 'perp')
    return ['#333333', 1.2];
  if (kind === 'cluster') return ['#777777', 0.8];
  return ['#ffffff', 1];
}

/** Options of {@link drawNetwork}. */
export interface DrawNetworkOptions {
  /** Step drawn (default: the last). */
  readonly step?: number;
  /** Step length label, e.g. `1h`. */
  readonly stepLength?: string;
  /** Display width of the SVG in px (default: natural size). */
  readonly displayWidth?: number;
  /**
   * Give each node a native `<title>` with its figures (default true). The HTML report turns
   * this off: its own tooltip shows the same lines, and two would double on hover.
   */
  readonly nodeTitles?: boolean;
}

/** Draw the network of `scene` at a step with `layout`. */
export function drawNetwork(
  scene: Scene,
  layout: Layout,
  options: DrawNetworkOptions = {},
): SVGSVGElement {
  const step = options.step ?? scene.steps;
  const width = layout.width + LEGEND_WIDTH;
  const height = Math.max(layout.height + TITLE_HEIGHT, 700);
  const svg = createSvg(width, height);
  if (options.displayWidth !== undefined) {
    svg.setAttribute('width', String(options.displayWidth));
    svg.setAttribute('height', String(Math.round((options.displayWidth * height) / width)));
  }
  const root = select(svg);
  root.attr('font-family', 'Helvetica, Arial, sans-serif').attr('class', 'contagion-network');
  defs(root);
  root.append('rect').attr('width', width).attr('height', height).attr('fill', '#ffffff');
  const title = root.append('g').attr('class', 'title');
  title
    .append('text')
    .attr('x', 16)
    .attr('y', 24)
    .attr('font-size', 17)
    .attr('font-weight', 'bold')
    .text(scene.title);
  title
    .append('text')
    .attr('id', 'step-label')
    .attr('x', 16)
    .attr('y', 44)
    .attr('font-size', 13)
    .attr('fill', '#444444')
    .text(stepLabel(scene, step, options.stepLength));
  const net = root
    .append('g')
    .attr('class', 'network')
    .attr('transform', `translate(0,${TITLE_HEIGHT})`);
  drawEdges(net, scene, layout, step);
  drawNodes(net, scene, layout, step, options.nodeTitles ?? true);
  drawLabels(net, scene, layout);
  legend(root.append('g').attr('transform', `translate(${layout.width},${TITLE_HEIGHT})`), scene);
  return svg;
}

/** Subtitle: seed, step, accounts drawn one by one or clustered. */
export function stepLabel(scene: Scene, step: number, stepLength?: string): string {
  const len = stepLength === undefined ? '' : ` (steps of ${stepLength})`;
  return `seed ${scene.seed} · step ${step} of ${scene.steps}${len} · ${
    scene.individual
      ? 'one node per account'
      : 'accounts clustered by group, market and health band'
  }`;
}

function defs(root: Selection<SVGSVGElement, unknown, null, undefined>): void {
  const d = root.append('defs');
  for (const [kind, style] of Object.entries(EDGE_STYLE)) {
    d.append('marker')
      .attr('id', `arrow-${kind}`)
      .attr('viewBox', '0 -4 8 8')
      .attr('refX', 4)
      .attr('refY', 0)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto')
      .append('path')
      .attr('d', 'M0,-4L8,0L0,4Z')
      .attr('fill', style.colour);
  }
  const gradient = (id: string, stops: [number, string][]) => {
    const g = d.append('linearGradient').attr('id', id);
    for (const [o, c] of stops) g.append('stop').attr('offset', o).attr('stop-color', c);
  };
  gradient(
    'grad-bad-debt',
    [0, 0.25, 0.5, 0.75, 1].map((t) => [t, badDebtFill(Math.max(1e-9, t * BAD_DEBT_SATURATION))]),
  );
  gradient(
    'grad-price',
    [0, 0.25, 0.5, 0.75, 1].map((t) => [t, priceMoveFill((2 * t - 1) * PRICE_MOVE_SATURATION)]),
  );
}

/** Path of an edge: a curve bowed to the right of travel, split at its middle (for the arrow). */
export function edgePath(layout: Layout, e: SceneEdge, lane: number): string {
  const x0 = layout.x[e.source]!;
  const y0 = layout.y[e.source]!;
  const x1 = layout.x[e.target]!;
  const y1 = layout.y[e.target]!;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy) || 1;
  const bow = (0.12 + 0.1 * lane) * len;
  // Control point right of the direction of travel, so opposite edges of one pair do not overlap.
  const cx = (x0 + x1) / 2 - (dy / len) * bow;
  const cy = (y0 + y1) / 2 + (dx / len) * bow;
  // Split the quadratic at t = 1/2 (de Casteljau).
  const ax = (x0 + cx) / 2;
  const ay = (y0 + cy) / 2;
  const bx = (cx + x1) / 2;
  const by = (cy + y1) / 2;
  const mx = (ax + bx) / 2;
  const my = (ay + by) / 2;
  const p = (x: number, y: number) => `${px(x)},${px(y)}`;
  return `M${p(x0, y0)}Q${p(ax, ay)} ${p(mx, my)}Q${p(bx, by)} ${p(x1, y1)}`;
}

/** Lane of each edge among edges of the same ordered pair (0 for the first). */
function lanes(scene: Scene): number[] {
  const seen = new Map<string, number>();
  return scene.edges.map((e) => {
    const k = `${e.source}>${e.target}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return n;
  });
}

/** Whether edge `e` is drawn at a step: both its ends are. */
export function edgeVisible(scene: Scene, e: SceneEdge, step: number): boolean {
  const st = scene.nodeStates[step]!;
  return st[e.source]!.present && st[e.target]!.present;
}

function drawEdges(net: G, scene: Scene, layout: Layout, step: number): void {
  const lane = lanes(scene);
  const marks = scene.edgeMarks[step]!;
  const under = net.append('g').attr('class', 'marks');
  const over = net.append('g').attr('class', 'edges').attr('fill', 'none');
  scene.edges.forEach((e, i) => {
    const d = edgePath(layout, e, lane[i]!);
    const shown = edgeVisible(scene, e, step);
    under
      .append('path')
      .attr('id', `m${e.id}`)
      .attr('d', d)
      .attr('fill', 'none')
      .attr('stroke', markColour(marks[i]!))
      .attr('stroke-width', 8)
      .attr('stroke-opacity', 0.4)
      .attr('stroke-linecap', 'round')
      .attr('data-mark', marks[i]!);
    if (!shown) under.select(`#m${e.id}`).attr('visibility', 'hidden');
    const style = EDGE_STYLE[e.kind];
    const path = over
      .append('path')
      .attr('id', e.id)
      .attr('d', d)
      .attr('stroke', style.colour)
      .attr('stroke-width', style.width)
      .attr('marker-mid', `url(#arrow-${e.kind})`)
      .attr('data-kind', e.kind);
    if (style.dash !== undefined) path.attr('stroke-dasharray', style.dash);
    if (!shown) path.attr('visibility', 'hidden');
    path
      .append('title')
      .text(
        `${scene.nodes[e.source]!.label} → ${scene.nodes[e.target]!.label}: ${style.label}, ${e.asset}`,
      );
  });
}

function drawNodes(net: G, scene: Scene, layout: Layout, step: number, titles: boolean): void {
  const g = net.append('g').attr('class', 'nodes');
  const states = scene.nodeStates[step]!;
  scene.nodes.forEach((n, i) => {
    const s = states[i]!;
    const r = layout.radius(i, s);
    const [stroke, sw] = nodeStroke(n.kind, s.liquidated);
    const node = g
      .append('g')
      .attr('id', n.id)
      .attr('class', `node node-${n.kind}`)
      .attr('transform', `translate(${layout.x[i]},${layout.y[i]})`)
      .attr('data-key', n.key);
    if (n.band !== undefined) node.attr('data-band', n.band);
    const unit = (cls: string, scale: number) =>
      node
        .append('path')
        .attr('class', cls)
        .attr('d', UNIT_SHAPES[n.kind])
        .attr('transform', `scale(${scale})`)
        .attr('vector-effect', 'non-scaling-stroke');
    if (n.kind === 'cluster') {
      // Outer disc: the band's positions (translucent); inner disc: their collateral value.
      unit('fill', r).attr('fill', s.fill).attr('fill-opacity', CLUSTER_OUTER_OPACITY);
      unit('inner', layout.innerRadius(i, s)).attr('fill', s.fill);
      unit('outline', r).attr('fill', 'none').attr('stroke', stroke).attr('stroke-width', sw);
    } else {
      const shape = unit('fill outline', r)
        .attr('fill', s.fill)
        .attr('stroke', stroke)
        .attr('stroke-width', sw);
      if (n.subkind === 'receipt') shape.attr('stroke-dasharray', '3 2');
    }
    if (r === 0) node.attr('visibility', 'hidden');
    if (titles) node.append('title').text(s.text.join('\n'));
  });
}

function drawLabels(net: G, scene: Scene, layout: Layout): void {
  const g = net
    .append('g')
    .attr('class', 'labels')
    .attr('font-size', 11)
    .attr('text-anchor', 'middle')
    .attr('fill', '#222222');
  // Cluster band nodes share one label above the group.
  const groups = new Map<string, number[]>();
  scene.nodes.forEach((n, i) => {
    if (n.kind === 'cluster' && n.owner !== undefined)
      groups.set(n.owner, [...(groups.get(n.owner) ?? []), i]);
  });
  scene.nodes.forEach((n, i) => {
    if (n.kind === 'cluster') return;
    const weight =
      n.kind === 'asset' || n.kind === 'lending' || n.kind === 'pool' || n.kind === 'perp'
        ? 'bold'
        : 'normal';
    g.append('text')
      .attr('x', layout.x[i]!)
      .attr('y', px(layout.y[i]! + layout.maxRadius[i]! + 13))
      .attr('font-weight', weight)
      .text(n.label);
  });
  for (const ids of groups.values()) {
    const n = scene.nodes[ids[0]!]!;
    const x = ids.reduce((s, i) => s + layout.x[i]!, 0) / ids.length;
    const top = Math.min(...ids.map((i) => layout.y[i]! - layout.maxRadius[i]!));
    g.append('text')
      .attr('x', px(x))
      .attr('y', px(top - 6))
      .attr('font-style', 'italic')
      .text(n.label);
  }
}

function legend(g: G, scene: Scene): void {
  g.attr('class', 'legend').attr('font-size', 11).attr('fill', '#222222');
  const hasPerps = scene.nodes.some((n) => n.kind === 'perp');
  let y = 8;
  const heading = (text: string) => {
    y += 10;
    g.append('text').attr('x', 12).attr('y', y).attr('font-weight', 'bold').text(text);
    y += 16;
  };
  const swatch = (shape: string, fill: string, text: string, stroke = '#333333', sw = 1) => {
    g.append('path')
      .attr('d', shape)
      .attr('transform', `translate(22,${y - 4}) scale(6)`)
      .attr('vector-effect', 'non-scaling-stroke')
      .attr('fill', fill)
      .attr('stroke', stroke)
      .attr('stroke-width', sw);
    g.append('text').attr('x', 36).attr('y', y).text(text);
    y += 17;
  };
  const line = (colour: string, width: number, text: string, dash?: string, opacity = 1) => {
    const l = g
      .append('line')
      .attr('x1', 12)
      .attr('x2', 32)
      .attr('y1', y - 4)
      .attr('y2', y - 4)
      .attr('stroke', colour)
      .attr('stroke-width', width)
      .attr('stroke-opacity', opacity);
    if (dash !== undefined) l.attr('stroke-dasharray', dash);
    g.append('text').attr('x', 38).attr('y', y).text(text);
    y += 17;
  };
  const bar = (id: string, left: string, right: string) => {
    g.append('rect')
      .attr('x', 12)
      .attr('y', y - 10)
      .attr('width', 160)
      .attr('height', 10)
      .attr('fill', `url(#${id})`)
      .attr('stroke', '#999999');
    g.append('text')
      .attr('x', 12)
      .attr('y', y + 12)
      .text(left);
    g.append('text')
      .attr('x', 172)
      .attr('y', y + 12)
      .attr('text-anchor', 'end')
      .text(right);
    y += 30;
  };
  heading(scene.individual ? 'Accounts (fill: worst position)' : 'Account clusters (fill: band)');
  for (const b of [...HEALTH_BANDS, 'supplier'] as const)
    swatch(UNIT_SHAPES.account, BAND_COLOURS[b], BAND_LABELS[b], '#ffffff');
  swatch(UNIT_SHAPES.account, '#ffffff', 'ring: liquidated at least once', LIQUIDATED_STROKE, 3);
  if (!scene.individual) {
    g.append('text')
      .attr('x', 12)
      .attr('y', y)
      .attr('fill', '#555555')
      .text('outer disc ∝ positions in the band,');
    y += 14;
    g.append('text')
      .attr('x', 12)
      .attr('y', y)
      .attr('fill', '#555555')
      .text('inner disc ∝ their collateral value');
    y += 17;
  }
  heading('Lending markets (square)');
  g.append('text').attr('x', 12).attr('y', y).text('fill: bad debt / starting value');
  y += 16;
  bar('grad-bad-debt', '0', `≥ ${BAD_DEBT_SATURATION * 100}%`);
  if (hasPerps) {
    heading('Perpetual and options venues (triangle)');
    g.append('text').attr('x', 12).attr('y', y).text('fill: perps, deficit / starting equity;');
    y += 14;
    g.append('text').attr('x', 12).attr('y', y).text('options, the price their hedges took');
    y += 16;
    bar('grad-bad-debt', '0', `≥ ${BAD_DEBT_SATURATION * 100}%`);
  }
  heading('Assets (diamond), pools (hexagon)');
  g.append('text').attr('x', 12).attr('y', y).text('fill: price move since step 0');
  y += 16;
  bar('grad-price', `−${PRICE_MOVE_SATURATION * 100}%`, `+${PRICE_MOVE_SATURATION * 100}%`);
  heading('Edges');
  for (const [kind, style] of Object.entries(EDGE_STYLE))
    if (kind !== 'tracks' || hasPerps) line(style.colour, style.width, style.label, style.dash);
  heading('Contagion paths (halo)');
  for (const m of Object.values(MARK_STYLE)) line(m.colour, 8, m.label, undefined, 0.4);
  y += 4;
  g.append('text')
    .attr('x', 12)
    .attr('y', y)
    .attr('fill', '#555555')
    .text('venues, accounts: area ∝ USD value (own scales)');
  y += 15;
  const accounts = scene.nodes.filter(
    (n) => n.kind !== 'asset' && n.kind !== 'lending' && n.kind !== 'pool' && n.kind !== 'perp',
  ).length;
  g.append('text')
    .attr('x', 12)
    .attr('y', y)
    .attr('fill', '#555555')
    .text(`${count(accounts)} account nodes, ${count(scene.edges.length)} edges`);
}

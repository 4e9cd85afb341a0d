// The self-contained HTML report: summary tables, the network with a step slider and play/pause,
// hover figures, and the charts. Everything is inlined; the page makes no request.
import { JSDOM } from 'jsdom';
import { leverageChart, liquidationsChart, pricesChart } from '../charts/charts.js';
import type { RunData } from '../data.js';
import { CHANNELS } from '@contagion/sim';
import { count, ratio, share, usd } from '../format.js';
import { forceLayout } from '../layout/force.js';
import {
  drawNetwork,
  edgeVisible,
  markColour,
  nodeStroke,
  stepLabel,
} from '../network/network-svg.js';
import { buildScene } from '../network/scene.js';
import { CLIENT_SCRIPT } from './client.js';

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** Seed of the layout (default: the run's seed). */
  readonly layoutSeed?: number;
  /** Milliseconds per step when playing (default 350). */
  readonly interval?: number;
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1320px; padding: 0 24px 48px; color: #222; }
header { border-bottom: 1px solid #ddd; margin-bottom: 8px; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #555; font-size: 13px; margin: 0 0 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 0 24px 12px 0; display: inline-table; vertical-align: top; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #ccc; }
.controls { display: flex; align-items: center; gap: 12px; margin: 6px 0 10px; font-size: 14px; }
.controls input[type=range] { flex: 1; max-width: 640px; }
.controls button { font-size: 14px; padding: 3px 14px; min-width: 72px; }
#net-wrap svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.node { cursor: default; }
#tooltip { position: absolute; background: #fff; border: 1px solid #999; padding: 6px 8px; font-size: 12px; white-space: pre-line; pointer-events: none; box-shadow: 0 1px 4px rgba(0,0,0,.2); max-width: 420px; }
.charts svg { max-width: 100%; height: auto; display: block; margin: 0 0 16px; }
footer { color: #777; font-size: 12px; margin-top: 24px; }
`;

/** The report of one run as an HTML document. */
export function renderReport(data: RunData, options: ReportOptions = {}): string {
  const s = data.summary;
  const scene = buildScene(data);
  const layout = forceLayout(
    scene,
    options.layoutSeed !== undefined ? { seed: options.layoutSeed } : {},
  );
  const dom = new JSDOM('<!DOCTYPE html><html lang="en"><head></head><body></body></html>');
  const doc = dom.window.document;
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    parent: Element,
    text?: string,
    attrs: Record<string, string> = {},
  ): HTMLElementTagNameMap[K] => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    parent.appendChild(e);
    return e;
  };
  el('meta', doc.head, undefined, { charset: 'utf-8' });
  // Nothing may leave the page: no fetches, no images, no fonts from elsewhere.
  el('meta', doc.head, undefined, {
    'http-equiv': 'Content-Security-Policy',
    content:
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:",
  });
  el('meta', doc.head, undefined, {
    name: 'viewport',
    content: 'width=device-width, initial-scale=1',
  });
  el('title', doc.head, `${s.scenario.name} · contagion report`);
  el('style', doc.head, STYLE);
  const body = doc.body;
  const header = el('header', body);
  el('h1', header, s.scenario.name);
  el(
    'p',
    header,
    `seed ${s.seed} · ${s.steps} steps of ${s.stepLength} · scenario hash ${s.scenario.hash.slice(0, 12)} · engine ${s.version} on Node ${s.nodeMajor}`,
    { class: 'meta' },
  );

  el('h2', body, 'Summary');
  const summary = el('section', body, undefined, { id: 'summary' });
  summaryTables(data, summary, el);

  el('h2', body, 'The collateral network, step by step');
  const net = el('section', body, undefined, { id: 'network' });
  const controls = el('div', net, undefined, { class: 'controls' });
  el('button', controls, 'Play', { id: 'play', type: 'button', 'aria-pressed': 'false' });
  el('label', controls, 'step', { for: 'step' });
  el('input', controls, undefined, {
    id: 'step',
    type: 'range',
    min: '0',
    max: String(s.steps),
    step: '1',
    value: String(s.steps),
  });
  el('output', controls, `step ${s.steps} of ${s.steps}`, { id: 'step-out', for: 'step' });
  const wrap = el('div', net, undefined, { id: 'net-wrap' });
  const svg = drawNetwork(scene, layout, {
    step: s.steps,
    stepLength: s.stepLength,
    nodeTitles: false,
  });
  wrap.appendChild(doc.importNode(svg, true));
  el('div', body, undefined, { id: 'tooltip', role: 'tooltip', hidden: '' });

  el('h2', body, 'Charts');
  const charts = el('section', body, undefined, { id: 'charts', class: 'charts' });
  for (const chart of [pricesChart(data), liquidationsChart(data), leverageChart(data)])
    charts.appendChild(doc.importNode(chart, true));

  el(
    'footer',
    body,
    'Written by contagion render/report from the run folder (summary.json, graph.json, steps.csv, prices.csv, network.csv, rounds.csv). Hover a node for its figures at the step shown.',
  );

  const frames = {
    interval: options.interval ?? 350,
    nodes: scene.nodes.map((n) => n.id),
    edges: scene.edges.map((e) => e.id),
    labels: scene.nodeStates.map((_, t) => stepLabel(scene, t, s.stepLength)),
    frames: scene.nodeStates.map((states, t) => ({
      n: states.map((st, i) => {
        const [stroke, sw] = nodeStroke(scene.nodes[i]!.kind, st.liquidated);
        return [
          layout.radius(i, st),
          st.fill,
          stroke,
          sw,
          st.text.join('\n'),
          layout.innerRadius(i, st),
        ];
      }),
      e: scene.edgeMarks[t]!.map(markColour),
      v: scene.edges.map((e) => (edgeVisible(scene, e, t) ? 1 : 0)),
      m: scene.edgeMarks[t]!,
    })),
  };
  // `<` escaped so no text inside can close the script element.
  el('script', body, JSON.stringify(frames).replace(/</g, '\\u003c'), {
    id: 'frames',
    type: 'application/json',
  });
  el('script', body, CLIENT_SCRIPT);
  return `${dom.serialize()}\n`;
}

type El = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  parent: Element,
  text?: string,
  attrs?: Record<string, string>,
) => HTMLElementTagNameMap[K];

function table(el: El, parent: Element, caption: string, head: string[], rows: string[][]): void {
  const t = el('table', parent);
  el('caption', t, caption).setAttribute('style', 'text-align:left;font-weight:bold;padding:4px 0');
  const tr = el('tr', el('thead', t));
  for (const h of head) el('th', tr, h);
  const tb = el('tbody', t);
  for (const r of rows) {
    const row = el('tr', tb);
    for (const c of r) el('td', row, c);
  }
}

function summaryTables(data: RunData, parent: Element, el: El): void {
  const s = data.summary;
  table(
    el,
    parent,
    'Run',
    ['measure', 'value'],
    [
      ['accounts', count(s.accounts)],
      ['positions', count(s.positions)],
      ['liquidation calls', count(s.liquidations.count)],
      ['liquidated (debt repaid)', usd(s.liquidations.notional)],
      ['untaken at the end', count(s.liquidations.untakenAtEnd)],
      ['rounds / waves', `${count(s.rounds)} / ${count(s.waves)}`],
      ['bad debt', usd(s.badDebt.total)],
      ['venues reached', s.reach.venuesReached.join(', ') || 'none'],
      ['contagion depth', count(s.reach.contagionDepth)],
      [
        'system leverage start → end (peak)',
        `${ratio(s.leverage.system.start)} → ${ratio(s.leverage.system.end)} (${ratio(s.leverage.system.peak)})`,
      ],
      [
        'rehypothecation multiplier start → end',
        `${ratio(s.leverage.rehypothecation.start)} → ${ratio(s.leverage.rehypothecation.end)}`,
      ],
      ...(s.liquidations.gasUsd > 0
        ? [['gas paid by liquidators', usd(s.liquidations.gasUsd)]]
        : []),
      ...(s.agents.sells + s.agents.levers > 0
        ? [
            [
              'accounts acting on strategies: sells (repaid) / levers (borrowed)',
              `${count(s.agents.sells)} (${usd(s.agents.repaidUsd)}) / ${count(s.agents.levers)} (${usd(s.agents.borrowedUsd)})`,
            ],
          ]
        : []),
      ...Object.entries(s.pegs).flatMap(([a, g]) =>
        Object.entries(g.pools).map(([pool, d]) => [
          `${a} in ${pool}: start → trough (${g.peg} per ${a})`,
          `${d.start.toFixed(4)} → ${d.trough.toFixed(4)} (depeg ${share(d.depth)})`,
        ]),
      ),
      ...Object.entries(s.circuitBreakers).map(([v, b]) => [
        `${v}: steps with liquidations halted`,
        `${count(b.haltedSteps)}${b.firstHalt === null ? '' : ` from step ${b.firstHalt}`}`,
      ]),
      ['conservation audit', s.conservation.ok ? 'passed' : 'FAILED'],
    ],
  );
  table(
    el,
    parent,
    'Prices',
    ['asset', 'start', 'exogenous drawdown', 'realised drawdown', 'amplification'],
    Object.entries(s.prices).map(([a, p]) => [
      a,
      usd(p.start),
      share(p.exogenousDrawdown),
      share(p.realisedDrawdown),
      p.amplification === null ? '–' : `${ratio(p.amplification)}×`,
    ]),
  );
  table(
    el,
    parent,
    'By lending market (channels: USD repaid plus bad debt booked, by the channel that put each account across the line)',
    ['market', 'calls', 'repaid', 'bad debt', 'latent', 'shock', 'price', 'value'],
    Object.entries(s.liquidations.byVenue).map(([v, l]) => {
      const ch = s.byChannel[v];
      return [
        v,
        count(l.count),
        usd(l.notional),
        usd(s.badDebt.byVenue[v] ?? 0),
        usd(s.badDebt.latent[v] ?? 0),
        ...CHANNELS.map((c) => usd((ch?.[c]?.liquidated ?? 0) + (ch?.[c]?.badDebt ?? 0))),
      ];
    }),
  );
}

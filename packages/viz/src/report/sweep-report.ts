// The self-contained HTML report of a sweep: what was swept, the per-cell figures, heat maps over
// two grid parameters, cascade-size histograms per cell, and the liquidations-at-risk curve.
import { JSDOM } from 'jsdom';
import type { GridAxis, LhsAxis, ParamValue, SweepStats } from '@contagion/sim';
import { cascadeSizeChart, type CascadeSize } from '../charts/charts.js';
import { heatMapChart, larChart } from '../charts/sweep-charts.js';
import { count, share, usd } from '../format.js';

/** What the sweep report draws: the manifest's facts, the figures, and each run's cascade size. */
export interface SweepData {
  readonly scenario: { readonly name: string; readonly hash: string; readonly file: string };
  readonly seed: number;
  readonly runs: number;
  readonly totalRuns: number;
  readonly version: string;
  readonly nodeMajor: number;
  readonly grid: readonly GridAxis[];
  readonly lhs: readonly LhsAxis[];
  readonly samples: number;
  readonly resamplePopulation: boolean;
  readonly parameters: readonly string[];
  readonly stats: SweepStats;
  /** Each run's liquidations, notional and bad debt, by cell. */
  readonly cascades: ReadonlyMap<number, readonly CascadeSize[]>;
}

/** Cells drawn one histogram each; the rest are in the table. */
export const HISTOGRAM_CELLS = 12;

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1320px; padding: 0 24px 48px; color: #222; }
header { border-bottom: 1px solid #ddd; margin-bottom: 8px; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #555; font-size: 13px; margin: 0 0 12px; }
table { border-collapse: collapse; font-size: 13px; margin: 0 24px 12px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #ccc; }
.charts svg { max-width: 100%; height: auto; display: block; margin: 0 0 16px; }
footer { color: #777; font-size: 12px; margin-top: 24px; }
`;

const label = (v: ParamValue) =>
  typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);

/** The report of a sweep as an HTML document (no scripts; every chart inline). */
export function renderSweepReport(d: SweepData): string {
  const s = d.stats;
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
  el('meta', doc.head, undefined, {
    'http-equiv': 'Content-Security-Policy',
    content: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  });
  el('title', doc.head, `${d.scenario.name} · contagion sweep report`);
  el('style', doc.head, STYLE);
  const body = doc.body;
  const header = el('header', body);
  el('h1', header, `Sweep: ${d.scenario.name}`);
  const swept = [
    ...d.grid.map((a) => `${a.path} in {${a.values.map(label).join(', ')}}`),
    ...d.lhs.map((a) => `${a.path} in [${a.lo}, ${a.hi}] (Latin hypercube, ${d.samples} samples)`),
  ];
  el(
    'p',
    header,
    `${count(s.cells.length)} cells x ${count(d.runs)} seeded runs = ${count(d.totalRuns)} runs · seed ${d.seed}${d.resamplePopulation ? ' · population drawn per run' : ''} · scenario ${d.scenario.file}, hash ${d.scenario.hash.slice(0, 12)} · engine ${d.version} on Node ${d.nodeMajor}`,
    { class: 'meta' },
  );
  el(
    'p',
    header,
    swept.length === 0 ? 'No parameter swept: seeds only.' : `Swept: ${swept.join('; ')}.`,
    {
      class: 'meta',
    },
  );

  el('h2', body, 'Per cell');
  const q = s.confidence;
  const t = el('table', body, undefined, { id: 'cells' });
  const hr = el('tr', el('thead', t));
  const sizes = s.cascadeSizes.filter((_, i, a) => i % Math.ceil(a.length / 4) === 0);
  for (const h of [
    'cell',
    ...d.parameters,
    'runs',
    'mean liquidations',
    'notional p50',
    'p99',
    ...sizes.map((x) => `P(> ${usd(x)})`),
    'P(bad debt > 0)',
    ...q.flatMap((x) => [`VaR ${x}`, `CVaR ${x}`]),
    ...q.map((x) => `LaR ${x}`),
  ])
    el('th', hr, h);
  const tb = el('tbody', t);
  for (const c of s.cells) {
    const r = el('tr', tb);
    for (const v of [
      String(c.cell),
      ...c.params.map(label),
      count(c.runs),
      count(c.meanLiquidations),
      usd(c.cascade.p50),
      usd(c.cascade.p99),
      ...sizes.map((x) => share(c.exceedance.find((e) => e.size === x)!.probability)),
      share(c.badDebt.lossProbability),
      ...c.badDebt.risk.flatMap((x) => [usd(x.var), usd(x.cvar)]),
      ...c.lar.map((x) => usd(x.notional)),
    ])
      el('td', r, v);
  }

  const charts = el('section', body, undefined, { id: 'charts', class: 'charts' });
  const gridAxes = d.grid.length;
  if (gridAxes >= 1) {
    el('h2', charts, gridAxes >= 2 ? 'Heat maps' : 'By parameter');
    const sub = `${count(d.runs)} runs per cell${gridAxes > 2 ? '; other grid axes averaged' : ''}${d.lhs.length > 0 ? '; hypercube samples averaged' : ''}`;
    charts.appendChild(
      doc.importNode(heatMapChart(s, d.parameters, 0, gridAxes >= 2 ? 1 : -1, sub), true),
    );
  }
  if (s.curve.length > 0) {
    el('h2', charts, 'Liquidations at risk');
    charts.appendChild(
      doc.importNode(
        larChart(s, `runs binned by their exogenous drop (bins of ${share(s.dropBin)})`),
        true,
      ),
    );
  }
  el('h2', charts, 'Distribution of cascade size');
  const shown = s.cells.slice(0, HISTOGRAM_CELLS);
  for (const c of shown) {
    const title = `cell ${c.cell}${c.params.length === 0 ? '' : `: ${d.parameters.map((p, i) => `${p} = ${label(c.params[i]!)}`).join(', ')}`}`;
    charts.appendChild(doc.importNode(cascadeSizeChart(d.cascades.get(c.cell) ?? [], title), true));
  }
  if (s.cells.length > shown.length)
    el(
      'p',
      charts,
      `${s.cells.length - shown.length} more cells: their figures are in the table above and cells.csv.`,
      {
        class: 'meta',
      },
    );
  el(
    'footer',
    body,
    "Written by contagion report from the sweep folder (manifest.json, runs.csv). Quantiles are the ceil(q n)-th smallest of a cell's runs; CVaR is the mean of the worst ceil((1 - q) n).",
  );
  return `${dom.serialize()}\n`;
}

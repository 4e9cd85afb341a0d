// The run's charts: prices (exogenous vs realised), liquidations and bad debt per step and per round,
// system leverage, and the distribution of cascade size over several runs.
import { bin, line, max, min, scaleLinear } from 'd3';
import type { RunData } from '../data.js';
import { count, price, ratio, usd } from '../format.js';
import { CHANNEL_COLOURS, SERIES } from '../palette.js';
import {
  axes,
  chartSvg,
  emptyNote,
  INNER,
  legend,
  panel,
  rightAxis,
  stepMarker,
  type G,
} from './frame.js';

const subtitle = (d: RunData) =>
  `${d.summary.scenario.name} · seed ${d.summary.seed} · ${d.summary.steps} steps of ${d.summary.stepLength}`;

function stepScale(d: RunData) {
  return scaleLinear()
    .domain([0, Math.max(1, d.summary.steps)])
    .range([0, INNER.width]);
}

function stepXs(d: RunData): number[] {
  const x = stepScale(d);
  return Array.from({ length: d.summary.steps + 1 }, (_, t) => x(t));
}

function path(
  g: G,
  points: readonly [number, number][],
  colour: string,
  width: number,
  dash?: string,
): void {
  const gen = line()
    .defined((p) => Number.isFinite(p[1]))
    .digits(1);
  const p = g
    .append('path')
    .attr('d', gen(points as [number, number][]) ?? '')
    .attr('fill', 'none')
    .attr('stroke', colour)
    .attr('stroke-width', width);
  if (dash !== undefined) p.attr('stroke-dasharray', dash);
}

/** Prices of each base asset per step: the exogenous path, the market price, pools and oracles. */
export function pricesChart(d: RunData): SVGSVGElement {
  const assets = [...new Set(d.prices.map((r) => r.asset))];
  const svg = chartSvg(
    'Prices: exogenous path vs realised',
    subtitle(d),
    Math.max(1, assets.length),
  );
  const x = stepScale(d);
  if (assets.length === 0) emptyNote(panel(svg, 0, 'Prices'), 'no base asset in this scenario');
  assets.forEach((asset, k) => {
    const rows = d.prices.filter((r) => r.asset === asset);
    const sources = [...new Set(rows.map((r) => r.source))];
    const g = panel(svg, k, `${asset} (USD)`);
    const lo = min(rows, (r) => r.price) ?? 0;
    const hi = max(rows, (r) => r.price) ?? 1;
    const y = scaleLinear()
      .domain([lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05 || hi + 1])
      .range([INNER.height, 0])
      .nice();
    axes(g, x, y, `step (${d.summary.stepLength})`, `${asset} price, USD`, (v) =>
      price(v).replace('.00', ''),
    );
    const venues = new Set(
      d.steps.filter((r) => r.kind !== 'lending' && r.kind !== 'system').map((r) => r.venue),
    );
    const entries: { label: string; colour: string; dash?: string }[] = [];
    let colour = 0;
    for (const source of sources) {
      const pts = rows
        .filter((r) => r.source === source)
        .map((r): [number, number] => [x(r.step), y(r.price)]);
      const style =
        source === 'exogenous'
          ? { colour: '#000000', width: 1.5, dash: '5 4', label: 'exogenous path' }
          : source === 'market'
            ? { colour: SERIES[0], width: 2.5, label: 'market (after sales)' }
            : venues.has(source)
              ? { colour: SERIES[1 + (colour++ % 9)]!, width: 1.5, label: `pool ${source}` }
              : {
                  colour: SERIES[1 + (colour++ % 9)]!,
                  width: 1,
                  dash: '2 2',
                  label: `oracle of ${source}`,
                };
      path(g, pts, style.colour, style.width, style.dash);
      entries.push({
        label: style.label,
        colour: style.colour,
        ...(style.dash ? { dash: style.dash } : {}),
      });
    }
    legend(g, entries);
    stepMarker(g, stepXs(d));
  });
  return svg.node()!;
}

/** Liquidations per step (stacked by market) with cumulative bad debt, and per round by channel. */
export function liquidationsChart(d: RunData): SVGSVGElement {
  const svg = chartSvg('Liquidations and bad debt', subtitle(d), 2);
  const x = stepScale(d);
  // Every venue that liquidates: lending markets, CDPs and perp venues.
  const liquidating = new Set(['lending', 'cdp', 'perp']);
  const venues = [...new Set(d.steps.filter((r) => liquidating.has(r.kind)).map((r) => r.venue))];
  const steps = d.summary.steps;
  // Per step, per venue: liquidations.
  const perStep = Array.from({ length: steps + 1 }, () => new Float64Array(venues.length));
  const badCum = new Float64Array(steps + 1).fill(NaN);
  for (const r of d.steps) {
    const v = venues.indexOf(r.venue);
    if (v >= 0) perStep[r.step]![v] = r.liquidations;
    if (r.kind === 'system') badCum[r.step] = r.badDebtCumulative;
  }
  const g = panel(svg, 0, 'Per step: liquidation calls by market, cumulative bad debt');
  const top = max(perStep, (a) => a.reduce((s, v) => s + v, 0)) ?? 0;
  const y = scaleLinear()
    .domain([0, Math.max(1, top)])
    .range([INNER.height, 0])
    .nice();
  axes(g, x, y, `step (${d.summary.stepLength})`, 'liquidation calls', count, 8, true);
  const bw = Math.max(1, (INNER.width / (steps + 1)) * 0.8);
  const bars = g.append('g').attr('class', 'bars');
  perStep.forEach((a, t) => {
    let base = 0;
    a.forEach((v, k) => {
      if (v <= 0) return;
      bars
        .append('rect')
        .attr('x', Math.round((x(t) - bw / 2) * 10) / 10)
        .attr('y', Math.round(y(base + v) * 10) / 10)
        .attr('width', Math.round(bw * 10) / 10)
        .attr('height', Math.round((y(base) - y(base + v)) * 10) / 10)
        .attr('fill', SERIES[k % SERIES.length]!)
        .append('title')
        .text(`step ${t}, ${venues[k]}: ${count(v)} calls`);
      base += v;
    });
  });
  const badTop = max(badCum) ?? 0;
  const yb = scaleLinear()
    .domain([0, Math.max(1, badTop)])
    .range([INNER.height, 0])
    .nice();
  rightAxis(g, yb, 'cumulative bad debt, USD', usd, CHANNEL_COLOURS.shock);
  path(
    g,
    Array.from(badCum, (v, t): [number, number] => [x(t), yb(v)]),
    CHANNEL_COLOURS.shock,
    2,
  );
  legend(g, [
    ...venues.map((v, k) => ({
      label: `calls in ${v}`,
      colour: SERIES[k % SERIES.length]!,
      bar: true,
    })),
    { label: 'bad debt (cumulative)', colour: CHANNEL_COLOURS.shock },
  ]);
  stepMarker(g, stepXs(d));
  // Per round: all markets, stacked by channel; rounds in run order.
  const rounds = new Map<
    string,
    { step: number; round: number; c: [number, number, number]; bad: number }
  >();
  for (const r of d.rounds) {
    const key = `${r.step}.${r.round}`;
    const e = rounds.get(key) ?? { step: r.step, round: r.round, c: [0, 0, 0], bad: 0 };
    e.c[0] += r.shock;
    e.c[1] += r.price;
    e.c[2] += r.value;
    e.bad += r.badDebt;
    rounds.set(key, e);
  }
  const list = [...rounds.values()];
  const g2 = panel(svg, 1, 'Per round: liquidation calls by channel (rounds in run order)');
  const xr = scaleLinear()
    .domain([0, Math.max(1, list.length)])
    .range([0, INNER.width]);
  const yr = scaleLinear()
    .domain([0, Math.max(1, max(list, (e) => e.c[0] + e.c[1] + e.c[2]) ?? 0)])
    .range([INNER.height, 0])
    .nice();
  axes(g2, xr, yr, 'liquidation round (across the run)', 'liquidation calls', count, 8, true);
  if (list.length === 0) emptyNote(g2, 'no liquidations in this run');
  const rbw = Math.max(0.5, (INNER.width / Math.max(1, list.length)) * 0.85);
  const colours = [CHANNEL_COLOURS.shock, CHANNEL_COLOURS.price, CHANNEL_COLOURS.value];
  const rb = g2.append('g').attr('class', 'bars');
  list.forEach((e, i) => {
    let base = 0;
    e.c.forEach((v, k) => {
      if (v <= 0) return;
      rb.append('rect')
        .attr('x', Math.round(xr(i) * 10) / 10)
        .attr('y', Math.round(yr(base + v) * 10) / 10)
        .attr('width', Math.round(rbw * 10) / 10)
        .attr('height', Math.round((yr(base) - yr(base + v)) * 10) / 10)
        .attr('fill', colours[k]!)
        .append('title')
        .text(
          `step ${e.step}, round ${e.round}: ${count(v)} ${['shock', 'price', 'value'][k]}-channel calls; bad debt ${usd(e.bad)}`,
        );
      base += v;
    });
  });
  legend(g2, [
    { label: 'shock channel', colour: CHANNEL_COLOURS.shock, bar: true },
    { label: 'price channel (fire sales)', colour: CHANNEL_COLOURS.price, bar: true },
    { label: 'value channel (receipt tokens)', colour: CHANNEL_COLOURS.value, bar: true },
  ]);
  // Marker at the first round of each step (or where the previous step's rounds ended).
  const xs: number[] = [];
  let i = 0;
  for (let t = 0; t <= steps; t++) {
    while (i < list.length && list[i]!.step < t) i++;
    xs.push(xr(i));
  }
  stepMarker(g2, xs);
  return svg.node()!;
}

/** System leverage and the rehypothecation multiplier per step. */
export function leverageChart(d: RunData): SVGSVGElement {
  const svg = chartSvg('System leverage', subtitle(d), 1);
  const x = stepScale(d);
  const sys = d.steps.filter((r) => r.kind === 'system');
  const g = panel(svg, 0, 'Pledged value / (pledged − debt), and pledged / non-receipt pledged');
  const values = sys
    .flatMap((r) => [r.systemLeverage, r.rehypothecationMultiplier])
    .filter(Number.isFinite);
  const hi = max(values) ?? 2;
  const y = scaleLinear()
    .domain([1, Math.max(1.5, hi * 1.05)])
    .range([INNER.height, 0])
    .nice();
  axes(g, x, y, `step (${d.summary.stepLength})`, 'ratio', (v) => ratio(v));
  if (values.length === 0) emptyNote(g, 'no debt in this run: leverage is not defined');
  path(
    g,
    sys.map((r) => [x(r.step), y(r.systemLeverage)]),
    SERIES[0],
    2.5,
  );
  path(
    g,
    sys.map((r) => [x(r.step), y(r.rehypothecationMultiplier)]),
    SERIES[4],
    2,
    '6 3',
  );
  legend(g, [
    { label: 'system leverage', colour: SERIES[0] },
    { label: 'rehypothecation multiplier', colour: SERIES[4], dash: '6 3' },
  ]);
  stepMarker(g, stepXs(d));
  return svg.node()!;
}

/** One run's cascade size, for {@link cascadeSizeChart}. */
export interface CascadeSize {
  /** Where the run came from (a folder name). */
  readonly label: string;
  readonly liquidations: number;
  readonly notional: number;
  readonly badDebt: number;
}

/** The distribution of cascade size over several runs: liquidation calls and bad debt histograms. */
export function cascadeSizeChart(runs: readonly CascadeSize[], title: string): SVGSVGElement {
  const svg = chartSvg('Distribution of cascade size', `${title} · ${count(runs.length)} runs`, 2);
  const specs = [
    {
      key: 'liquidations' as const,
      heading: 'Liquidation calls per run',
      integer: true,
      fmt: count,
      colour: SERIES[0],
    },
    {
      key: 'badDebt' as const,
      heading: 'Bad debt per run (USD)',
      integer: false,
      fmt: usd,
      colour: CHANNEL_COLOURS.shock,
    },
  ];
  specs.forEach((s, k) => {
    const g = panel(svg, k, s.heading);
    const xs = runs.map((r) => r[s.key]);
    const lo = min(xs) ?? 0;
    const hi = max(xs) ?? 1;
    const x = scaleLinear()
      .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
      .range([0, INNER.width])
      .nice();
    const [d0, d1] = x.domain() as [number, number];
    // Thresholds strictly inside the domain: a tick at the top would make a zero-width last bin.
    const bins = bin()
      .domain([d0, d1])
      .thresholds(
        x.ticks(20).filter((t) => t > d0 && t < d1 && (!s.integer || Number.isInteger(t))),
      )(xs);
    const y = scaleLinear()
      .domain([0, Math.max(1, max(bins, (b) => b.length) ?? 0)])
      .range([INNER.height, 0])
      .nice();
    axes(g, x, y, s.heading, 'runs', count, 6, true);
    for (const b of bins) {
      if (b.length === 0) continue;
      g.append('rect')
        .attr('x', Math.round(x(b.x0!) * 10) / 10 + 0.5)
        .attr('y', Math.round(y(b.length) * 10) / 10)
        .attr('width', Math.max(0.5, Math.round((x(b.x1!) - x(b.x0!)) * 10) / 10 - 1))
        .attr('height', Math.round((INNER.height - y(b.length)) * 10) / 10)
        .attr('fill', s.colour)
        .append('title')
        .text(`${s.fmt(b.x0!)} to ${s.fmt(b.x1!)}: ${b.length} runs`);
    }
    const sorted = [...xs].sort((a, b) => a - b);
    const median =
      sorted.length === 0
        ? NaN
        : (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
    if (Number.isFinite(median)) {
      g.append('line')
        .attr('x1', Math.round(x(median) * 10) / 10)
        .attr('x2', Math.round(x(median) * 10) / 10)
        .attr('y1', 0)
        .attr('y2', INNER.height)
        .attr('stroke', '#222222')
        .attr('stroke-dasharray', '4 3');
      g.append('text')
        .attr('x', Math.round(x(median) * 10) / 10 + 4)
        .attr('y', 12)
        .attr('font-size', 11)
        .text(`median ${s.fmt(median)}`);
    }
  });
  return svg.node()!;
}

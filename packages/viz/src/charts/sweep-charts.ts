// Charts of a sweep: a heat map of a figure over two grid parameters, and the
// liquidations-at-risk curve (the q-quantile of liquidated notional by exogenous price drop).
import { interpolateYlOrRd, max, scaleBand, scaleLinear, scaleSequential } from 'd3';
import type { ParamValue, SweepStats } from '@contagion/sim';
import { px, share, usd } from '../format.js';
import { SERIES } from '../palette.js';
import { axes, chartSvg, INNER, legend, panel } from './frame.js';

/** A figure of a cell the heat map can show. */
export interface HeatFigure {
  readonly name: string;
  readonly format: (x: number) => string;
  readonly value: (c: SweepStats['cells'][number]) => number;
}

/** The heat maps' figures: mean liquidated notional, P(bad debt > 0), VaR of bad debt. */
export function heatFigures(s: SweepStats): HeatFigure[] {
  const q = s.confidence[0] ?? 0.95;
  return [
    { name: 'Mean liquidated notional (USD)', format: usd, value: (c) => c.cascade.mean },
    { name: 'P(bad debt > 0)', format: share, value: (c) => c.badDebt.lossProbability },
    { name: `VaR ${q} of bad debt (USD)`, format: usd, value: (c) => c.badDebt.risk[0]!.var },
  ];
}

/** A parameter value as the charts print it (six significant digits). */
const label = (v: ParamValue) =>
  typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v);
/** A parameter value as the charts group by it (every digit). */
const key = (v: ParamValue) => String(v);

/**
 * Heat maps over grid parameters `xi` (columns) and `yi` (rows; -1 for one row): each square the
 * mean of the figure over the cells with those two values (other axes averaged), its value written
 * in it. One panel per figure.
 */
export function heatMapChart(
  s: SweepStats,
  parameters: readonly string[],
  xi: number,
  yi: number,
  subtitle: string,
): SVGSVGElement {
  const figures = heatFigures(s);
  const svg = chartSvg(
    yi < 0 ? 'By grid parameter' : 'Over two grid parameters',
    `columns: ${parameters[xi]}${yi < 0 ? '' : ` · rows: ${parameters[yi]}`} · ${subtitle}`,
    figures.length,
  );
  const xs = [...new Set(s.cells.map((c) => key(c.params[xi]!)))];
  const ys = yi < 0 ? ['all'] : [...new Set(s.cells.map((c) => key(c.params[yi]!)))];
  const shown = new Map<string, string>();
  for (const c of s.cells) {
    shown.set(key(c.params[xi]!), label(c.params[xi]!));
    if (yi >= 0) shown.set(key(c.params[yi]!), label(c.params[yi]!));
  }
  shown.set('all', 'all');
  const x = scaleBand().domain(xs).range([0, INNER.width]).padding(0.04);
  const y = scaleBand().domain(ys).range([0, INNER.height]).padding(0.04);
  figures.forEach((f, k) => {
    const g = panel(svg, k, f.name);
    const groups = new Map<string, number[]>();
    for (const c of s.cells) {
      const k2 = `${key(c.params[xi]!)}\u0000${yi < 0 ? 'all' : key(c.params[yi]!)}`;
      let list = groups.get(k2);
      if (list === undefined) groups.set(k2, (list = []));
      list.push(f.value(c));
    }
    const means = new Map(
      [...groups].map(([k2, v]) => [k2, v.reduce((a, b) => a + b, 0) / v.length]),
    );
    const top = max([...means.values()].filter(Number.isFinite)) ?? 0;
    const colour = scaleSequential(interpolateYlOrRd).domain([0, top > 0 ? top : 1]);
    for (const [k2, v] of means) {
      const [cx, cy] = k2.split('\u0000') as [string, string];
      const cell = g.append('g');
      cell
        .append('rect')
        .attr('x', px(x(cx)!))
        .attr('y', px(y(cy)!))
        .attr('width', px(x.bandwidth()))
        .attr('height', px(y.bandwidth()))
        .attr('fill', Number.isFinite(v) ? colour(v) : '#eeeeee')
        .append('title')
        .text(
          `${parameters[xi]} = ${cx}${yi < 0 ? '' : `, ${parameters[yi]} = ${cy}`}: ${f.format(v)}`,
        );
      if (x.bandwidth() >= 40 && y.bandwidth() >= 14)
        cell
          .append('text')
          .attr('x', px(x(cx)! + x.bandwidth() / 2))
          .attr('y', px(y(cy)! + y.bandwidth() / 2 + 4))
          .attr('text-anchor', 'middle')
          .attr('font-size', 11)
          .attr('fill', Number.isFinite(v) && v > 0.6 * top ? '#ffffff' : '#222222')
          .text(f.format(v));
    }
    for (const v of xs)
      g.append('text')
        .attr('x', px(x(v)! + x.bandwidth() / 2))
        .attr('y', INNER.height + 16)
        .attr('text-anchor', 'middle')
        .attr('font-size', 11)
        .text(shown.get(v)!);
    for (const v of ys)
      g.append('text')
        .attr('x', -6)
        .attr('y', px(y(v)! + y.bandwidth() / 2 + 4))
        .attr('text-anchor', 'end')
        .attr('font-size', 11)
        .text(shown.get(v)!);
    g.append('text')
      .attr('x', INNER.width / 2)
      .attr('y', INNER.height + 34)
      .attr('text-anchor', 'middle')
      .attr('font-size', 12)
      .text(parameters[xi]!);
  });
  return svg.node()!;
}

/** Liquidations-at-risk by exogenous price drop: one line per cell (the first eight), per confidence. */
export function larChart(s: SweepStats, subtitle: string): SVGSVGElement {
  const svg = chartSvg('Liquidations at risk by price drop', subtitle, s.confidence.length);
  const cells = [...new Set(s.curve.map((p) => p.cell))].slice(0, 8);
  const points = s.curve.filter((p) => cells.includes(p.cell));
  const x = scaleLinear()
    .domain([0, Math.max(s.dropBin, max(points, (p) => p.hi) ?? s.dropBin)])
    .range([0, INNER.width]);
  s.confidence.forEach((q, k) => {
    const g = panel(svg, k, `LaR ${q}: the ${q} quantile of liquidated notional (USD)`);
    const y = scaleLinear()
      .domain([0, Math.max(1, max(points, (p) => p.notional[k]!) ?? 1)])
      .range([INNER.height, 0])
      .nice();
    axes(g, x, y, `exogenous drawdown of ${s.dropAsset || 'the asset'}`, 'USD', usd, 8);
    cells.forEach((cell, j) => {
      const ps = points.filter((p) => p.cell === cell);
      const colour = SERIES[j % SERIES.length]!;
      g.append('path')
        .attr('fill', 'none')
        .attr('stroke', colour)
        .attr('stroke-width', 2)
        .attr(
          'd',
          ps
            .map(
              (p, i) =>
                `${i === 0 ? 'M' : 'L'}${px(x((p.lo + p.hi) / 2))},${px(y(p.notional[k]!))}`,
            )
            .join(''),
        );
      for (const p of ps)
        g.append('circle')
          .attr('cx', px(x((p.lo + p.hi) / 2)))
          .attr('cy', px(y(p.notional[k]!)))
          .attr('r', 3)
          .attr('fill', colour)
          .append('title')
          .text(
            `cell ${cell}, drop ${share(p.lo)} to ${share(p.hi)}: ${p.runs} runs, LaR ${usd(p.notional[k]!)}`,
          );
    });
    if (k === 0 && cells.length > 1)
      legend(
        g,
        cells.map((c, j) => ({ label: `cell ${c}`, colour: SERIES[j % SERIES.length]! })),
      );
  });
  return svg.node()!;
}

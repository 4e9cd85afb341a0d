// Shared chart furniture: an SVG with a title, panels with axes and grid, a legend, a step marker.
import { axisBottom, axisLeft, axisRight, select, type ScaleLinear, type Selection } from 'd3';
import { createSvg } from '../dom.js';
import { px } from '../format.js';

export type G = Selection<SVGGElement, unknown, null, undefined>;
export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

/** Chart width and panel geometry. */
export const CHART_WIDTH = 760;
export const PANEL_HEIGHT = 230;
const MARGIN = { top: 34, right: 64, bottom: 44, left: 72 };
const HEADER = 46;

/** A chart: one SVG with a title line, a subtitle, and `panels` stacked panels. */
export function chartSvg(title: string, subtitle: string, panels: number): Svg {
  const height = HEADER + panels * (PANEL_HEIGHT + MARGIN.top + MARGIN.bottom);
  const svg = select(createSvg(CHART_WIDTH, height));
  svg.attr('font-family', 'Helvetica, Arial, sans-serif').attr('class', 'contagion-chart');
  svg.append('rect').attr('width', CHART_WIDTH).attr('height', height).attr('fill', '#ffffff');
  svg
    .append('text')
    .attr('x', 12)
    .attr('y', 20)
    .attr('font-size', 15)
    .attr('font-weight', 'bold')
    .text(title);
  svg
    .append('text')
    .attr('x', 12)
    .attr('y', 38)
    .attr('font-size', 12)
    .attr('fill', '#555555')
    .text(subtitle);
  return svg;
}

/** Inner size of a panel. */
export const INNER = {
  width: CHART_WIDTH - MARGIN.left - MARGIN.right,
  height: PANEL_HEIGHT,
};

/** The `k`-th panel's plotting group (origin at the top left of the plotting area), with a heading. */
export function panel(svg: Svg, k: number, heading: string): G {
  const top = HEADER + k * (PANEL_HEIGHT + MARGIN.top + MARGIN.bottom) + MARGIN.top;
  const g = svg
    .append('g')
    .attr('class', 'panel')
    .attr('transform', `translate(${MARGIN.left},${top})`);
  g.append('text')
    .attr('x', 0)
    .attr('y', -12)
    .attr('font-size', 13)
    .attr('font-weight', 'bold')
    .text(heading);
  return g;
}

/** Bottom and left axes with light horizontal grid lines, and axis titles. */
export function axes(
  g: G,
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
  xTitle: string,
  yTitle: string,
  yFormat: (v: number) => string,
  xTicks = 8,
  yInteger = false,
): void {
  // Counts get whole-number ticks only (a small maximum would otherwise print 0, 1, 1, 2, 2).
  const yTicks = yInteger ? y.ticks(5).filter(Number.isInteger) : y.ticks(5);
  const grid = g.append('g').attr('class', 'grid');
  for (const t of yTicks)
    grid
      .append('line')
      .attr('x1', 0)
      .attr('x2', INNER.width)
      .attr('y1', px(y(t)))
      .attr('y2', px(y(t)))
      .attr('stroke', '#e6e6e6');
  g.append('g')
    .attr('class', 'axis-x')
    .attr('transform', `translate(0,${INNER.height})`)
    .call(
      axisBottom(x)
        .ticks(xTicks)
        .tickFormat((v) => String(v)),
    );
  g.append('g')
    .attr('class', 'axis-y')
    .call(
      axisLeft(y)
        .tickValues(yTicks)
        .tickFormat((v) => yFormat(Number(v))),
    );
  g.append('text')
    .attr('x', INNER.width / 2)
    .attr('y', INNER.height + 36)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .text(xTitle);
  g.append('text')
    .attr('transform', `translate(-58,${INNER.height / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .text(yTitle);
}

/** A right-hand axis (second series on another unit). */
export function rightAxis(
  g: G,
  y: ScaleLinear<number, number>,
  title: string,
  format: (v: number) => string,
  colour: string,
): void {
  g.append('g')
    .attr('transform', `translate(${INNER.width},0)`)
    .attr('color', colour)
    .call(
      axisRight(y)
        .ticks(5)
        .tickFormat((v) => format(Number(v))),
    );
  g.append('text')
    .attr('transform', `translate(${INNER.width + 54},${INNER.height / 2}) rotate(90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', colour)
    .text(title);
}

/** A legend in the panel's top-right corner: a swatch and a label per entry. */
export function legend(
  g: G,
  entries: readonly { label: string; colour: string; dash?: string; bar?: boolean }[],
): void {
  const l = g.append('g').attr('class', 'chart-legend').attr('font-size', 11);
  const width = Math.max(...entries.map((e) => e.label.length), 4) * 6.2 + 34;
  const x0 = INNER.width - width;
  l.append('rect')
    .attr('x', x0 - 6)
    .attr('y', 2)
    .attr('width', width + 4)
    .attr('height', entries.length * 16 + 6)
    .attr('fill', '#ffffff')
    .attr('fill-opacity', 0.85)
    .attr('stroke', '#dddddd');
  entries.forEach((e, i) => {
    const y = 14 + i * 16;
    if (e.bar === true)
      l.append('rect')
        .attr('x', x0)
        .attr('y', y - 8)
        .attr('width', 18)
        .attr('height', 9)
        .attr('fill', e.colour);
    else {
      const line = l
        .append('line')
        .attr('x1', x0)
        .attr('x2', x0 + 18)
        .attr('y1', y - 4)
        .attr('y2', y - 4)
        .attr('stroke', e.colour)
        .attr('stroke-width', 2);
      if (e.dash !== undefined) line.attr('stroke-dasharray', e.dash);
    }
    l.append('text')
      .attr('x', x0 + 24)
      .attr('y', y)
      .text(e.label);
  });
}

/**
 * A vertical marker at a step, hidden in files; the HTML report moves it with its slider. `xs` is
 * the marker's x for every step (comma-separated in `data-xs`).
 */
export function stepMarker(g: G, xs: readonly number[]): void {
  g.append('line')
    .attr('class', 'step-marker')
    .attr('x1', 0)
    .attr('x2', 0)
    .attr('y1', 0)
    .attr('y2', INNER.height)
    .attr('stroke', '#222222')
    .attr('stroke-width', 1)
    .attr('stroke-dasharray', '3 3')
    .attr('visibility', 'hidden')
    .attr('data-xs', xs.map((x) => px(x)).join(','));
}

/** A note in the middle of an empty panel. */
export function emptyNote(g: G, text: string): void {
  g.append('text')
    .attr('x', INNER.width / 2)
    .attr('y', INNER.height / 2)
    .attr('text-anchor', 'middle')
    .attr('fill', '#777777')
    .attr('font-size', 12)
    .text(text);
}

// One call that turns a run's outputs into its SVG files (network, per-step networks, charts).
import {
  cascadeSizeChart,
  leverageChart,
  liquidationsChart,
  pricesChart,
} from './charts/charts.js';
import type { CascadeSize } from './charts/charts.js';
import type { RunData } from './data.js';
import { svgFile } from './dom.js';
import { forceLayout } from './layout/force.js';
import { drawNetwork } from './network/network-svg.js';
import { buildScene } from './network/scene.js';

/** Options of {@link renderRun}. */
export interface RenderOptions {
  /** Step of `network.svg` (default: the last). */
  readonly step?: number;
  /** Also draw `network-stepNNN.svg` for every step. */
  readonly all?: boolean;
  /** Seed of the layout (default: the run's seed). */
  readonly layoutSeed?: number;
}

/** File name of the network at step `t` of a run of `steps` steps (`network-step007.svg`). */
export function stepFileName(t: number, steps: number): string {
  return `network-step${String(t).padStart(Math.max(3, String(steps).length), '0')}.svg`;
}

/**
 * The SVG files of a run, by file name: `network.svg` (at `step`), `prices.svg`,
 * `liquidations.svg`, `leverage.svg`, and with `all` one network per step. Throws RangeError for a
 * step outside the run.
 */
export function renderRun(data: RunData, options: RenderOptions = {}): Map<string, string> {
  const steps = data.summary.steps;
  const step = options.step ?? steps;
  if (!Number.isInteger(step) || step < 0 || step > steps)
    throw new RangeError(
      `step must be a whole number from 0 to ${steps} (this run's steps), got ${step}`,
    );
  const scene = buildScene(data);
  const layout = forceLayout(
    scene,
    options.layoutSeed !== undefined ? { seed: options.layoutSeed } : {},
  );
  const stepLength = data.summary.stepLength;
  const files = new Map<string, string>();
  files.set('network.svg', svgFile(drawNetwork(scene, layout, { step, stepLength })));
  if (options.all === true)
    for (let t = 0; t <= steps; t++)
      files.set(
        stepFileName(t, steps),
        svgFile(drawNetwork(scene, layout, { step: t, stepLength })),
      );
  files.set('prices.svg', svgFile(pricesChart(data)));
  files.set('liquidations.svg', svgFile(liquidationsChart(data)));
  files.set('leverage.svg', svgFile(leverageChart(data)));
  return files;
}

/** A run's cascade size, for the distribution over several runs. */
export function cascadeSize(data: RunData, label: string): CascadeSize {
  return {
    label,
    liquidations: data.summary.liquidations.count,
    notional: data.summary.liquidations.notional,
    badDebt: data.summary.badDebt.total,
  };
}

/** `cascade-size.svg` over several runs. */
export function renderCascadeSizes(runs: readonly CascadeSize[], title: string): string {
  return svgFile(cascadeSizeChart(runs, title));
}

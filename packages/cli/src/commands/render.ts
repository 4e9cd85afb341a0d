// `contagion render` and `contagion report`: pictures of a run from its output folder.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ContagionError } from '@contagion/core';
import type { RunData } from '@contagion/viz';
import { readRunDir } from '../input/results-dir.js';
import { readSweepDir } from '../input/sweep-dir.js';
import { writeOutputs } from '../output/atomic.js';

/** Options of `contagion render`. */
export interface RenderCommandOptions {
  readonly step?: number;
  readonly all?: boolean;
  readonly out?: string;
  readonly layoutSeed?: number;
}

function usage(message: string): ContagionError {
  return new ContagionError('usage', `contagion render: ${message}`);
}

/** The drawing code, loaded on first use: d3 and jsdom take most of a second to load. */
const viz = () => import('@contagion/viz');

/** The SVG files of one run, checked against the run's steps. */
export async function svgFiles(
  dir: string,
  data: RunData,
  o: RenderCommandOptions,
): Promise<Map<string, string>> {
  if (o.step !== undefined && o.step > data.summary.steps)
    throw usage(`--step ${o.step} is past the end of ${dir} (steps 0 to ${data.summary.steps})`);
  const { renderRun } = await viz();
  return renderRun(data, {
    ...(o.step !== undefined ? { step: o.step } : {}),
    ...(o.all === true ? { all: true } : {}),
    ...(o.layoutSeed !== undefined ? { layoutSeed: o.layoutSeed } : {}),
  });
}

/**
 * Render one or several run folders. One: its SVGs into `out` (default: the folder itself). Several:
 * `out` is required; each run's SVGs go to `out/<folder name>/` and the distribution of cascade
 * size over the runs to `out/cascade-size.svg`. Returns the files written.
 */
export async function renderCommand(
  dirs: readonly string[],
  o: RenderCommandOptions,
): Promise<string[]> {
  if (o.all === true && o.step !== undefined) throw usage('give --step or --all, not both');
  if (dirs.length === 1) {
    const dir = dirs[0]!;
    return writeOutputs(o.out ?? dir, await svgFiles(dir, readRunDir(dir), o));
  }
  if (o.out === undefined)
    throw usage('with several run folders, --out DIR is required (cascade-size.svg goes there)');
  const { cascadeSize, renderCascadeSizes } = await viz();
  const files = new Map<string, string>();
  const sizes = [];
  const used = new Set<string>();
  for (const dir of dirs) {
    const data = readRunDir(dir);
    let name = basename(resolve(dir));
    for (let k = 2; used.has(name); k++) name = `${basename(resolve(dir))}-${k}`;
    used.add(name);
    for (const [file, text] of await svgFiles(dir, data, o)) files.set(join(name, file), text);
    sizes.push(cascadeSize(data, name));
  }
  const title = `${dirs.length} run folders`;
  files.set('cascade-size.svg', renderCascadeSizes(sizes, title));
  return writeOutputs(o.out, files);
}

/** Options of `contagion report`. */
export interface ReportCommandOptions {
  readonly out?: string;
  readonly layoutSeed?: number;
}

/** Write the HTML report of a run folder (default `DIR/report.html`); returns the file written. */
export async function reportCommand(dir: string, o: ReportCommandOptions): Promise<string> {
  if (existsSync(join(dir, 'manifest.json')) && !existsSync(join(dir, 'summary.json'))) {
    // A sweep folder: its own report.
    const data = readSweepDir(dir);
    const { renderSweepReport } = await viz();
    const file = o.out ?? join(dir, 'report.html');
    return writeOutputs(dirname(file), new Map([[basename(file), renderSweepReport(data)]]))[0]!;
  }
  const data = readRunDir(dir);
  const { renderReport } = await viz();
  const html = renderReport(data, o.layoutSeed !== undefined ? { layoutSeed: o.layoutSeed } : {});
  const file = o.out ?? join(dir, 'report.html');
  return writeOutputs(dirname(file), new Map([[basename(file), html]]))[0]!;
}

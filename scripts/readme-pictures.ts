// Regenerate the README's pictures of the default scenario's network (run: pnpm pictures).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, loadScenario } from '@contagion/core';
import { simulate } from '@contagion/sim';
import { buildScene, drawNetwork, forceLayout, runDataOf, svgFile } from '@contagion/viz';

const ROOT = join(import.meta.dirname, '..');

/** Steps drawn: before the shock, and the hour the cascade peaks. */
export const PICTURE_STEPS = [0, 2] as const;

/** File name of the picture at step `t`. */
export const pictureName = (t: number) => `default-network-step${String(t).padStart(3, '0')}.svg`;

/** The pictures' text by file name (under docs/img). */
export function readmePictures(): Map<string, string> {
  const file = 'scenarios/default.yaml';
  const scenario = loadScenario(readFileSync(join(ROOT, file), 'utf8'), file);
  const data = runDataOf(simulate(buildModel(scenario, file), { network: true }));
  const scene = buildScene(data);
  const layout = forceLayout(scene);
  return new Map(
    PICTURE_STEPS.map((t) => [
      pictureName(t),
      svgFile(drawNetwork(scene, layout, { step: t, stepLength: data.summary.stepLength })),
    ]),
  );
}

if (process.argv[1]?.endsWith('readme-pictures.ts')) {
  for (const [name, text] of readmePictures()) writeFileSync(join(ROOT, 'docs', 'img', name), text);
}

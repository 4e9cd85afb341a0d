// Read a scenario file from disk for a command, turning file-system failures into clear errors.
import { readFileSync } from 'node:fs';
import {
  ScenarioError,
  parseScenarioText,
  validateScenario,
  type Scenario,
  type ScenarioOverrides,
} from '@contagion/core';
import { readSeries } from '../input/series.js';

/** Read and validate `file`. Throws ScenarioError (file named) for missing files and bad content. */
export function readScenario(
  file: string,
  overrides: ScenarioOverrides = {},
): { text: string; scenario: Scenario } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a scenario file'
          : (e as Error).message;
    throw new ScenarioError(file, [{ path: '', message: why }]);
  }
  // Series files (historical replay, bootstrap) are read into the scenario before it is checked.
  const doc = parseScenarioText(text, file);
  readSeries(doc, file);
  return { text, scenario: validateScenario(doc, file, overrides) };
}

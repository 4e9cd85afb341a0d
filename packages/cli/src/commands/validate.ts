// `contagion validate`: check a scenario file and say what is wrong, or what it describes.
import { buildModel, InvalidArgumentError, ScenarioError } from '@contagion/core';
import { checkAgents } from '@contagion/sim';
import { readScenario } from './load.js';

/** Validate `file` (schema, references, and population expansion). Returns a one-paragraph report. */
export function validateCommand(file: string): string {
  const { scenario } = readScenario(file);
  const model = buildModel(scenario, file);
  try {
    checkAgents(model); // strategies by name and their parameters, as a run starts
  } catch (e) {
    if (e instanceof InvalidArgumentError && e.path !== undefined)
      throw new ScenarioError(file, [{ path: e.path, message: e.detail }]);
    throw e;
  }
  const venues = scenario.venues.map((v) => `${v.id} (${v.kind})`).join(', ');
  const positions = model.books.reduce((s, b) => s + b.rows, 0);
  return `${file}: ok: "${scenario.name}", ${model.accountCount.toLocaleString('en-US')} accounts, ${positions.toLocaleString('en-US')} borrowing positions, venues ${venues}, ${scenario.steps} steps of ${scenario.step}\n`;
}

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
  const n = (x: number) => x.toLocaleString('en-US');
  const positions = model.books.reduce((s, b) => s + b.rows, 0);
  // Perp positions and option writers are counted apart from market rows, when there are any.
  const perps = model.perpBooks.reduce((s, b) => s + b.rows, 0);
  const writers = model.options.reduce((s, o) => s + o.writers.rows, 0);
  const more = `${perps > 0 ? `, ${n(perps)} perp positions` : ''}${writers > 0 ? `, ${n(writers)} option writers` : ''}`;
  return `${file}: ok: "${scenario.name}", ${n(model.accountCount)} accounts, ${n(positions)} borrowing positions${more}, venues ${venues}, ${scenario.steps} steps of ${scenario.step}\n`;
}

// Load the bench scenarios, optionally scaled: population counts and pool holdings times `scale`.
import { readFileSync } from 'node:fs';
import {
  buildModel,
  parseScenarioText,
  validateScenario,
  type Model,
  type Scenario,
  type ScenarioInput,
} from '@contagion/core';
import { memory, memoryDelta, timeMs, type Memory } from './measure.js';

export const CASCADE_FILE = 'scenarios/bench-1m.yaml';
export const QUIET_FILE = 'scenarios/bench-quiet-1m.yaml';
export const MIXED_FILE = 'scenarios/bench-mixed-1m.yaml';

/** Parse a scenario file into an editable document (validated later by {@link finish}). */
export function readDoc(file: string): ScenarioInput {
  const doc = parseScenarioText(readFileSync(file, 'utf8'), file);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${file}: not a scenario mapping`);
  return doc as ScenarioInput;
}

/**
 * Scale a document: every population's count and every constant-product pool's holdings times
 * `scale`, so a cascade keeps its shape (the pool absorbs `scale` times the fire sales).
 */
export function scaleDoc(doc: ScenarioInput, scale: number): ScenarioInput {
  if (scale === 1) return doc;
  return {
    ...doc,
    name: `${doc.name} (x${scale})`,
    populations: (doc.populations ?? []).map((p) => ({ ...p, count: p.count * scale })),
    venues: (doc.venues ?? []).map((v) =>
      v.kind === 'constant-product'
        ? {
            ...v,
            holdings: Object.fromEntries(
              Object.entries(v.holdings).map(([a, x]) => [a, x * scale]),
            ),
          }
        : v,
    ),
  };
}

/** A built model with what building it cost. */
export interface Built {
  readonly scenario: Scenario;
  readonly model: Model;
  readonly validateMs: number;
  readonly buildMs: number;
  /** Heap and array-buffer growth across buildModel (no forced GC: indicative only). */
  readonly buildMemory: Memory;
}

/** Validate a document and build its model, timing both. */
export function finish(doc: ScenarioInput, file: string): Built {
  let scenario: Scenario | undefined;
  const validateMs = timeMs(() => {
    scenario = validateScenario(doc, file);
  });
  const before = memory();
  let model: Model | undefined;
  const buildMs = timeMs(() => {
    model = buildModel(scenario!, file);
  });
  const buildMemory = memoryDelta(before, memory());
  return { scenario: scenario!, model: model!, validateMs, buildMs, buildMemory };
}

/** Load `file` scaled by `scale` and build its model. */
export function loadBench(file: string, scale = 1): Built {
  return finish(scaleDoc(readDoc(file), scale), file);
}

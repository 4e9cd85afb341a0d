// Bad input never escapes as anything but a ContagionError: random mutations of a valid scenario.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, ContagionError, parseScenarioText, validateScenario } from '@contagion/core';
import { simulate } from '@contagion/sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const read = (file: string) => parseScenarioText(readFileSync(join(ROOT, file), 'utf8'), file);
const small = read('scenarios/small.yaml');
// The default scenario, with its populations cut to a few accounts so hundreds of runs stay quick.
const defaults = read('scenarios/default.yaml') as { populations: { count: number }[] };
for (const p of defaults.populations) p.count = Math.min(p.count, 12);

/** Every path (keys and indices) to a leaf or branch of a document. */
function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (x === null || typeof x !== 'object') return [at];
  const keys = Array.isArray(x) ? x.map((_, i) => i) : Object.keys(x);
  return [
    at,
    ...keys.flatMap((k) => paths((x as Record<string | number, unknown>)[k], [...at, k])),
  ];
}

function setAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

const hostile = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    -1,
    0,
    1e308,
    -1e308,
    Infinity,
    NaN,
    1.5,
    '',
    'x',
    '<script>',
    [],
    {},
    true,
  ),
  fc.double(),
  fc.string(),
);

describe.each([
  ['small', small],
  ['default', defaults],
])('hostile edits of the %s scenario', (_name, base) => {
  const all = paths(base);
  it('either run or fail with a ContagionError (never a TypeError or a stack trace)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), hostile, (path, value) => {
        const doc = setAt(base, path, value);
        try {
          const model = buildModel(validateScenario(doc, 'hostile.yaml'), 'hostile.yaml');
          const r = simulate(model);
          expect(r.summary.conservation.ok).toBe(true);
        } catch (e) {
          if (!(e instanceof ContagionError)) throw e;
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      {
        numRuns: Number(process.env['HOSTILE_RUNS'] ?? 400),
        seed: Number(process.env['HOSTILE_SEED'] ?? 12),
      },
    );
  });
});

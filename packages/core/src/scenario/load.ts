// Load a scenario from text: parse YAML or JSON, validate with path-precise messages, fill defaults.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ScenarioError, quote, type ScenarioIssue } from '../errors.js';
import { formatPath, valueAt } from './paths.js';
import { MAX_STEPS, scenarioSchema, VENUE_KINDS, type Scenario } from './schema.js';
import { checkReferences } from './check.js';

/** Values that replace the file's own before validation (from CLI flags). */
export interface ScenarioOverrides {
  /** Master seed (replaces `seed`). */
  readonly seed?: number;
  /** Number of steps (replaces `steps`). */
  readonly steps?: number;
}

/** Parse scenario text; `.json` files as JSON, anything else as YAML (a superset of JSON). */
export function parseScenarioText(text: string, file: string): unknown {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new ScenarioError(file, [
        { path: '', message: `not valid JSON: ${(e as Error).message}` },
      ]);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true }) as unknown;
  } catch (e) {
    const first = e instanceof YAMLParseError ? (e.message.split('\n')[0] ?? '') : String(e);
    const msg = first.replace(/:\s*$/, '');
    throw new ScenarioError(file, [{ path: '', message: `not valid YAML: ${msg}` }]);
  }
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `must be ${issue.expected === 'int' ? 'a whole number' : article(issue.expected)}, got ${quote(value)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => quote(k)).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => quote(v)).join(', ')}, got ${quote(value)}`;
    case 'invalid_union': {
      if (value === undefined) return 'is required';
      if ('note' in issue && issue.note === 'No matching discriminator') {
        return `must be one of ${VENUE_KINDS.map((k) => quote(k)).join(', ')}, got ${quote(value)}`;
      }
      return `${issue.message === 'Invalid input' ? 'does not match any accepted form' : issue.message}, got ${quote(value)}`;
    }
    default:
      return value === undefined ? issue.message : `${issue.message}, got ${quote(value)}`;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * Validate an already-parsed document. Throws a ScenarioError listing every problem with its
 * path; returns the scenario with defaults filled.
 */
export function validateScenario(
  doc: unknown,
  file: string,
  overrides: ScenarioOverrides = {},
): Scenario {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ScenarioError(file, [
      { path: '', message: `must be a mapping of fields, got ${quote(doc)}` },
    ]);
  }
  const withOverrides: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  if (overrides.seed !== undefined) withOverrides['seed'] = overrides.seed;
  if (
    overrides.steps !== undefined &&
    !(Number.isInteger(overrides.steps) && overrides.steps >= 0 && overrides.steps <= MAX_STEPS)
  ) {
    throw new ScenarioError(file, [
      {
        path: 'steps',
        message: `override must be a whole number in [0, ${MAX_STEPS}], got ${quote(overrides.steps)}`,
      },
    ]);
  }
  const parsed = scenarioSchema.safeParse(withOverrides);
  if (!parsed.success) {
    const issues: ScenarioIssue[] = parsed.error.issues.map((issue) => {
      const path = issue.path;
      const value = valueAt(withOverrides, path);
      return { path: formatPath(withOverrides, path), message: describeIssue(issue, value) };
    });
    throw new ScenarioError(file, dedupe(issues));
  }
  const problems = checkReferences(parsed.data).map((p) => ({
    path: formatPath(withOverrides, p.path),
    message: p.message,
  }));
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return overrides.steps === undefined ? parsed.data : withSteps(parsed.data, overrides.steps);
}

/**
 * The scenario cut (or extended) to `steps` steps. Shocks after the last step are dropped, since
 * they never happen, so the resolved scenario re-runs as it ran.
 */
function withSteps(s: Scenario, steps: number): Scenario {
  const prices: Scenario['prices'] = {};
  for (const [a, p] of Object.entries(s.prices)) {
    prices[a] = 'shocks' in p ? { ...p, shocks: p.shocks.filter((x) => x.step <= steps) } : p;
  }
  return { ...s, steps, prices };
}

function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Parse and validate scenario text named `file` (used in messages). */
export function loadScenario(
  text: string,
  file: string,
  overrides: ScenarioOverrides = {},
): Scenario {
  return validateScenario(parseScenarioText(text, file), file, overrides);
}

// Test support shared by core's tests (not exported from the package).
import { expect } from 'vitest';
import { ScenarioError } from '../errors.js';

/** The error `fn` throws, checked to be a ScenarioError with the stable code. */
export function scenarioError(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).code).toBe('invalid-scenario');
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError, nothing was thrown');
}

// Errors with a stable `code`, so callers and tests branch on the code, never on prose.

/** Stable machine-readable error codes. */
export type ErrorCode =
  'invalid-scenario' | 'invalid-argument' | 'not-found' | 'usage' | 'invariant';

/** Base class of every error the project throws on purpose. */
export class ContagionError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ContagionError';
    this.code = code;
  }
}

/** One problem found in a scenario: where it is (dot path) and what is wrong. */
export interface ScenarioIssue {
  /** Dot path inside the file, list entries by id where they have one (`venues.lendA.closeFactor`). */
  readonly path: string;
  /** What is wrong, quoting the bad value. */
  readonly message: string;
}

/** A scenario that cannot be loaded; `issues` lists every problem, each with its path. */
export class ScenarioError extends ContagionError {
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];
  constructor(file: string, issues: readonly ScenarioIssue[]) {
    super(
      'invalid-scenario',
      issues.map((i) => `${file}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`).join('\n'),
    );
    this.name = 'ScenarioError';
    this.file = file;
    this.issues = issues;
  }
}

/**
 * An argument outside its documented range. `path`, when given, names the place in the scenario
 * that caused it (so a caller that knows the file can report it as a ScenarioError).
 */
export class InvalidArgumentError extends ContagionError {
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super('invalid-argument', path === undefined ? message : `${path}: ${message}`);
    this.name = 'InvalidArgumentError';
    this.path = path;
    this.detail = message;
  }
  /** The message without the path. */
  readonly detail: string;
}

/** An internal law broke (conservation, a negative balance): a bug, never bad input. */
export class InvariantError extends ContagionError {
  constructor(message: string) {
    super('invariant', message);
    this.name = 'InvariantError';
  }
}

/** Quote a value for an error message the way it appeared: strings in quotes, the rest as JSON. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

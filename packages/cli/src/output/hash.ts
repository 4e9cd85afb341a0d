// Scenario hash: SHA-256 of the resolved scenario as canonical JSON (keys sorted), hex.
import { createHash } from 'node:crypto';

function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
    );
  }
  return x;
}

/** Hash of a resolved scenario: identical for identical content, whatever the key order. */
export function scenarioHash(resolved: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(resolved)))
    .digest('hex');
}

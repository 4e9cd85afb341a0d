// Scenario hash: SHA-256 of the resolved scenario as JSON, in document order.
import { createHash } from 'node:crypto';

/**
 * Hash of a resolved scenario. Key order is part of the content: the order of a pool's holdings or a
 * market's reserves decides pool sides and reserve order, so two files that differ only in that
 * order can give different results, and they get different hashes.
 */
export function scenarioHash(resolved: unknown): string {
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex');
}

import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, scenarioSchema } from './schema.js';

describe('scenarioJsonSchema', () => {
  it('publishes the input side: only version, name and assets are required', () => {
    const s = scenarioJsonSchema();
    expect(s['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s['type']).toBe('object');
    expect(s['required']).toEqual(['version', 'name', 'assets']);
    // Unknown fields are errors in files, so the schema closes the top-level object too.
    expect(s['additionalProperties']).toBe(false);
    expect(Object.keys(s['properties'] as object).sort()).toEqual(
      [
        'version',
        'name',
        'description',
        'seed',
        'step',
        'steps',
        'assets',
        'venues',
        'arbitrageurs',
        'gas',
        'liquidators',
        'liquidation',
        'accounts',
        'populations',
        'prices',
        'correlations',
        'impact',
      ].sort(),
    );
  });

  it('states the defaults', () => {
    const props = scenarioJsonSchema()['properties'] as Record<string, { default?: unknown }>;
    expect(props['seed']?.default).toBe(1);
    expect(props['step']?.default).toBe('1h');
    expect(props['steps']?.default).toBe(24);
  });

  it('is a fresh object on every call', () => {
    expect(scenarioJsonSchema()).not.toBe(scenarioJsonSchema());
    expect(scenarioJsonSchema()).toEqual(scenarioJsonSchema());
  });
});

describe('scenarioSchema', () => {
  it('rejects unknown fields everywhere (strict objects)', () => {
    const r = scenarioSchema.safeParse({
      version: 1,
      name: 'x',
      assets: [{ id: 'ETH', kind: 'base', price: 1, decimals: 18 }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(r.error?.issues[0]?.path).toEqual(['assets', 0]);
  });

  it('accepts the three size distributions', () => {
    for (const size of [
      { fixed: 1 },
      { uniform: { min: 1, max: 2 } },
      { lognormal: { median: 1, sigma: 0 } },
    ]) {
      const r = scenarioSchema.safeParse({
        version: 1,
        name: 'x',
        assets: [{ id: 'USDC', kind: 'stable', price: 1 }],
        populations: [{ name: 'p', count: 1, size }],
      });
      expect(r.success, JSON.stringify(size)).toBe(true);
    }
  });
});

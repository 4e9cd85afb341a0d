// The published contracts: summary.json against its JSON Schema, scenarios against theirs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText } from '@contagion/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { scenarioSchemaText } from '../scripts/write-schemas.js';
import { ROOT, runFile } from './helpers.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });

describe('summary.json', () => {
  const validate = ajv.compile(
    JSON.parse(readFileSync(join(ROOT, 'docs/summary.schema.json'), 'utf8')),
  );
  for (const file of ['scenarios/small.yaml', 'scenarios/default.yaml']) {
    it(`of ${file} matches docs/summary.schema.json`, () => {
      const summary = JSON.parse(JSON.stringify(runFile(file).summary));
      const ok = validate(summary);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('with --network-measures matches it too', () => {
    const summary = JSON.parse(
      JSON.stringify(runFile('scenarios/small.yaml', { networkMeasures: true }).summary),
    );
    expect(validate(summary)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('is rejected by the schema when a stable key goes missing', () => {
    const summary = JSON.parse(JSON.stringify(runFile('scenarios/small.yaml').summary));
    delete summary.badDebt.byVenue;
    expect(validate(summary)).toBe(false);
  });
});

describe('docs/scenario.schema.json', () => {
  it('is the schema the code validates with (regenerate with pnpm schema)', () => {
    expect(readFileSync(join(ROOT, 'docs/scenario.schema.json'), 'utf8')).toBe(
      scenarioSchemaText(),
    );
  });

  const validate = ajv.compile(JSON.parse(scenarioSchemaText()));
  const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => /\.(ya?ml|json)$/.test(f));
  it.each(files)('accepts scenarios/%s', (f) => {
    const doc = parseScenarioText(readFileSync(join(ROOT, 'scenarios', f), 'utf8'), f);
    validate(doc);
    expect(validate.errors ?? []).toEqual([]);
  });
});

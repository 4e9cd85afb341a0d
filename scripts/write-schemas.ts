// Regenerate docs/scenario.schema.json from the zod schema (run: pnpm schema).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchema } from '@contagion/core';

/** The published scenario JSON Schema text. */
export function scenarioSchemaText(): string {
  const schema = {
    title: 'contagion scenario (version 1)',
    ...scenarioJsonSchema(),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1]?.endsWith('write-schemas.ts')) {
  writeFileSync(
    join(import.meta.dirname, '..', 'docs', 'scenario.schema.json'),
    scenarioSchemaText(),
  );
}

// The README's pictures are what `pnpm pictures` draws from the shipped default scenario today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readmePictures } from '../scripts/readme-pictures.js';
import { ROOT } from './helpers.js';

it('the committed pictures match a fresh drawing (run `pnpm pictures` after changing them)', () => {
  for (const [name, text] of readmePictures())
    expect(readFileSync(join(ROOT, 'docs', 'img', name), 'utf8'), name).toBe(text);
});

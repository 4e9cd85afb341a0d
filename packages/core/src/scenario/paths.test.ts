import { describe, expect, it } from 'vitest';
import { formatPath, valueAt } from './paths.js';

const doc = {
  venues: [
    { id: 'pool', kind: 'constant-product' },
    { id: 'lendA', kind: 'lending', assets: { ETH: { ltv: 0.8 } } },
    { kind: 'lending' },
    { id: '', kind: 'lending' },
    { id: 7, kind: 'lending' },
  ],
  populations: [
    { name: 'suppliers', count: 1 },
    { name: 'borrowers', count: 2, positions: [{ venue: 'lendA' }, { venue: 'lendC' }] },
  ],
};

describe('formatPath', () => {
  it('names list entries by id where they have one', () => {
    expect(formatPath(doc, ['venues', 1, 'assets', 'ETH', 'ltv'])).toBe(
      'venues.lendA.assets.ETH.ltv',
    );
    expect(formatPath(doc, ['venues', 0])).toBe('venues.pool');
  });

  it('uses indices for entries without a (non-empty string) id', () => {
    expect(formatPath(doc, ['populations', 1, 'count'])).toBe('populations[1].count');
    expect(formatPath(doc, ['populations', 1, 'positions', 1, 'venue'])).toBe(
      'populations[1].positions[1].venue',
    );
    expect(formatPath(doc, ['venues', 2, 'kind'])).toBe('venues[2].kind');
    expect(formatPath(doc, ['venues', 3, 'kind'])).toBe('venues[3].kind');
    expect(formatPath(doc, ['venues', 4, 'kind'])).toBe('venues[4].kind');
  });

  it('uses indices past the end of a list and below missing values', () => {
    expect(formatPath(doc, ['venues', 9, 'id'])).toBe('venues[9].id');
    expect(formatPath(doc, ['nothing', 0, 'x'])).toBe('nothing[0].x');
  });

  it('handles the root and an entry at the root', () => {
    expect(formatPath(doc, [])).toBe('');
    expect(formatPath([{ id: 'x' }, { y: 1 }], [0, 'a'])).toBe('x.a');
    expect(formatPath([{ id: 'x' }, { y: 1 }], [1, 'y'])).toBe('[1].y');
  });
});

describe('valueAt', () => {
  it('follows keys and indices', () => {
    expect(valueAt(doc, ['venues', 1, 'assets', 'ETH', 'ltv'])).toBe(0.8);
    expect(valueAt(doc, ['populations', 1, 'positions', 1, 'venue'])).toBe('lendC');
    expect(valueAt(doc, [])).toBe(doc);
  });

  it('is undefined where the path leaves the document', () => {
    expect(valueAt(doc, ['venues', 9, 'id'])).toBeUndefined();
    expect(valueAt(doc, ['venues', 1, 'kind', 'x'])).toBeUndefined();
    expect(valueAt(null, ['a'])).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderBook, sortByKey } from './book-order.js';

describe('sortByKey', () => {
  it('orders non-negative keys ascending, Infinity last, ties in original order', () => {
    const keys = Float64Array.from([3, 0.5, Infinity, 0.5, 0, 1e-300, 2e10, 3]);
    expect(Array.from(sortByKey(keys))).toEqual([4, 5, 1, 3, 0, 7, 6, 2]);
  });

  it('agrees with a comparison sort on random keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { maxLength: 300 }),
        (xs) => {
          const keys = Float64Array.from(xs);
          const expected = xs
            .map((x, i) => [x, i] as const)
            .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(Array.from(sortByKey(keys))).toEqual(expected.map((e) => e[1]));
        },
      ),
      { numRuns: 100, seed: 1 },
    );
  });
});

describe('orderBook', () => {
  // Two collateral slots, one debt slot. Rows: 0 ETH-only, 1 receipt-only, 2 both (mixed),
  // 3 ETH-only with a lower ratio, 4 ETH without debt.
  const book = {
    account: Int32Array.from([10, 11, 12, 13, 14]),
    coll: [Float64Array.from([4, 0, 1, 1, 5]), Float64Array.from([0, 9, 2, 0, 0])],
    debt: [Float64Array.from([2, 3, 1, 1, 0])],
  };
  const ordered = orderBook(book);

  it('groups rows by their one collateral and debt, each ascending by collateral / debt, mixed last', () => {
    expect(ordered.groups).toEqual([
      { collSlot: 0, debtSlot: 0, start: 0, end: 3 },
      { collSlot: 1, debtSlot: 0, start: 3, end: 4 },
      { collSlot: -1, debtSlot: -1, start: 4, end: 5 },
    ]);
    // ETH group: row 3 (1/1), row 0 (4/2), row 4 (no debt: Infinity).
    expect(Array.from(ordered.account)).toEqual([13, 10, 14, 11, 12]);
    expect(Array.from(ordered.ratio)).toEqual([1, 2, Infinity, 3, NaN]);
  });

  it('moves whole rows: every column follows the same permutation', () => {
    expect(Array.from(ordered.coll[0]!)).toEqual([1, 4, 5, 0, 1]);
    expect(Array.from(ordered.coll[1]!)).toEqual([0, 0, 0, 9, 2]);
    expect(Array.from(ordered.debt[0]!)).toEqual([1, 2, 0, 3, 1]);
  });
});

// Order a market's book so that an engine can bound its eligibility scans: rows grouped by the one
// collateral and one debt they hold, each group ascending by collateral / debt.

/** A run of rows holding exactly one collateral slot and one debt slot, or the mixed rest. */
export interface BookGroup {
  /** Collateral slot of every row in the group, or -1 for rows with several (the mixed group). */
  readonly collSlot: number;
  /** Debt slot of every row in the group, or -1 in the mixed group and in a market that lends nothing. */
  readonly debtSlot: number;
  /** Rows [start, end) of the book. */
  readonly start: number;
  readonly end: number;
}

/** Columns of one market's book before ordering. */
export interface UnorderedBook {
  readonly account: Int32Array;
  readonly coll: readonly Float64Array[];
  readonly debt: readonly Float64Array[];
}

/** The ordered book: the same rows permuted, its groups, and each row's collateral / debt ratio. */
export interface OrderedBook extends UnorderedBook {
  readonly groups: readonly BookGroup[];
  /** collateral / debt in token units (Infinity without debt); NaN in the mixed group. */
  readonly ratio: Float64Array;
}

/**
 * Stable LSD radix sort of row indices by non-negative float keys (NaN and Infinity last), 16 bits a
 * pass over the IEEE-754 bit pattern, which orders like the numbers for non-negative values.
 */
export function sortByKey(keys: Float64Array): Uint32Array {
  const n = keys.length;
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  let idx = new Uint32Array(n);
  let tmp = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? 0 : 1; // little-endian: low word first
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(bits[2 * i + word]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const i = idx[j]!;
      const d = (bits[2 * i + word]! >>> shift) & 0xffff;
      tmp[count[d]!++] = i;
    }
    [idx, tmp] = [tmp, idx];
  }
  return idx;
}

/**
 * Group rows by (collateral slot, debt slot) when they hold exactly one of each (a row without debt
 * joins its collateral's group with debt slot 0, ratio Infinity), the rest in a mixed group at the
 * end; sort each group ascending by collateral / debt, ties by original row. Health in a group is
 * ratio x (collateral weight / debt weight), so the rows below health 1 form a prefix.
 */
export function orderBook(book: UnorderedBook): OrderedBook {
  const n = book.account.length;
  const nC = book.coll.length;
  const nD = book.debt.length;
  const group = new Int32Array(n);
  const ratio = new Float64Array(n);
  const mixed = nC * Math.max(1, nD);
  for (let r = 0; r < n; r++) {
    let c = -1;
    let cs = 0;
    for (let k = 0; k < nC; k++) {
      if (book.coll[k]![r]! > 0) {
        c = k;
        cs++;
      }
    }
    let d = -1;
    let ds = 0;
    for (let k = 0; k < nD; k++) {
      if (book.debt[k]![r]! > 0) {
        d = k;
        ds++;
      }
    }
    if (cs === 1 && ds <= 1) {
      group[r] = c * Math.max(1, nD) + Math.max(0, d);
      ratio[r] = ds === 0 ? Infinity : book.coll[c]![r]! / book.debt[d]![r]!;
    } else {
      group[r] = mixed;
      ratio[r] = NaN;
    }
  }
  const byRatio = sortByKey(ratio.map((x) => (Number.isNaN(x) ? Infinity : x)));
  // Stable counting sort by group on top of the ratio order.
  const counts = new Uint32Array(mixed + 2);
  for (let r = 0; r < n; r++) counts[group[r]! + 1]!++;
  for (let g = 1; g < counts.length; g++) counts[g]! += counts[g - 1]!;
  const starts = counts.slice();
  const perm = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const r = byRatio[j]!;
    perm[starts[group[r]!]!++] = r;
  }
  const groups: BookGroup[] = [];
  for (let g = 0; g <= mixed; g++) {
    const start = counts[g]!;
    const end = counts[g + 1]!;
    if (end === start) continue;
    const isMixed = g === mixed;
    groups.push({
      collSlot: isMixed ? -1 : Math.floor(g / Math.max(1, nD)),
      debtSlot: isMixed || nD === 0 ? -1 : g % nD,
      start,
      end,
    });
  }
  const permute = <T extends Float64Array | Int32Array>(col: T, make: (k: number) => T): T => {
    const out = make(n);
    for (let j = 0; j < n; j++) out[j] = col[perm[j]!]!;
    return out;
  };
  return {
    account: permute(book.account, (k) => new Int32Array(k)),
    coll: book.coll.map((c) => permute(c, (k) => new Float64Array(k))),
    debt: book.debt.map((d) => permute(d, (k) => new Float64Array(k))),
    groups,
    ratio: permute(ratio, (k) => new Float64Array(k)),
  };
}

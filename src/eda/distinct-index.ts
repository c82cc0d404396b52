/**
 * Dictionary-encodes a numeric column with few distinct values (flags, counters, rates with
 * two decimals — most traffic features): one pass with an open-addressing hash table (linear
 * probing; Knuth, TAOCP vol. 3, 6.4) gives each row the code of its value, then the distinct
 * values are sorted and the codes renumbered in ascending value order. Sorting the column
 * then costs O(n + u) (runs are filled from the counts) instead of O(n log n), and a row's
 * rank is one table lookup. Gives up (null) past `maxDistinct` values; callers fall back to
 * sorting.
 */

export interface DistinctIndex {
  /** Distinct finite values, ascending (−0 counted as 0). */
  readonly values: Float64Array;
  /** Per row: index into `values`; NON_FINITE for NaN / ±Infinity. */
  readonly codes: Uint16Array;
  readonly nMissing: number;
  readonly nPosInf: number;
  readonly nNegInf: number;
}

export const NON_FINITE = 0xffff;
/** Most distinct values a Uint16 code can hold (0xFFFF marks non-finite cells). */
export const MAX_DISTINCT = 0xfffe;

const TABLE_BITS = 17; // 131,072 slots: load factor ≤ 0.5 at MAX_DISTINCT
const scratch = new Float64Array(1);
const bits = new Uint32Array(scratch.buffer);

export function distinctIndex(values: Float64Array, maxDistinct = MAX_DISTINCT): DistinctIndex | null {
  const limit = Math.min(maxDistinct, MAX_DISTINCT);
  const n = values.length;
  const size = 1 << TABLE_BITS;
  const mask = size - 1;
  const keys = new Float64Array(size);
  const slotCode = new Int32Array(size).fill(-1);
  const firstSeen = new Float64Array(limit + 1);
  const codes = new Uint16Array(n);
  let u = 0;
  let nMissing = 0;
  let nPosInf = 0;
  let nNegInf = 0;
  let lastV = NaN;
  let lastCode = -1;
  // Hot loop over rows, written out by hand: a run of equal values (zeros) skips the hash.
  for (let i = 0; i < n; i++) {
    let v = values[i];
    if (v - v !== 0) {
      if (v !== v) nMissing++;
      else if (v > 0) nPosInf++;
      else nNegInf++;
      codes[i] = NON_FINITE;
      continue;
    }
    if (v === lastV) {
      codes[i] = lastCode;
      continue;
    }
    if (v === 0) v = 0; // −0 → +0: one key for values that compare equal
    scratch[0] = v;
    let h = (Math.imul(bits[0] ^ Math.imul(bits[1], 0x9e3779b1), 0x85ebca6b) >>> (32 - TABLE_BITS)) & mask;
    let code = -1;
    while (true) {
      const c = slotCode[h];
      if (c < 0) break;
      if (keys[h] === v) {
        code = c;
        break;
      }
      h = (h + 1) & mask;
    }
    if (code < 0) {
      if (u === limit) return null;
      code = u++;
      keys[h] = v;
      slotCode[h] = code;
      firstSeen[code] = v;
    }
    codes[i] = code;
    lastV = v;
    lastCode = code;
  }
  // Renumber codes in ascending value order.
  const sorted = firstSeen.slice(0, u).sort();
  const remap = new Uint16Array(u);
  for (let c = 0; c < u; c++) remap[c] = lowerBoundExact(sorted, firstSeen[c]);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    if (c !== NON_FINITE) codes[i] = remap[c];
  }
  return { values: sorted, codes, nMissing, nPosInf, nNegInf };
}

function lowerBoundExact(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

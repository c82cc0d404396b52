/**
 * Splits a numeric column by class and sorts each part. This is the one O(n log n) step per
 * column of the EDA: everything else (quantiles, ranks for Mann–Whitney and Spearman,
 * histograms, outlier counts per class) is read from these sorted parts by merging or
 * binary search, so no argsort and no per-row objects are needed.
 */

import { distinctIndex, type DistinctIndex, NON_FINITE } from './distinct-index.js';

export interface SplitColumn {
  /**
   * Finite values of each group, ascending. Groups are the target's classes; the last
   * group holds rows without a label (y = -1).
   */
  readonly groups: Float64Array[];
  /** NaN cells (missing). */
  readonly nMissing: number;
  readonly nPosInf: number;
  readonly nNegInf: number;
  /** The column dictionary-encoded, when it has few distinct values (see distinct-index.ts). */
  readonly index: DistinctIndex | null;
}

/**
 * @param values column values (NaN = missing, ±Infinity kept and counted)
 * @param y class index per row, -1 = no label
 * @param nClasses number of classes; the result has nClasses + 1 groups
 */
export function splitSorted(values: Float64Array, y: Int32Array, nClasses: number): SplitColumn {
  const n = values.length;
  if (y.length !== n) throw new RangeError(`splitSorted: ${n} values but ${y.length} labels`);
  const index = distinctIndex(values);
  if (index) return splitIndexed(index, y, nClasses);
  const counts = new Int32Array(nClasses + 1);
  let nMissing = 0;
  let nPosInf = 0;
  let nNegInf = 0;
  // Hot loop over rows: counts only, written out by hand (no closures, no objects).
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) {
      // NaN or ±Infinity (x - x is NaN for both)
      if (v !== v) nMissing++;
      else if (v > 0) nPosInf++;
      else nNegInf++;
      continue;
    }
    const g = y[i];
    counts[g >= 0 && g < nClasses ? g : nClasses]++;
  }
  const groups: Float64Array[] = [];
  for (let g = 0; g <= nClasses; g++) groups.push(new Float64Array(counts[g]));
  const fill = new Int32Array(nClasses + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    const y0 = y[i];
    const g = y0 >= 0 && y0 < nClasses ? y0 : nClasses;
    groups[g][fill[g]++] = v;
  }
  // Typed-array sort is numeric and native (no comparator): the fastest sort available in JS.
  for (const part of groups) part.sort();
  return { groups, nMissing, nPosInf, nNegInf, index: null };
}

/** Few distinct values: count (value, class) pairs, then fill each class's sorted part run by run — no sort. */
function splitIndexed(index: DistinctIndex, y: Int32Array, nClasses: number): SplitColumn {
  const u = index.values.length;
  const g1 = nClasses + 1;
  const counts = new Int32Array(u * g1);
  const codes = index.codes;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === NON_FINITE) continue;
    const g = y[i];
    counts[c * g1 + (g >= 0 && g < nClasses ? g : nClasses)]++;
  }
  const groups: Float64Array[] = [];
  for (let g = 0; g < g1; g++) {
    let total = 0;
    for (let c = 0; c < u; c++) total += counts[c * g1 + g];
    const part = new Float64Array(total);
    let pos = 0;
    for (let c = 0; c < u; c++) {
      const k = counts[c * g1 + g];
      if (k > 0) {
        part.fill(index.values[c], pos, pos + k);
        pos += k;
      }
    }
    groups.push(part);
  }
  return { groups, nMissing: index.nMissing, nPosInf: index.nPosInf, nNegInf: index.nNegInf, index };
}

/**
 * Splits a numeric column by class and sorts each part. This is the one O(n log n) step per
 * column of the EDA: everything else (quantiles, ranks for Mann–Whitney and Spearman,
 * histograms, outlier counts per class) is read from these sorted parts by merging or
 * binary search, so no argsort and no per-row objects are needed.
 */

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
}

/**
 * @param values column values (NaN = missing, ±Infinity kept and counted)
 * @param y class index per row, -1 = no label
 * @param nClasses number of classes; the result has nClasses + 1 groups
 */
export function splitSorted(values: Float64Array, y: Int32Array, nClasses: number): SplitColumn {
  const n = values.length;
  if (y.length !== n) throw new RangeError(`splitSorted: ${n} values but ${y.length} labels`);
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
  return { groups, nMissing, nPosInf, nNegInf };
}

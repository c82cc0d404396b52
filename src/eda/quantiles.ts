/**
 * Quantiles with linear interpolation between order statistics — numpy's default
 * ('linear', Hyndman & Fan 1996 type 7) and pandas' `Series.quantile` default:
 * q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)·p, 0-based.
 */
import { upperBound } from './sorted.js';

/** Quantile of an ascending array. NaN when empty. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The value at 0-based position i of a sorted column given as distinct values and their
 * cumulative counts (`ends[u]` = exclusive end position of `uniques[u]`).
 */
function valueAt(uniques: Float64Array, ends: Float64Array, i: number): number {
  return uniques[upperBound(ends, i)];
}

/** Quantile of a sorted column given as distinct values with cumulative counts. */
export function quantileCounted(uniques: Float64Array, ends: Float64Array, p: number): number {
  const n = ends.length === 0 ? 0 : ends[ends.length - 1];
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = valueAt(uniques, ends, lo);
  if (h === lo) return a;
  const b = valueAt(uniques, ends, Math.min(lo + 1, n - 1));
  return a + (h - lo) * (b - a);
}

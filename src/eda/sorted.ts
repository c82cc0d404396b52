/**
 * Binary searches on ascending Float64Arrays. Every per-class count in the EDA (histogram
 * bins, outliers beyond a fence, whisker ends) is two of these on a sorted column instead of
 * a pass over the rows.
 */

/** First index i with sorted[i] >= x (sorted.length if none). */
export function lowerBound(sorted: Float64Array, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with sorted[i] > x (sorted.length if none). */
export function upperBound(sorted: Float64Array, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values strictly below `lo` plus strictly above `hi`. */
export function countOutside(sorted: Float64Array, lo: number, hi: number): number {
  return lowerBound(sorted, lo) + (sorted.length - upperBound(sorted, hi));
}

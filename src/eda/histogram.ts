/**
 * Histograms read from sorted values by binary search on the bin edges (O(bins·log n) per
 * class instead of a pass over the rows). Three shapes:
 * - 'discrete': one bar per distinct value, for columns with few distinct values (flags, small counts);
 * - 'linear': equal-width bins over [min, max];
 * - 'symlog': equal-width bins in sign(x)·log10(1 + |x|) for heavy-tailed columns, so that the
 *   bulk near 0 and the long tail are both visible (the chart then uses a symlog axis).
 */
import { lowerBound, upperBound } from './sorted.js';

export type HistogramScale = 'discrete' | 'linear' | 'symlog';

export interface HistogramBins {
  readonly scale: HistogramScale;
  /** 'discrete': the distinct values; otherwise bins+1 ascending edges. */
  readonly edges: Float64Array;
}

/** Below this many distinct values a column is drawn as one bar per value. */
const DISCRETE_MAX_DISTINCT = 20;

/**
 * Heavy tail rule used for the log-scaled axis: strong skew (|G1| ≥ 2) and values reaching
 * at least 100 in magnitude (so the log axis spans two decades or more).
 */
export function isHeavyTailed(skewness: number, min: number, max: number): boolean {
  return Math.abs(skewness) >= 2 && Math.max(Math.abs(min), Math.abs(max)) >= 100;
}

export function symlog(x: number): number {
  return Math.sign(x) * Math.log10(1 + Math.abs(x));
}

export function symlogInverse(t: number): number {
  return Math.sign(t) * (Math.pow(10, Math.abs(t)) - 1);
}

/** Bin edges for a column with the given finite range. */
export function histogramBins(
  min: number,
  max: number,
  opts: { bins?: number; heavyTailed?: boolean; uniques?: Float64Array } = {},
): HistogramBins {
  const { bins = 30, heavyTailed = false, uniques } = opts;
  if (uniques && uniques.length <= DISCRETE_MAX_DISTINCT) return { scale: 'discrete', edges: Float64Array.from(uniques) };
  if (!(max > min)) return { scale: 'linear', edges: Float64Array.of(min, max) };
  const edges = new Float64Array(bins + 1);
  if (heavyTailed) {
    const a = symlog(min);
    const b = symlog(max);
    for (let i = 0; i <= bins; i++) edges[i] = symlogInverse(a + ((b - a) * i) / bins);
  } else {
    for (let i = 0; i <= bins; i++) edges[i] = min + ((max - min) * i) / bins;
  }
  edges[0] = min;
  edges[bins] = max;
  return { scale: heavyTailed ? 'symlog' : 'linear', edges };
}

/**
 * Counts of an ascending array in the given bins: [e0, e1), [e1, e2), …, [e(k−1), ek] (last
 * bin closed, like numpy.histogram); for 'discrete' bins the count of each listed value.
 */
export function histogramCounts(sorted: Float64Array, bins: HistogramBins): Float64Array {
  const e = bins.edges;
  if (bins.scale === 'discrete') {
    const out = new Float64Array(e.length);
    for (let i = 0; i < e.length; i++) out[i] = upperBound(sorted, e[i]) - lowerBound(sorted, e[i]);
    return out;
  }
  const k = Math.max(1, e.length - 1);
  const out = new Float64Array(k);
  let prev = lowerBound(sorted, e[0]);
  for (let i = 1; i <= k; i++) {
    const end = i === k ? upperBound(sorted, e[e.length - 1]) : lowerBound(sorted, e[i]);
    out[i - 1] = end - prev;
    prev = end;
  }
  return out;
}

/**
 * Outlier rules per numeric column:
 * - IQR (Tukey 1977): outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR], quartiles linearly interpolated;
 * - robust z-score (Iglewicz & Hoaglin 1993): |0.6745·(x − median)/MAD| > 3.5. When MAD = 0
 *   (more than half the values equal the median, common in traffic counters) the scale falls
 *   back to 1.253314·MeanAD (mean absolute deviation around the median), the usual fallback
 *   of the modified z-score; when that is 0 too the column is constant and has no outliers.
 * Counts per class come from binary search on the sorted class parts.
 */
import { countOutside, upperBound } from './sorted.js';

export interface IqrOutliers {
  q1: number;
  q3: number;
  lower: number;
  upper: number;
}

export function iqrFences(q1: number, q3: number, k = 1.5): IqrOutliers {
  const iqr = q3 - q1;
  return { q1, q3, lower: q1 - k * iqr, upper: q3 + k * iqr };
}

export interface RobustZ {
  median: number;
  mad: number;
  meanAd: number;
  /** Which scale was used: MAD/0.6745, 1.253314·MeanAD, or none (constant column). */
  method: 'mad' | 'meanad' | 'none';
  lower: number;
  upper: number;
}

/**
 * Median absolute deviation (unscaled, linear-interpolated median of |x − median|) and mean
 * absolute deviation around the median, from distinct values with cumulative counts: a
 * two-pointer walk outward from the median visits deviations in increasing order.
 */
export function absoluteDeviations(uniques: Float64Array, ends: Float64Array, median: number): { mad: number; meanAd: number } {
  const u = uniques.length;
  const n = u === 0 ? 0 : ends[u - 1];
  if (n === 0) return { mad: NaN, meanAd: NaN };
  let sumAbs = 0;
  for (let i = 0; i < u; i++) sumAbs += (ends[i] - (i ? ends[i - 1] : 0)) * Math.abs(uniques[i] - median);
  const h = (n - 1) * 0.5;
  const lo = Math.floor(h);
  const want = h === lo ? lo : lo + 1; // highest 0-based position needed
  let left = upperBound(uniques, median) - 1; // last distinct value ≤ median
  let right = left + 1;
  let seen = 0;
  let a = NaN;
  let b = NaN;
  while (seen <= want) {
    const dl = left >= 0 ? median - uniques[left] : Infinity;
    const dr = right < u ? uniques[right] - median : Infinity;
    let d: number;
    let c: number;
    if (dl <= dr) {
      d = dl;
      c = ends[left] - (left ? ends[left - 1] : 0);
      left--;
    } else {
      d = dr;
      c = ends[right] - (right ? ends[right - 1] : 0);
      right++;
    }
    // positions seen .. seen + c − 1 hold deviation d
    if (lo >= seen && lo < seen + c) a = d;
    if (want >= seen && want < seen + c) b = d;
    seen += c;
  }
  const mad = a + (h - lo) * (b - a);
  return { mad, meanAd: sumAbs / n };
}

export function robustZFences(median: number, mad: number, meanAd: number, threshold = 3.5): RobustZ {
  let scale = 0;
  let method: RobustZ['method'] = 'none';
  if (mad > 0) {
    scale = mad / 0.6745;
    method = 'mad';
  } else if (meanAd > 0) {
    scale = 1.253314 * meanAd;
    method = 'meanad';
  }
  if (method === 'none') return { median, mad, meanAd, method, lower: -Infinity, upper: Infinity };
  return { median, mad, meanAd, method, lower: median - threshold * scale, upper: median + threshold * scale };
}

/** Number of values of each sorted group outside [lower, upper]. */
export function countOutsideGroups(groups: readonly Float64Array[], lower: number, upper: number): Float64Array {
  const out = new Float64Array(groups.length);
  for (let g = 0; g < groups.length; g++) out[g] = countOutside(groups[g], lower, upper);
  return out;
}

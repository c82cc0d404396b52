/**
 * Welch's unequal-variances t-test (Welch 1947) with the Welch–Satterthwaite degrees of
 * freedom, and Cohen's d with the pooled standard deviation as effect size. Same statistic
 * and p-value as scipy.stats.ttest_ind(a, b, equal_var=False): t = (mean_a − mean_b) / se.
 * The two-sided p-value is 2·F(−|t|) from @stdlib's Student-t CDF — the lower tail keeps
 * full precision for tiny p (1 − F(|t|) would round to 0 long before).
 */
import tcdf from '@stdlib/stats-base-dists-t-cdf';

export interface GroupStats {
  n: number;
  mean: number;
  /** Sample variance (ddof = 1). */
  variance: number;
}

export interface WelchResult {
  t: number;
  df: number;
  p: number;
  /** mean_a − mean_b */
  meanDiff: number;
  /** (mean_a − mean_b) / pooled sd. */
  cohenD: number;
}

/** Welch's t-test of group a against group b. NaN fields when undefined (n < 2, both variances 0 and equal means). */
export function welchTTest(a: GroupStats, b: GroupStats): WelchResult {
  const meanDiff = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return { t: NaN, df: NaN, p: NaN, meanDiff, cohenD: NaN };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  const pooledVar = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2);
  const cohenD = pooledVar > 0 ? meanDiff / Math.sqrt(pooledVar) : NaN;
  if (se2 === 0) {
    // Both groups constant: equal means → no test; different means → perfect separation.
    if (meanDiff === 0) return { t: NaN, df: NaN, p: NaN, meanDiff, cohenD };
    return { t: meanDiff > 0 ? Infinity : -Infinity, df: a.n + b.n - 2, p: 0, meanDiff, cohenD };
  }
  const t = meanDiff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const p = Math.min(1, 2 * tcdf(-Math.abs(t), df));
  return { t, df, p, meanDiff, cohenD };
}

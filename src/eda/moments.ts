/**
 * Moments of finite values: mean, sample variance (ddof = 1) and the adjusted
 * Fisher–Pearson skewness G1 (what pandas' `Series.skew` reports). Two passes — the mean
 * first, then central sums — which is numerically stable without Welford's per-row
 * division (Chan, Golub & LeVeque 1983, "two-pass algorithm").
 */

export interface Moments {
  /** Number of finite values. */
  n: number;
  mean: number;
  /** Sample variance, ddof = 1 (NaN when n < 2). */
  variance: number;
  /** Adjusted Fisher–Pearson skewness G1 (NaN when n < 3 or variance 0). */
  skewness: number;
  min: number;
  max: number;
  /** Number of values equal to 0. */
  zeros: number;
}

/** Moments of the finite values of several arrays taken together (e.g. the classes of one group). */
export function moments(parts: readonly Float64Array[]): Moments {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  for (const a of parts) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v - v !== 0) continue; // skip NaN / ±Infinity
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
    }
  }
  if (n === 0) return { n, mean: NaN, variance: NaN, skewness: NaN, min: NaN, max: NaN, zeros };
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let comp = 0; // Σ(x − mean): corrects the rounding error of the mean (compensated two-pass)
  for (const a of parts) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v - v !== 0) continue;
      const d = v - mean;
      comp += d;
      const d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
    }
  }
  m2 -= (comp * comp) / n;
  if (m2 < 0) m2 = 0;
  const variance = n > 1 ? m2 / (n - 1) : NaN;
  let skewness = NaN;
  if (n > 2 && m2 > 0) {
    const b2 = m2 / n;
    const b3 = m3 / n;
    const g1 = b3 / Math.pow(b2, 1.5);
    skewness = (Math.sqrt(n * (n - 1)) / (n - 2)) * g1;
  }
  return { n, mean, variance, skewness, min, max, zeros };
}

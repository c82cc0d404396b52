/**
 * Standard scaling (x − mean) / std with the population std (ddof = 0, as scikit-learn's
 * StandardScaler); a zero-variance column gets scale 1. Welford's online algorithm
 * (Welford 1962) keeps the variance exact for large values.
 */
export function fitStandard(values: Float64Array, transform: (x: number) => number): { mean: number; scale: number } {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = transform(values[i]!);
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  const std = n > 0 ? Math.sqrt(m2 / n) : 0;
  return { mean: n > 0 ? mean : 0, scale: std > 0 ? 1 / std : 1 };
}

/**
 * Signed log transform: sign(x)·log(1 + |x|). Tames heavy-tailed byte and packet counts
 * (src_bytes spans 0…1e9) for linear models; monotone, so trees are unaffected.
 */
export function signedLog1p(x: number): number {
  return x >= 0 ? Math.log1p(x) : -Math.log1p(-x);
}

/** Whether a column is worth log-transforming: its finite values are non-negative and reach past 1000 (byte/packet counts, durations). */
export function isHeavyTailed(values: Float64Array): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min >= 0 && max > 1000;
}

/**
 * The anomaly threshold from normal rows' out-of-fold scores: the lowest threshold t (a row is
 * flagged when its score ≥ t) that flags at most `maxFpr` of them. With m scores, at most
 * ⌊maxFpr·m⌋ may be flagged, so t lies just above the (⌊maxFpr·m⌋ + 1)-th highest score.
 */
export function thresholdAtFpr(scores: Float64Array, maxFpr: number): { threshold: number; fpr: number } {
  const m = scores.length;
  if (m === 0) return { threshold: Infinity, fpr: 0 };
  const sorted = Float64Array.from(scores).sort().reverse();
  const allowed = Math.floor(maxFpr * m + 1e-9);
  if (allowed >= m) return { threshold: sorted[m - 1]!, fpr: 1 };
  const t = nextAbove(sorted[allowed]!);
  let flagged = 0;
  while (flagged < m && sorted[flagged]! >= t) flagged++;
  return { threshold: t, fpr: flagged / m };
}

/** The smallest double greater than x. */
export function nextAbove(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

import type { CurvePoints } from './types.js';

/**
 * Thin a curve to at most `maxPoints` points for charts and JSON, keeping its shape: walk the
 * polyline and keep a point each time the path since the last kept point reaches 1/(maxPoints − 2)
 * of the total length (x and y both span [0, 1] for ROC/PR curves). The first and last points are
 * always kept. Use the full curve for areas; this is for drawing only.
 */
export function downsampleCurve(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  thresholds: ArrayLike<number>,
  maxPoints = 200,
): CurvePoints {
  const n = x.length;
  const out: CurvePoints = { x: [], y: [], threshold: [] };
  const push = (i: number): void => {
    out.x.push(x[i]!);
    out.y.push(y[i]!);
    out.threshold.push(i < thresholds.length ? thresholds[i]! : null);
  };
  if (n === 0) return out;
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) push(i);
    return out;
  }
  let total = 0;
  for (let i = 1; i < n; i++) total += Math.hypot(x[i]! - x[i - 1]!, y[i]! - y[i - 1]!);
  const step = total / Math.max(1, maxPoints - 2);
  push(0);
  let since = 0;
  for (let i = 1; i < n - 1; i++) {
    since += Math.hypot(x[i]! - x[i - 1]!, y[i]! - y[i - 1]!);
    if (since >= step) {
      push(i);
      since = 0;
    }
  }
  push(n - 1);
  return out;
}

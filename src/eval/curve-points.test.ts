import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsampleCurve } from './curve-points.js';

test('short curves are kept whole', () => {
  const c = downsampleCurve([0, 0.5, 1], [0, 0.8, 1], [2, 0.5], 200);
  assert.deepEqual(c, { x: [0, 0.5, 1], y: [0, 0.8, 1], threshold: [2, 0.5, null] });
});

test('long curves keep their ends and at most maxPoints points, spread along the path', () => {
  const n = 10001;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i / (n - 1);
    y[i] = Math.sqrt(x[i]!);
  }
  const c = downsampleCurve(x, y, x, 200);
  assert.ok(c.x.length <= 200 && c.x.length >= 190, `points ${c.x.length}`);
  assert.equal(c.x[0], 0);
  assert.equal(c.x.at(-1), 1);
  for (let i = 1; i < c.x.length; i++) assert.ok(c.x[i]! > c.x[i - 1]!);
  // no gap much larger than the path step
  let maxGap = 0;
  for (let i = 1; i < c.x.length; i++) maxGap = Math.max(maxGap, Math.hypot(c.x[i]! - c.x[i - 1]!, c.y[i]! - c.y[i - 1]!));
  assert.ok(maxGap < 0.02, `max gap ${maxGap}`);
});
